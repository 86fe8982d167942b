"""One suite against the warehouse the way every caller runs it: the run's freshness
reference, the table's row count at the previous validation (for the volume rule), the Data
Docs beside the warehouse, and this run's row count recorded for the next one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from expectations.history import previous_row_count, record_row_count
from expectations.rules import SuiteParams
from expectations.suites import TableSuite
from expectations.validate import ValidationOutcome, default_docs_dir, validate_table


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
    )
    if outcome.table_read:
        record_row_count(docs_dir, suite.table, outcome.row_count)
    return outcome
