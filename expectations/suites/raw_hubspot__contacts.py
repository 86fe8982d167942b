"""raw_hubspot.contacts: CRM contacts, archived included and flagged (CONTRACTS.md pk id)."""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, key_unique, volume
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_hubspot.contacts"
CONTRACT = "CONTRACTS.md raw_hubspot.contacts"


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_hubspot__contacts",
        expectations=[
            columns_present(["id", "archived"], CONTRACT),
            *key_unique(["id"], f"{CONTRACT}: primary key"),
            *volume(params, "Volume: raw_hubspot.contacts"),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
