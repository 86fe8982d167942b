"""staging.stg_hubspot__contact_companies: contact-to-company associations, every one
accounted for and pointing at records that exist.

CONTRACTS.md raw_hubspot: association tables are snapshots of live records only. Guards that
staging holds exactly the raw_hubspot.contact_companies rows (staging is rote), and that each
association's contact and company exist (warning: the snapshot and the incremental objects
come from separate API calls, so a record created in between can dangle for one run). Hosted
on the staging view, which is the raw table renamed, so the rules do not collide with the
raw-table suites' registry.
"""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, volume
from expectations.suites._shared import always_true, equal

TABLE = "staging.stg_hubspot__contact_companies"
DEPENDS_ON = [
    "raw_hubspot.contact_companies",
    "raw_hubspot.contacts",
    "raw_hubspot.companies",
]
CONTRACT = "CONTRACTS.md raw_hubspot.contact_companies"

DERIVED_COLUMNS = {
    "rows_in_staging": "(select count(*) from staging.stg_hubspot__contact_companies)",
    "rows_in_raw": "(select count(*) from raw_hubspot.contact_companies)",
    "contact_is_live": (
        "exists (select 1 from raw_hubspot.contacts as c"
        " where c.id = t.contact_id and not coalesce(c.archived, false))"
    ),
    "company_exists": (
        "exists (select 1 from raw_hubspot.companies as c where c.id = t.company_id)"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="stg_hubspot__contact_companies",
        expectations=[
            columns_present(["contact_company_id", "contact_id", "company_id"], CONTRACT),
            equal(
                "rows_in_staging",
                "rows_in_raw",
                "Reconciliation raw_hubspot.contact_companies -> staging: row counts equal",
                block=True,
            ),
            always_true(
                "contact_is_live",
                f"{CONTRACT}: every association's contact exists in raw_hubspot.contacts and "
                "is not archived",
                block=False,
            ),
            always_true(
                "company_exists",
                f"{CONTRACT}: every association's company exists in raw_hubspot.companies",
                block=False,
            ),
            *volume(params, "Volume: stg_hubspot__contact_companies", block_empty=False),
        ],
        meta={"table": TABLE},
    )
