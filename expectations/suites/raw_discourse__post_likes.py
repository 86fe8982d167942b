"""raw_discourse.post_likes: one row per (post, user who liked it) (CONTRACTS.md).

`created_at` is the like's time when Discourse gives it (often it does not: null).
"""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, key_unique, plausible_dates, volume
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_discourse.post_likes"
CONTRACT = "CONTRACTS.md raw_discourse.post_likes"
KEY = ["post_id", "user_id"]


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_discourse__post_likes",
        expectations=[
            columns_present([*KEY, "created_at"], CONTRACT),
            *key_unique(KEY, f"{CONTRACT}: primary key"),
            plausible_dates("created_at", params, CONTRACT),
            *volume(params, "Volume: raw_discourse.post_likes", block_empty=False),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
