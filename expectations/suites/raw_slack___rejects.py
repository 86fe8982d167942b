"""raw_slack._rejects: Slack records that could not be loaded, each kept with its reason.

Append-only (ingestion/common/rejects.py); an empty or absent table means nothing was
rejected. `source` is what the Slack loaders write: 'slack', the export zip importer included
(ingestion/slack/export.py).
"""

from __future__ import annotations

import great_expectations as gx

from expectations.rules import SuiteParams
from expectations.suites._shared import rejects_expectations
from expectations.validate import ABSENT_MEANS_EMPTY
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON

TABLE = "raw_slack._rejects"
SOURCES = ("slack",)


def build_suite(params: SuiteParams | None = None) -> gx.ExpectationSuite:
    params = params or SuiteParams()
    return gx.ExpectationSuite(
        name="raw_slack___rejects",
        expectations=rejects_expectations(TABLE, SOURCES, params),
        meta={"table": TABLE, INCREMENTAL_ON: DLT_LOAD_ID, ABSENT_MEANS_EMPTY: True},
    )
