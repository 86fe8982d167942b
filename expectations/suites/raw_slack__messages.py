"""raw_slack.messages: top-level messages and thread replies (CONTRACTS.md pk channel_id, ts).

Guards the key the merge load relies on (a re-run adds nothing), that every message has its
UTC timestamp (activities are dated by it), and that Slack data keeps arriving (freshness).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.rules import (
    SuiteParams,
    columns_present,
    fresh,
    key_unique,
    plausible_dates,
    volume,
    warning,
)
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_slack.messages"
CONTRACT = "CONTRACTS.md raw_slack.messages"


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_slack__messages",
        expectations=[
            columns_present(["channel_id", "ts", "message_at", "is_deleted"], CONTRACT),
            *key_unique(["channel_id", "ts"], f"{CONTRACT}: primary key"),
            warning(
                gxe.ExpectColumnValuesToNotBeNull(column="message_at"),
                f"{CONTRACT}: every message has its UTC timestamp message_at",
            ),
            warning(
                gxe.ExpectColumnValuesToNotBeNull(column="is_deleted"),
                f"{CONTRACT}: is_deleted is set on every message",
            ),
            plausible_dates("message_at", params, CONTRACT),
            fresh("message_at", params, "Freshness: Slack messages", block=False),
            *volume(params, "Volume: raw_slack.messages"),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID},
    )
