"""raw_luma.events: community events (CONTRACTS.md pk api_id, event_type vocabulary)."""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, accepted_values, columns_present, key_unique, volume
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_luma.events"
CONTRACT = "CONTRACTS.md raw_luma.events"
EVENT_TYPES = ("meetup", "webinar", "workshop", "office_hours")


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_luma__events",
        expectations=[
            columns_present(["api_id", "name", "start_at"], CONTRACT),
            *key_unique(["api_id"], f"{CONTRACT}: primary key"),
            accepted_values("event_type", EVENT_TYPES, CONTRACT, block=False),
            *volume(params, "Volume: raw_luma.events", block_empty=False),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
