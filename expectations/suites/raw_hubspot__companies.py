"""raw_hubspot.companies: CRM companies, archived included and flagged (CONTRACTS.md pk id)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import SuiteParams, columns_present, key_unique, volume, warning
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_hubspot.companies"
CONTRACT = "CONTRACTS.md raw_hubspot.companies"


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_hubspot__companies",
        expectations=[
            columns_present(["id", "name", "archived"], CONTRACT),
            *key_unique(["id"], f"{CONTRACT}: primary key"),
            warning(
                gxe.ExpectColumnValuesToNotBeNull(column="archived"),
                f"{CONTRACT}: archived is set on every company",
            ),
            *volume(params, "Volume: raw_hubspot.companies", block_empty=False),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
