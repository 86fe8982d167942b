"""raw_hubspot.deals: CRM deals (CONTRACTS.md pk id); amounts feed influenced pipeline
(DESIGN.md "Influenced pipeline")."""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, key_unique, non_negative, volume
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_hubspot.deals"
CONTRACT = "CONTRACTS.md raw_hubspot.deals"


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_hubspot__deals",
        expectations=[
            columns_present(["id", "dealstage"], CONTRACT),
            *key_unique(["id"], f"{CONTRACT}: primary key"),
            non_negative("amount", "DESIGN.md Influenced pipeline: deal amounts"),
            *volume(params, "Volume: raw_hubspot.deals", block_empty=False),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
