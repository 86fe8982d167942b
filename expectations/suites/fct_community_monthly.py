"""marts.fct_community_monthly: monthly retention (DESIGN.md "Metric definitions":
Retention, CHAOSS/crowd.dev), one row per month with activity. Guards one row per month,
retention rates in [0, 1], non-negative counts, that retained members are among last month's
and this month's active members, and that new members are among the month's active members.
"""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import (
    SuiteParams,
    columns_present,
    key_unique,
    non_negative,
    share,
    volume,
)
from expectations.suites._shared import at_most

TABLE = "marts.fct_community_monthly"
RETENTION = "DESIGN.md Metric definitions: Retention"
RATES = (
    "retention_rate",
    "new_member_retention_m1",
    "new_member_retention_m2",
    "new_member_retention_m3",
)
COUNTS = ("active_members", "previous_active_members", "retained_members", "new_members")


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="fct_community_monthly",
        expectations=[
            columns_present(["activity_month", "active_members", "retention_rate"], RETENTION),
            *key_unique(["activity_month"], "fct_community_monthly: one row per month"),
            *[share(c, RETENTION) for c in RATES],
            *[non_negative(c, RETENTION) for c in COUNTS],
            at_most(
                "retained_members",
                "previous_active_members",
                f"{RETENTION}: retained members were active last month "
                "(|active(t) ∩ active(t-1)| <= |active(t-1)|)",
            ),
            at_most(
                "retained_members",
                "active_members",
                f"{RETENTION}: retained members are active this month "
                "(|active(t) ∩ active(t-1)| <= |active(t)|)",
            ),
            at_most(
                "new_members",
                "active_members",
                f"{RETENTION}: the month's new members (cohort of first activity) are active in it",
            ),
            *volume(params, "Volume: fct_community_monthly"),
        ],
        meta={"table": TABLE},
    )
