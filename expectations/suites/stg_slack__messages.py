"""staging.stg_slack__messages: every raw Slack message accounted for in staging.

Cross-layer reconciliation: staging is rote (rename, cast, flag; no filters), so it holds
exactly one row per raw_slack.messages row (CONTRACTS.md pk channel_id, ts). Records that
could not be loaded at all are in raw_slack._rejects, never in raw_slack.messages, so they
are not expected here. Key and ranges of the raw rows are the raw_slack__messages suite's.
"""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams, columns_present, volume
from expectations.suites._shared import always_true, equal

TABLE = "staging.stg_slack__messages"
DEPENDS_ON = ["raw_slack.messages"]
RECONCILIATION = "Reconciliation raw_slack.messages -> staging.stg_slack__messages"

DERIVED_COLUMNS = {
    "rows_in_staging": "(select count(*) from staging.stg_slack__messages)",
    "rows_in_raw": "(select count(*) from raw_slack.messages)",
    "every_raw_message_in_staging": (
        "not exists (select 1 from raw_slack.messages as r where not exists ("
        "select 1 from staging.stg_slack__messages as s"
        " where s.channel_id = r.channel_id and s.message_ts = r.ts))"
    ),
}


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="stg_slack__messages",
        expectations=[
            columns_present(["message_id", "channel_id", "message_ts"], RECONCILIATION),
            equal(
                "rows_in_staging",
                "rows_in_raw",
                f"{RECONCILIATION}: one staging row per raw message (row counts equal)",
                block=True,
            ),
            always_true(
                "every_raw_message_in_staging",
                f"{RECONCILIATION}: every raw message (channel_id, ts) is in staging",
                block=True,
            ),
            *volume(params, "Volume: stg_slack__messages"),
        ],
        meta={"table": TABLE},
    )
