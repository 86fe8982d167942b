"""marts.fct_influenced_pipeline: CRM deals and the community's part in them (DESIGN.md
"Metric definitions": Influenced pipeline). Guards one row per deal, non-negative amounts,
and that influencing members are among the deal's associated members.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import (
    SuiteParams,
    columns_present,
    key_unique,
    non_negative,
    volume,
    warning,
)

TABLE = "marts.fct_influenced_pipeline"
PIPELINE = "DESIGN.md Metric definitions: Influenced pipeline"


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="fct_influenced_pipeline",
        expectations=[
            columns_present(["deal_id", "amount", "is_influenced"], PIPELINE),
            *key_unique(["deal_id"], f"{PIPELINE}: one row per deal"),
            non_negative("amount", PIPELINE),
            non_negative("influenced_open_amount", PIPELINE),
            non_negative("influenced_closed_won_amount", PIPELINE),
            warning(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="associated_member_count",
                    column_B="influencing_member_count",
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                ),
                f"{PIPELINE}: influencing members are among the deal's contacts' members",
            ),
            *volume(params, "Volume: fct_influenced_pipeline", block_empty=False),
        ],
        meta={"table": TABLE},
    )
