"""raw_hubspot.deal_stages: stages of every deal pipeline (CONTRACTS.md pk pipeline_id, stage_id).

A stage's `is_closed` decides whether its deals count as open pipeline (DESIGN.md
"Influenced pipeline"), so it must be set; `probability` is HubSpot's win probability.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import SuiteParams, blocking, columns_present, key_unique, share, volume
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_hubspot.deal_stages"
CONTRACT = "CONTRACTS.md raw_hubspot.deal_stages"
KEY = ["pipeline_id", "stage_id"]


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_hubspot__deal_stages",
        expectations=[
            columns_present([*KEY, "is_closed", "probability"], CONTRACT),
            *key_unique(KEY, f"{CONTRACT}: primary key"),
            blocking(
                gxe.ExpectColumnValuesToNotBeNull(column="is_closed"),
                "DESIGN.md Influenced pipeline: every stage says whether it is closed",
            ),
            share("probability", CONTRACT),
            *volume(params, "Volume: raw_hubspot.deal_stages", block_empty=False),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
