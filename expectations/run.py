"""One suite against the warehouse the way every caller runs it: the run's freshness
reference, the table's row count at the previous validation (for the volume rule), the Data
Docs beside the warehouse, and this run's row count recorded for the next one.

A suite whose meta names an `incremental_on` column is validated from its watermark (see
expectations/watermark.py); the watermark moves only after a validation that passed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from expectations.history import previous_row_count, record_row_count
from expectations.rules import SuiteParams
from expectations.suites import TableSuite
from expectations.validate import ValidationOutcome, default_docs_dir, validate_table
from expectations.watermark import load_watermark, record_watermark


def run_suite(
    warehouse: Path,
    suite: TableSuite,
    *,
    as_of: datetime | None,
    freshness_max_age_days: int,
) -> ValidationOutcome:
    docs_dir = default_docs_dir(Path(warehouse))
    params = SuiteParams(
        as_of=as_of,
        previous_row_count=previous_row_count(docs_dir, suite.table),
        freshness_max_age_days=freshness_max_age_days,
    )
    outcome = validate_table(
        Path(warehouse),
        suite.table,
        suite.build(params),
        derived_columns=suite.derived_columns,
        docs_dir=docs_dir,
        since=load_watermark(docs_dir, suite.table),
    )
    if outcome.table_read:
        record_row_count(docs_dir, suite.table, outcome.row_count)
        # A failed validation keeps the old mark: the rows it did not vouch for are read again.
        if outcome.success or outcome.watermark is None:
            record_watermark(docs_dir, suite.table, outcome.watermark)
    return outcome
