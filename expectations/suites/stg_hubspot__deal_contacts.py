"""staging.stg_hubspot__deal_contacts: deal-to-contact associations (DESIGN.md "Influenced
pipeline" joins deals to members through them), every one accounted for and pointing at
records that exist.

CONTRACTS.md raw_hubspot: association tables are snapshots of live records only. Guards that
staging holds exactly the raw_hubspot.deal_contacts rows (staging is rote), and that each
association's deal and contact exist (warning: the snapshot and the incremental objects come
from separate API calls, so a record created in between can dangle for one run). Hosted on
the staging view, which is the raw table renamed, so the rules do not collide with the
raw-table suites' registry.
"""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, volume
from expectations.suites._shared import always_true, equal

TABLE = "staging.stg_hubspot__deal_contacts"
DEPENDS_ON = ["raw_hubspot.deal_contacts", "raw_hubspot.deals", "raw_hubspot.contacts"]
CONTRACT = "CONTRACTS.md raw_hubspot.deal_contacts"

DERIVED_COLUMNS = {
    "rows_in_staging": "(select count(*) from staging.stg_hubspot__deal_contacts)",
    "rows_in_raw": "(select count(*) from raw_hubspot.deal_contacts)",
    "deal_exists": "exists (select 1 from raw_hubspot.deals as d where d.id = t.deal_id)",
    "contact_is_live": (
        "exists (select 1 from raw_hubspot.contacts as c"
        " where c.id = t.contact_id and not coalesce(c.archived, false))"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="stg_hubspot__deal_contacts",
        expectations=[
            columns_present(["deal_contact_id", "deal_id", "contact_id"], CONTRACT),
            equal(
                "rows_in_staging",
                "rows_in_raw",
                "Reconciliation raw_hubspot.deal_contacts -> staging: row counts equal",
                block=True,
            ),
            always_true(
                "deal_exists",
                f"{CONTRACT}: every association's deal exists in raw_hubspot.deals",
                block=False,
            ),
            always_true(
                "contact_is_live",
                f"{CONTRACT}: every association's contact exists in raw_hubspot.contacts and "
                "is not archived",
                block=False,
            ),
            *volume(params, "Volume: stg_hubspot__deal_contacts", block_empty=False),
        ],
        meta={"table": TABLE},
    )
