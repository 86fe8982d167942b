"""marts.identity_merge_suggestions: the review queue of DESIGN.md "Identity resolution"
rule 3 (fuzzy evidence never merges; it becomes a scored suggestion).

Guards one row per pair of two different members (member_id_a < member_id_b), a score in
(0, 1], that every suggestion has evidence beyond the name (same company or email domain),
and that both members exist in dim_members (reconciliation: a suggestion about a member that
no longer exists cannot be reviewed). An empty queue is normal, so volume is not watched.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import (
    SuiteParams,
    blocking,
    columns_present,
    key_unique,
    warning,
)
from expectations.suites._shared import always_true

TABLE = "marts.identity_merge_suggestions"
DEPENDS_ON = ["marts.dim_members"]
RULE_3 = "DESIGN.md Identity resolution rule 3"

DERIVED_COLUMNS = {
    "members_in_dim_members": (
        "exists (select 1 from marts.dim_members as d where d.member_id = t.member_id_a)"
        " and exists (select 1 from marts.dim_members as d where d.member_id = t.member_id_b)"
    ),
    "has_evidence_beyond_name": (
        "coalesce(t.has_same_company, false) or coalesce(t.has_same_email_domain, false)"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="identity_merge_suggestions",
        expectations=[
            columns_present(["suggestion_id", "member_id_a", "member_id_b", "score"], RULE_3),
            *key_unique(["suggestion_id"], f"{RULE_3}: one row per suggestion"),
            blocking(
                gxe.ExpectCompoundColumnsToBeUnique(column_list=["member_id_a", "member_id_b"]),
                f"{RULE_3}: one suggestion per pair of members",
            ),
            blocking(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="member_id_b", column_B="member_id_a", or_equal=False
                ),
                f"{RULE_3}: a suggestion pairs two different members (member_id_a < member_id_b)",
            ),
            always_true(
                "members_in_dim_members",
                "Reconciliation: both members of a suggestion exist in dim_members",
                block=True,
            ),
            warning(
                gxe.ExpectColumnValuesToBeBetween(
                    column="score", min_value=0, max_value=1, strict_min=True
                ),
                f"{RULE_3}: score is in (0, 1]",
            ),
            always_true(
                "has_evidence_beyond_name",
                f"{RULE_3}: a same name alone is no evidence (same company or email domain too)",
                block=False,
            ),
        ],
        meta={"table": TABLE},
    )
