"""raw_discourse.topics: forum topics (CONTRACTS.md pk id); questions for time to first
response start here (DESIGN.md "Time to first response")."""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import (
    SuiteParams,
    columns_present,
    key_unique,
    non_negative,
    plausible_dates,
    volume,
)
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_discourse.topics"
CONTRACT = "CONTRACTS.md raw_discourse.topics"


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_discourse__topics",
        expectations=[
            columns_present(["id", "category_id", "created_at"], CONTRACT),
            *key_unique(["id"], f"{CONTRACT}: primary key"),
            non_negative("posts_count", CONTRACT),
            plausible_dates("created_at", params, CONTRACT),
            *volume(params, "Volume: raw_discourse.topics", block_empty=False),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
