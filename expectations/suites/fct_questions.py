"""marts.fct_questions: questions and their first response (DESIGN.md "Metric definitions":
Time to first response). Guards one row per question, that a response never precedes its
question, and that every asker exists in dim_members (reconciliation).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import (
    SuiteParams,
    blocking,
    columns_present,
    key_unique,
    non_negative,
    plausible_dates,
    volume,
    warning,
)

TABLE = "marts.fct_questions"
DEPENDS_ON = ["marts.dim_members"]
TTFR = "DESIGN.md Metric definitions: Time to first response"

DERIVED_COLUMNS = {
    "member_in_dim_members": (
        "exists (select 1 from marts.dim_members as d where d.member_id = t.member_id)"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="fct_questions",
        expectations=[
            columns_present(["question_id", "member_id", "asked_at"], TTFR),
            *key_unique(["question_id"], f"{TTFR}: one row per question"),
            blocking(
                gxe.ExpectColumnValuesToBeInSet(column="member_in_dim_members", value_set=[True]),
                "Reconciliation: every asker exists in dim_members",
            ),
            non_negative("hours_to_first_response", TTFR),
            warning(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="first_response_at",
                    column_B="asked_at",
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                ),
                f"{TTFR}: the first response does not precede the question",
            ),
            plausible_dates("asked_at", params, TTFR),
            *volume(params, "Volume: fct_questions", block_empty=False),
        ],
        meta={"table": TABLE},
    )
