"""raw_discourse.users: forum accounts, system (-1) and discobot (-2) included (CONTRACTS.md)."""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, key_unique, volume
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_discourse.users"
CONTRACT = "CONTRACTS.md raw_discourse.users"


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_discourse__users",
        expectations=[
            columns_present(["id", "username"], CONTRACT),
            *key_unique(["id"], f"{CONTRACT}: primary key"),
            *volume(params, "Volume: raw_discourse.users"),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
