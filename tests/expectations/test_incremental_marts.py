"""Incremental validation of dbt marts: row-wise rules read only rows a later dbt run wrote.

dbt stamps each row it writes with `_loaded_at` (the run's `run_started_at`); an incremental
run leaves the rows it does not rewrite with their older stamp. Each test builds a small
`marts.days` table by hand and runs a suite declaring `incremental_on: _loaded_at` the way
every caller does (expectations.run), so the watermark lives where it does in production.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pytest

from expectations.rules import SuiteParams, blocking, key_unique, volume
from expectations.run import run_suite as run_with_history
from expectations.suites import TableSuite, load_suites
from expectations.validate import ValidationOutcome, default_docs_dir
from expectations.watermark import DBT_LOADED_AT, INCREMENTAL_ON, load_watermark

TABLE = "marts.days"
R1, R2, R3 = "2026-11-29 04:00:00", "2026-11-30 04:00:00", "2026-12-01 04:00:00"
COUNT_RULE = "a day counts at least one activity"
MEMBER_RULE = "every day's member exists"
KEY_RULE = "pk: (day_id) is unique"


pytestmark = pytest.mark.usefixtures("incremental_from_one_row")


def _build(params: SuiteParams) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="days",
        expectations=[
            *key_unique(["day_id"], "pk"),
            blocking(gxe.ExpectColumnValuesToBeBetween(column="n", min_value=1), COUNT_RULE),
            blocking(
                gxe.ExpectColumnValuesToBeInSet(column="member_known", value_set=[True]),
                MEMBER_RULE,
            ),
            *volume(params, "Volume: days"),
        ],
        meta={"table": TABLE, INCREMENTAL_ON: DBT_LOADED_AT},
    )


SUITE = TableSuite(
    name="days",
    table=TABLE,
    build=_build,
    derived_columns={
        "member_known": "exists (select 1 from marts.members as m where m.id = t.member_id)"
    },
)


def _rows(*rows: tuple[int, int, str]) -> str:
    """(day_id, n, stamp) rows of member m1."""
    values = ", ".join(f"({i}, 'm1', {n}, timestamp '{stamp}')" for i, n, stamp in rows)
    return f"insert into {TABLE} values {values}"


@pytest.fixture
def days(make_warehouse) -> Path:
    """Six valid days written by the run R1."""
    return make_warehouse(
        "create schema marts",
        "create table marts.members as select 'm1' as id",
        f"create table {TABLE} (day_id integer, member_id varchar, n integer,"
        f" {DBT_LOADED_AT} timestamp)",
        _rows(*[(i, i, R1) for i in range(1, 7)]),
    )


def _sql(warehouse: Path, *statements: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        for statement in statements:
            con.execute(statement)


def _run(warehouse: Path, suite: TableSuite = SUITE) -> ValidationOutcome:
    return run_with_history(warehouse, suite, as_of=None, freshness_max_age_days=3)


def _failed(outcome: ValidationOutcome) -> list[str]:
    return [f.rule for f in outcome.failures]


def _mark(warehouse: Path, table: str = TABLE) -> str | None:
    mark = load_watermark(default_docs_dir(warehouse), table)
    return None if mark is None else mark.value


def test_first_run_validates_whole_and_marks_the_newest_stamp(days: Path) -> None:
    outcome = _run(days)
    assert outcome.success and not outcome.incremental
    assert outcome.rows_validated == 6
    assert _mark(days) == R1


def test_a_bad_row_written_by_a_later_run_is_caught_without_rereading_older_rows(
    days: Path,
) -> None:
    _run(days)
    # the run R2 adds day 7 and rewrites day 2, badly; days 1 and 3-6 keep R1
    _sql(
        days,
        _rows((7, 1, R2)),
        f"update {TABLE} set n = 0, {DBT_LOADED_AT} = '{R2}' where day_id = 2",
    )
    outcome = _run(days)
    assert outcome.incremental
    assert outcome.rows_validated == 2  # days 2 and 7; the five R1 rows were not read
    assert outcome.row_count == 7
    assert _failed(outcome) == [COUNT_RULE]


def test_a_failed_validation_keeps_its_mark(days: Path) -> None:
    _run(days)
    _sql(days, _rows((7, 0, R2), (8, 1, R2)))
    assert _failed(_run(days)) == [COUNT_RULE]
    assert _mark(days) == R1
    again = _run(days)
    assert _failed(again) == [COUNT_RULE] and again.rows_validated == 2
    _sql(days, f"update {TABLE} set n = 3, {DBT_LOADED_AT} = '{R3}' where day_id = 7")
    fixed = _run(days)
    assert fixed.success and fixed.rows_validated == 2  # days 7 (R3) and 8 (R2)
    assert _mark(days) == R3
    assert _run(days).rows_validated == 0


def test_a_run_rewriting_every_row_of_the_marked_run_stays_incremental(days: Path) -> None:
    _sql(days, _rows((7, 1, R2), (8, 1, R2)))
    _run(days)
    assert _mark(days) == R2
    # R3 rewrites both rows R2 wrote and deletes one of them (re-keyed): the marked stamp is
    # gone and the table shrank, yet no row under the mark changed
    _sql(
        days,
        f"delete from {TABLE} where day_id = 8",
        f"update {TABLE} set n = -1, {DBT_LOADED_AT} = '{R3}' where day_id = 7",
    )
    outcome = _run(days)
    assert outcome.incremental and outcome.rows_validated == 1
    assert _failed(outcome) == [COUNT_RULE]


def test_a_full_refresh_rereads_every_row(days: Path) -> None:
    _run(days)
    _sql(
        days,
        f"update {TABLE} set {DBT_LOADED_AT} = '{R2}'",
        f"update {TABLE} set n = 0 where day_id = 1",
    )
    outcome = _run(days)
    assert outcome.rows_validated == 6
    assert _failed(outcome) == [COUNT_RULE]


def test_a_table_older_than_its_mark_is_validated_whole(days: Path) -> None:
    _sql(days, _rows((7, 1, R2)))
    _run(days)
    # a restore of an older copy: every stamp is R1 again, and an R1 row differs
    _sql(
        days,
        f"delete from {TABLE} where day_id = 7",
        f"update {TABLE} set n = 0 where day_id = 3",
    )
    outcome = _run(days)
    assert not outcome.incremental and outcome.rows_validated == 6
    assert _failed(outcome) == [COUNT_RULE]


def test_a_duplicate_key_and_a_vanished_member_under_the_mark_are_still_caught(
    days: Path,
) -> None:
    _run(days)
    # R2 writes day 3 again (a duplicate of an R1 row); m1 also leaves the members table
    _sql(days, _rows((3, 1, R2)), "delete from marts.members")
    outcome = _run(days)
    assert outcome.incremental and outcome.rows_validated == 1
    assert sorted(_failed(outcome)) == sorted([KEY_RULE, MEMBER_RULE])
    by_rule = {f.rule: f.observed for f in outcome.failures}
    assert by_rule[KEY_RULE].startswith("2 unexpected of 7")
    assert by_rule[MEMBER_RULE].startswith("7 unexpected of 7")


def test_without_the_column_the_table_is_validated_whole(make_warehouse) -> None:
    path = make_warehouse(
        "create schema marts",
        "create table marts.members as select 'm1' as id",
        f"create table {TABLE} (day_id integer, member_id varchar, n integer)",
        f"insert into {TABLE} values (1, 'm1', 1), (2, 'm1', 2)",
    )
    assert _run(path).success and _mark(path) is None
    _sql(path, f"insert into {TABLE} values (3, 'm1', 0)")
    outcome = _run(path)
    assert not outcome.incremental and outcome.rows_validated == 3
    assert _failed(outcome) == [COUNT_RULE]


@pytest.mark.parametrize("suite", ["fct_activities", "fct_member_daily_activity"])
def test_the_activity_marts_are_validated_from_their_dbt_stamp(suite: str) -> None:
    assert (load_suites()[suite].build(SuiteParams()).meta or {})[INCREMENTAL_ON] == "_loaded_at"


def test_fct_activities_catches_a_bad_activity_of_a_later_run(make_warehouse) -> None:
    path = make_warehouse(
        "create schema marts",
        "create table marts.dim_members as select * from (values ('m1'), ('m2')) t(member_id)",
        """create table marts.fct_activities as select * from (values
            ('a1', 'm1', 'slack', 'message', timestamp '2026-10-31 10:00:00', 6.0, false),
            ('a2', 'm2', 'discourse', 'like', timestamp '2026-10-30 10:00:00', 1.0, false),
            ('a3', 'm2', 'luma', 'check_in', timestamp '2026-10-29 10:00:00', 8.0, false)
        ) t(activity_id, member_id, platform, activity_type, occurred_at, weight, is_deleted)""",
        f"alter table marts.fct_activities add column {DBT_LOADED_AT} timestamp"
        f" default timestamp '{R1}'",
    )
    suite = load_suites()["fct_activities"]
    as_of = datetime(2026, 11, 1, tzinfo=UTC)
    first = run_with_history(path, suite, as_of=as_of, freshness_max_age_days=3)
    assert first.success and _mark(path, suite.table) == R1
    _sql(
        path,
        "insert into marts.fct_activities values ('a4', 'm1', 'slack', 'poke',"
        f" timestamp '2026-10-31 12:00:00', 1.0, false, timestamp '{R2}')",
    )
    outcome = run_with_history(path, suite, as_of=as_of, freshness_max_age_days=3)
    assert outcome.incremental and outcome.rows_validated == 1
    assert [f.column for f in outcome.failures] == ["activity_type"]
    assert _mark(path, suite.table) == R1
