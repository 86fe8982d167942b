"""raw_slack.users: Slack accounts as users.list returns them (bots and USLACKBOT included).

Guards docs/CONTRACTS.md section 3 (pk id) and DESIGN.md "Identity resolution" (every
account becomes an identity, so an account without an id would be lost).
"""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, key_unique, volume
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_slack.users"
CONTRACT = "CONTRACTS.md raw_slack.users"


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_slack__users",
        expectations=[
            columns_present(["id", "name", "deleted", "is_bot"], CONTRACT),
            *key_unique(["id"], f"{CONTRACT}: primary key"),
            *volume(params, "Volume: raw_slack.users"),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
