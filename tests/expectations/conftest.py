"""Small DuckDB warehouses built by hand, and a shortcut to run one suite on them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from expectations.rules import SuiteParams
from expectations.suites import load_suites
from expectations.validate import (
    BATCH_ROWS_ENV,
    INCREMENTAL_MIN_ROWS_ENV,
    ValidationOutcome,
    validate_table,
)


@pytest.fixture
def incremental_from_one_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hand-built tables are tiny; validate them incrementally all the same."""
    monkeypatch.setenv(INCREMENTAL_MIN_ROWS_ENV, "1")


@pytest.fixture
def make_warehouse(tmp_path: Path) -> Callable[..., Path]:
    """Returns a function running SQL statements into a fresh DuckDB file."""
    counter = iter(range(1_000_000))

    def _make(*statements: str) -> Path:
        path = tmp_path / f"warehouse-{next(counter)}.duckdb"
        with duckdb.connect(str(path)) as con:
            for statement in statements:
                con.execute(statement)
        return path

    return _make


def _run_suite(
    warehouse: Path, name: str, params: SuiteParams | None = None, docs_dir: Path | None = None
) -> ValidationOutcome:
    suite = load_suites()[name]
    return validate_table(
        warehouse,
        suite.table,
        suite.build(params or SuiteParams()),
        derived_columns=suite.derived_columns,
        docs_dir=docs_dir,
    )


@pytest.fixture
def run_suite() -> Callable[..., ValidationOutcome]:
    """run_suite(warehouse, suite_name, params=None, docs_dir=None) -> ValidationOutcome."""
    return _run_suite


@pytest.fixture
def failed_rules() -> Callable[[ValidationOutcome], list[tuple[str, bool]]]:
    """(rule, blocking) of each failed expectation."""
    return lambda outcome: [(f.rule, f.blocking) for f in outcome.failures]


def _verdict(outcome: ValidationOutcome) -> tuple:
    return (
        outcome.success,
        sorted((f.rule, f.blocking) for f in outcome.failures),
        outcome.row_count,
        outcome.evaluated,
    )


@pytest.fixture
def run_suite_on_both_read_paths(
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., ValidationOutcome]:
    """run_suite(warehouse, suite_name, params=None) on both read paths of one warehouse:
    the table read whole, and (table of two rows or more) the batched path with one-row
    batches (hash partitions for row-wise rules, DuckDB's suspect rows for key uniqueness and
    reconciliation, as on the big tables). Asserts both give the same verdict (failed rules
    with their severity, row count, rules evaluated) and returns the whole read's outcome, so
    a test's assertions hold on both paths."""

    def _run(warehouse: Path, name: str, params: SuiteParams | None = None) -> ValidationOutcome:
        monkeypatch.delenv(BATCH_ROWS_ENV, raising=False)
        whole = _run_suite(warehouse, name, params)
        monkeypatch.setenv(BATCH_ROWS_ENV, "1")
        try:
            batched = _run_suite(warehouse, name, params)
        finally:
            monkeypatch.delenv(BATCH_ROWS_ENV, raising=False)
        assert _verdict(batched) == _verdict(whole), (whole.failures, batched.failures)
        return whole

    return _run
