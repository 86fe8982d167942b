"""raw_hubspot.contact_companies: contact-company associations in the CRM (CONTRACTS.md).

Live records only, pk (contact_id, company_id); a snapshot replaced on every run, so a portal
without associations loads an empty table.
"""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, key_unique, volume
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_hubspot.contact_companies"
CONTRACT = "CONTRACTS.md raw_hubspot.contact_companies"
KEY = ["contact_id", "company_id"]


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_hubspot__contact_companies",
        expectations=[
            columns_present(KEY, CONTRACT),
            *key_unique(KEY, f"{CONTRACT}: primary key"),
            *volume(params, "Volume: raw_hubspot.contact_companies", block_empty=False),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
