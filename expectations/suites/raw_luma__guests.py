"""raw_luma.guests: registrations and check-ins, from the API and attendee CSVs (CONTRACTS.md
pk api_id, source vocabulary)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import (
    SuiteParams,
    accepted_values,
    columns_present,
    key_unique,
    volume,
    warning,
)
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_luma.guests"
CONTRACT = "CONTRACTS.md raw_luma.guests"
SOURCES = ("api", "csv:luma", "csv:eventbrite", "csv:zoom")


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_luma__guests",
        expectations=[
            columns_present(["api_id", "event_api_id"], CONTRACT),
            *key_unique(["api_id"], f"{CONTRACT}: primary key"),
            warning(
                gxe.ExpectColumnValuesToNotBeNull(column="event_api_id"),
                f"{CONTRACT}: every guest belongs to an event",
            ),
            accepted_values("source", SOURCES, CONTRACT, block=False),
            warning(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="checked_in_at",
                    column_B="registered_at",
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                ),
                "DESIGN.md Activity: a check-in is not before its registration",
            ),
            *volume(params, "Volume: raw_luma.guests", block_empty=False),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
