"""raw_slack.channels: conversations.list channels, archived included (CONTRACTS.md pk id)."""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, key_unique, volume
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_slack.channels"
CONTRACT = "CONTRACTS.md raw_slack.channels"


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_slack__channels",
        expectations=[
            columns_present(["id", "name", "is_archived"], CONTRACT),
            *key_unique(["id"], f"{CONTRACT}: primary key"),
            *volume(params, "Volume: raw_slack.channels"),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
