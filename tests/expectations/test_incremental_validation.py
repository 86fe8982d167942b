"""Incremental validation: row-wise rules read only rows loaded since the last passing run.

Each test builds a small `raw_t.people` table by hand, with dlt-style load ids, and runs a
suite declaring `incremental_on: _dlt_load_id` the way every caller does (expectations.run),
so the watermark lives where it does in production (beside the Data Docs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pytest

from expectations.rules import SuiteParams, blocking, key_unique, volume
from expectations.run import run_suite as run_with_history
from expectations.suites import TableSuite
from expectations.validate import INCREMENTAL_MIN_ROWS_ENV, ValidationOutcome, default_docs_dir
from expectations.watermark import DLT_LOAD_ID, INCREMENTAL_ON, load_watermark

TABLE = "raw_t.people"
L1, L2, L3 = "1764547200.000001", "1764633600.000002", "1764720000.000003"
AGE_RULE = "age is never negative"
KEY_RULE = "pk: (id) is unique"


pytestmark = pytest.mark.usefixtures("incremental_from_one_row")


def _build(incremental: bool) -> Callable[[SuiteParams], gx.ExpectationSuite]:
    def build(params: SuiteParams) -> gx.ExpectationSuite:
        meta = {"table": TABLE, **({INCREMENTAL_ON: DLT_LOAD_ID} if incremental else {})}
        return gx.ExpectationSuite(
            name="people",
            expectations=[
                *key_unique(["id"], "pk"),
                blocking(gxe.ExpectColumnValuesToBeBetween(column="age", min_value=0), AGE_RULE),
                *volume(params, "Volume: people"),
            ],
            meta=meta,
        )

    return build


SUITE = TableSuite(name="people", table=TABLE, build=_build(incremental=True))
PLAIN_SUITE = TableSuite(name="people", table=TABLE, build=_build(incremental=False))


def _rows(*rows: tuple[int, int, str]) -> str:
    values = ", ".join(f"({i}, {age}, '{load}')" for i, age, load in rows)
    return f"insert into {TABLE} values {values}"


@pytest.fixture
def people(make_warehouse) -> Path:
    """Five valid rows from load L1."""
    return make_warehouse(
        "create schema raw_t",
        f"create table {TABLE} (id integer, age integer, {DLT_LOAD_ID} varchar)",
        _rows(*[(i, 20 + i, L1) for i in range(1, 6)]),
    )


def _sql(warehouse: Path, *statements: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        for statement in statements:
            con.execute(statement)


def _run(warehouse: Path, suite: TableSuite = SUITE) -> ValidationOutcome:
    return run_with_history(warehouse, suite, as_of=None, freshness_max_age_days=3)


def _failed(outcome: ValidationOutcome) -> list[str]:
    return [f.rule for f in outcome.failures]


def _mark(warehouse: Path) -> str | None:
    mark = load_watermark(default_docs_dir(warehouse), TABLE)
    return None if mark is None else mark.value


def test_first_run_validates_whole_and_sets_the_watermark(people: Path) -> None:
    outcome = _run(people)
    assert outcome.success and not outcome.incremental
    assert outcome.rows_validated == 5
    assert _mark(people) == L1


def test_a_violating_row_in_a_new_load_is_caught_without_rereading_old_loads(
    people: Path,
) -> None:
    _run(people)
    _sql(people, _rows((6, 30, L2), (7, -1, L2)))
    outcome = _run(people)
    assert outcome.incremental
    assert outcome.rows_validated == 2  # the two L2 rows; the five L1 rows were not read
    assert outcome.row_count == 7
    assert _failed(outcome) == [AGE_RULE]


def test_a_failed_validation_keeps_the_watermark_so_bad_rows_are_caught_again(
    people: Path,
) -> None:
    _run(people)
    _sql(people, _rows((6, 30, L2), (7, -1, L2)))
    assert _failed(_run(people)) == [AGE_RULE]
    assert _mark(people) == L1
    again = _run(people)
    assert _failed(again) == [AGE_RULE] and again.rows_validated == 2
    # the source corrects the row (a merge rewrites it with the new load's id)
    _sql(people, f"update {TABLE} set age = 40, {DLT_LOAD_ID} = '{L3}' where id = 7")
    fixed = _run(people)
    assert fixed.success and fixed.rows_validated == 2
    assert _mark(people) == L3
    assert _run(people).rows_validated == 0


def test_a_duplicate_key_spanning_an_old_and_a_new_load_is_caught(people: Path) -> None:
    _run(people)
    _sql(people, _rows((3, 50, L2)))
    outcome = _run(people)
    assert outcome.incremental and outcome.rows_validated == 1
    assert _failed(outcome) == [KEY_RULE]


def test_a_vanished_watermark_load_means_whole_table_validation(people: Path) -> None:
    _run(people)
    # a full refresh / restore: same row count, every row under an older load id, one bad
    _sql(
        people,
        f"delete from {TABLE}",
        _rows(*[(i, 20 + i, "1700000000.000001") for i in range(1, 5)], (5, -5, "1700000000.1")),
    )
    outcome = _run(people)
    assert not outcome.incremental and outcome.rows_validated == 5
    assert _failed(outcome) == [AGE_RULE]


def test_a_shrunk_table_is_validated_whole(people: Path) -> None:
    _run(people)
    # rows vanished and an old row changed without a new load id: only a whole read sees it
    _sql(people, f"delete from {TABLE} where id > 3", f"update {TABLE} set age = -2 where id = 1")
    outcome = _run(people)
    assert not outcome.incremental and outcome.rows_validated == 3
    assert AGE_RULE in _failed(outcome)


def test_new_loads_over_the_batch_size_are_validated_in_partitions(
    people: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(people)
    monkeypatch.setenv("COMMOPS_GX_BATCH_ROWS", "2")
    _sql(people, _rows(*[(i, 30, L2) for i in range(6, 11)], (11, -1, L2), (4, 33, L2)))
    outcome = _run(people)
    assert outcome.incremental and outcome.rows_validated == 7
    assert sorted(_failed(outcome)) == sorted([AGE_RULE, KEY_RULE])


def test_a_suite_without_incremental_on_always_validates_whole(people: Path) -> None:
    _run(people, PLAIN_SUITE)
    _sql(people, _rows((6, 30, L2)))
    outcome = _run(people, PLAIN_SUITE)
    assert not outcome.incremental and outcome.rows_validated == 6
    assert _mark(people) is None


def test_a_table_under_the_incremental_threshold_is_validated_whole(
    people: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(people)
    monkeypatch.setenv(INCREMENTAL_MIN_ROWS_ENV, "7")
    _sql(people, _rows((6, 30, L2)))
    outcome = _run(people)
    assert not outcome.incremental and outcome.rows_validated == 6
    assert _mark(people) == L2  # the mark still moves, ready for when the table grows
