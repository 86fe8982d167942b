"""marts.fct_onboarding_funnel: the onboarding funnel per monthly cohort of joining, bots and
team excluded (DESIGN.md "Metric definitions": Activity; "Identity resolution" rule 4).

Guards one row per cohort, that the funnel never widens (joined >= active >= activated;
active >= retained; active >= members whose retention window ended), that the active rate is
a share (dbt's is_share covers the activation and retention rates), and that every joined
member is counted once (reconciliation with dim_members).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import (
    SuiteParams,
    columns_present,
    key_unique,
    non_negative,
    share,
    volume,
    warning,
)
from expectations.suites._shared import at_most, equal

TABLE = "marts.fct_onboarding_funnel"
DEPENDS_ON = ["marts.dim_members"]
FUNNEL = "Onboarding funnel (DESIGN.md Metric definitions: Activity)"
STAGES = (
    "joined_members",
    "active_members",
    "activated_members",
    "retained_members",
    "retention_eligible_members",
)

DERIVED_COLUMNS = {
    "joined_in_funnel": "(select sum(f.joined_members) from marts.fct_onboarding_funnel as f)",
    "joined_in_dim_members": (
        "(select count(*) from marts.dim_members as d where d.first_seen_at is not null"
        " and not coalesce(d.is_bot, false) and not coalesce(d.is_staff, false))"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="fct_onboarding_funnel",
        expectations=[
            columns_present(["cohort_month", *STAGES], FUNNEL),
            *key_unique(["cohort_month"], f"{FUNNEL}: one row per monthly cohort"),
            *[non_negative(c, FUNNEL) for c in STAGES],
            warning(
                gxe.ExpectColumnValuesToBeBetween(column="joined_members", min_value=1),
                f"{FUNNEL}: a cohort exists because someone joined in its month",
            ),
            at_most("active_members", "joined_members", f"{FUNNEL}: joined >= active"),
            at_most("activated_members", "active_members", f"{FUNNEL}: active >= activated"),
            at_most("retained_members", "active_members", f"{FUNNEL}: active >= retained"),
            at_most(
                "retention_eligible_members",
                "active_members",
                f"{FUNNEL}: members whose retention window ended are among the active",
            ),
            share("active_rate", FUNNEL),
            equal(
                "joined_in_funnel",
                "joined_in_dim_members",
                "Reconciliation: the cohorts' joined members add up to the non-bot, non-team "
                "members of dim_members with a first seen account",
                block=True,
            ),
            *volume(params, "Volume: fct_onboarding_funnel"),
        ],
        meta={"table": TABLE},
    )
