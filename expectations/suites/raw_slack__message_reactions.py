"""raw_slack.message_reactions: one row per (message, reaction, user) (CONTRACTS.md)."""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, key_unique, volume
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_slack.message_reactions"
CONTRACT = "CONTRACTS.md raw_slack.message_reactions"
KEY = ["channel_id", "message_ts", "reaction", "user_id"]


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_slack__message_reactions",
        expectations=[
            columns_present(KEY, CONTRACT),
            *key_unique(KEY, f"{CONTRACT}: primary key"),
            *volume(params, "Volume: raw_slack.message_reactions", block_empty=False),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
