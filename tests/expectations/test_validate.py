"""The validation seam: DuckDB table -> pandas -> ephemeral GX context, Data Docs on disk."""

from __future__ import annotations

from datetime import UTC, datetime

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

import expectations.validate as validate_module
from expectations.rules import SuiteParams, blocking, fresh, warning
from expectations.validate import suite_columns, validate_frame, validate_table

TABLE = [
    "create schema marts",
    "create table marts.things as select * from (values"
    " (1, 'a', timestamp '2026-10-31 10:00:00', [1, 2]),"
    " (2, 'b', timestamp '2026-10-30 10:00:00', [3])) t(id, label, seen_at, blob)",
]


def _suite(*expectations) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(name="things", expectations=list(expectations))


def test_reads_only_the_columns_the_suite_names(make_warehouse, monkeypatch) -> None:
    seen: list[list[str]] = []
    real = validate_module.validate_frame

    def spy(frame, suite, **kwargs):
        seen.append(list(frame.columns))
        return real(frame, suite, **kwargs)

    monkeypatch.setattr(validate_module, "validate_frame", spy)
    suite = _suite(blocking(gxe.ExpectColumnValuesToBeUnique(column="id"), "id unique"))
    outcome = validate_table(make_warehouse(*TABLE), "marts.things", suite)
    assert outcome.success
    assert seen == [["id"]]


def test_derived_columns_are_computed_in_sql(make_warehouse) -> None:
    suite = _suite(
        blocking(
            gxe.ExpectColumnValuesToBeInSet(column="is_small", value_set=[True]), "ids below 2"
        )
    )
    outcome = validate_table(
        make_warehouse(*TABLE), "marts.things", suite, derived_columns={"is_small": "t.id < 2"}
    )
    assert [f.observed for f in outcome.failures] == ["1 unexpected of 2: False"]


def test_a_missing_table_is_a_blocking_failure(make_warehouse) -> None:
    suite = _suite(blocking(gxe.ExpectColumnValuesToNotBeNull(column="id"), "id set"))
    outcome = validate_table(make_warehouse(*TABLE), "marts.nothing", suite)
    assert not outcome.table_read
    assert [(f.rule, f.blocking) for f in outcome.failures] == [
        ("marts.nothing exists in the warehouse", True)
    ]


def test_an_unreadable_reconciliation_is_a_blocking_failure(make_warehouse) -> None:
    suite = _suite(blocking(gxe.ExpectColumnValuesToNotBeNull(column="other"), "reconciled"))
    outcome = validate_table(
        make_warehouse(*TABLE),
        "marts.things",
        suite,
        derived_columns={"other": "(select 1 from marts.missing)"},
    )
    assert not outcome.table_read
    assert outcome.blocking_failures and "error:" in outcome.failures[0].observed


def test_warning_failures_are_not_blocking() -> None:
    suite = _suite(
        blocking(gxe.ExpectColumnValuesToNotBeNull(column="x"), "x set"),
        warning(gxe.ExpectColumnValuesToBeBetween(column="x", min_value=0), "x non-negative"),
    )
    outcome = validate_frame(pd.DataFrame({"x": [1, -1]}), suite)
    assert not outcome.success
    assert outcome.blocking_failures == ()
    assert [f.rule for f in outcome.failures] == ["x non-negative"]


def test_naive_warehouse_timestamps_are_read_as_utc(make_warehouse) -> None:
    params = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC), freshness_max_age_days=1)
    fresh_enough = validate_table(
        make_warehouse(*TABLE), "marts.things", _suite(fresh("seen_at", params, "f", block=True))
    )
    assert fresh_enough.success
    stale = SuiteParams(as_of=datetime(2026, 11, 5, tzinfo=UTC), freshness_max_age_days=1)
    too_old = validate_table(
        make_warehouse(*TABLE), "marts.things", _suite(fresh("seen_at", stale, "f", block=True))
    )
    assert [f.blocking for f in too_old.failures] == [True]


def test_data_docs_keep_the_latest_result_per_suite(make_warehouse, tmp_path) -> None:
    docs = tmp_path / "gx_docs"
    path = make_warehouse(*TABLE)
    suite = _suite(blocking(gxe.ExpectColumnValuesToBeUnique(column="id"), "id unique"))
    first = validate_table(path, "marts.things", suite, docs_dir=docs)
    validate_table(path, "marts.things", suite, docs_dir=docs)
    assert first.docs_index == docs / "index.html"
    assert first.docs_index.exists()
    pages = list((docs / "validations" / "things").rglob("*.html"))
    assert len(pages) == 1
    assert "things" in first.docs_index.read_text()


def test_no_progress_bars_are_printed(make_warehouse, capfd) -> None:
    suite = _suite(blocking(gxe.ExpectColumnValuesToBeUnique(column="id"), "id unique"))
    validate_table(make_warehouse(*TABLE), "marts.things", suite)
    captured = capfd.readouterr()
    assert "Calculating Metrics" not in captured.err + captured.out


def test_suite_columns_lists_every_named_column() -> None:
    suite = _suite(
        gxe.ExpectColumnValuesToNotBeNull(column="a"),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["b", "c"]),
        gxe.ExpectColumnPairValuesToBeEqual(column_A="d", column_B="e"),
        gxe.ExpectTableColumnsToMatchSet(column_set=["f"], exact_match=False),
    )
    assert suite_columns(suite) == {"a", "b", "c", "d", "e", "f"}
