"""The validation seam: DuckDB table -> pandas -> ephemeral GX context, Data Docs on disk."""

from __future__ import annotations

from datetime import UTC, datetime

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

import expectations.validate as validate_module
from expectations.rules import SuiteParams, blocking, fresh, warning
from expectations.validate import build_data_docs, suite_columns, validate_frame, validate_table

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
    assert not first.docs_index.exists()  # rendered once per run, not per suite
    assert build_data_docs(docs) == first.docs_index
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


# --- tables larger than one batch ---------------------------------------------------------

# 40 events, ids 1..40, one per hour from 2026-10-30 00:00; `code` is unique too, `score` is
# negative on ids 5 and 30; ids 7 and 8 share a `code` (worked by hand below).
BIG = [
    "create schema marts",
    "create table marts.events as select i as id,"
    " case when i = 8 then 'c7' else 'c' || i end as code,"
    " case when i in (5, 30) then -1 else i end as score,"
    " timestamp '2026-10-30 00:00:00' + to_hours(i - 1) as seen_at"
    " from range(1, 41) r(i)",
]


def _spy_frames(monkeypatch) -> list[tuple[list[str], int]]:
    seen: list[tuple[list[str], int]] = []
    real = validate_module._read

    def spy(*args, **kwargs):
        frame = real(*args, **kwargs)
        seen.append((list(frame.columns), len(frame)))
        return frame

    monkeypatch.setattr(validate_module, "_read", spy)
    return seen


def test_a_large_table_is_read_in_bounded_batches(make_warehouse, monkeypatch) -> None:
    seen = _spy_frames(monkeypatch)
    suite = _suite(
        blocking(gxe.ExpectColumnValuesToBeUnique(column="id"), "id unique"),
        warning(gxe.ExpectColumnValuesToBeBetween(column="score", min_value=0), "score >= 0"),
        warning(gxe.ExpectTableRowCountToBeBetween(min_value=40, max_value=40), "40 rows"),
    )
    outcome = validate_table(make_warehouse(*BIG), "marts.events", suite, max_batch_rows=10)
    assert outcome.row_count == 40
    # the two negative scores are found whichever batches they fell in, and counted once each
    assert [f.observed.split(":")[0] for f in outcome.failures] == ["2 unexpected of 40"]
    batches = [n for columns, n in seen if "score" in columns]
    assert len(batches) == 4 and sum(batches) == 40
    # the row count was checked once over the whole table, with no column read for it
    assert ([], 40) in seen
    # hash partitions are near the bound, never the whole table
    assert max(batches) < 40


def test_duplicate_keys_are_found_across_batches(make_warehouse) -> None:
    path = make_warehouse(*BIG, "insert into marts.events select * from marts.events where id = 3")
    suite = _suite(blocking(gxe.ExpectColumnValuesToBeUnique(column="id"), "id unique"))
    outcome = validate_table(path, "marts.events", suite, max_batch_rows=10)
    assert [(f.rule, f.blocking) for f in outcome.failures] == [("id unique", True)]
    assert outcome.failures[0].observed.startswith("2 unexpected of 41")


def test_a_second_unique_key_is_checked_over_the_whole_table(make_warehouse, monkeypatch) -> None:
    seen = _spy_frames(monkeypatch)
    suite = _suite(
        blocking(gxe.ExpectColumnValuesToBeUnique(column="id"), "id unique"),
        blocking(gxe.ExpectColumnValuesToBeUnique(column="code"), "code unique"),
    )
    outcome = validate_table(make_warehouse(*BIG), "marts.events", suite, max_batch_rows=10)
    # ids 7 and 8 share code 'c7': partitions cut along `id` could separate them
    assert [f.rule for f in outcome.failures] == ["code unique"]
    assert outcome.failures[0].observed.startswith("2 unexpected of 40")
    # DuckDB picked the rows whose code occurs twice; GX judged those two, together
    assert (["code"], 2) in seen


def test_whole_table_aggregates_see_every_batch(make_warehouse) -> None:
    # newest seen_at is id 40: 2026-10-31 15:00; every batch but one lacks it
    params = SuiteParams(as_of=datetime(2026, 11, 1, 12, tzinfo=UTC), freshness_max_age_days=1)
    suite = _suite(
        blocking(gxe.ExpectColumnValuesToBeUnique(column="id"), "id unique"),
        fresh("seen_at", params, "fresh", block=True),
    )
    outcome = validate_table(make_warehouse(*BIG), "marts.events", suite, max_batch_rows=10)
    assert outcome.success, outcome.failures
    stale = SuiteParams(as_of=datetime(2026, 11, 2, 16, tzinfo=UTC), freshness_max_age_days=1)
    suite = _suite(fresh("seen_at", stale, "fresh", block=True))
    outcome = validate_table(make_warehouse(*BIG), "marts.events", suite, max_batch_rows=10)
    assert [f.rule.split(":")[0] for f in outcome.failures] == ["fresh"]


def test_batched_results_reach_the_data_docs(make_warehouse, tmp_path) -> None:
    docs = tmp_path / "gx_docs"
    suite = _suite(
        blocking(gxe.ExpectColumnValuesToBeUnique(column="id"), "id unique"),
        warning(gxe.ExpectTableRowCountToBeBetween(min_value=1), "rows"),
    )
    outcome = validate_table(
        make_warehouse(*BIG), "marts.events", suite, docs_dir=docs, max_batch_rows=20
    )
    assert outcome.success
    index = build_data_docs(docs).read_text()
    assert "things.whole_table" in index and "things.batch_2_of_2" in index


MEMBERS_OF_BIG = "create table marts.members as select 'c' || i as code from range(1, 41) r(i)"
KNOWN = {"code_known": "exists (select 1 from marts.members as m where m.code = t.code)"}


def test_a_reconciliation_rule_reads_only_the_rows_duckdb_suspects(
    make_warehouse, monkeypatch
) -> None:
    seen = _spy_frames(monkeypatch)
    suite = _suite(
        blocking(
            gxe.ExpectColumnValuesToBeInSet(column="code_known", value_set=[True]), "code known"
        ),
        blocking(gxe.ExpectColumnValuesToNotBeNull(column="code_known"), "known is set"),
    )
    # codes c1..c40 are members except c7 (ids 7 and 8) and c12 (id 12): 3 unknown codes
    path = make_warehouse(
        *BIG, MEMBERS_OF_BIG, "delete from marts.members where code in ('c7', 'c12')"
    )
    outcome = validate_table(path, "marts.events", suite, derived_columns=KNOWN, max_batch_rows=10)
    assert [(f.rule, f.observed.split(":")[0]) for f in outcome.failures] == [
        ("code known", "3 unexpected of 40")
    ]
    assert seen == [(["code_known"], 3)]
    met = make_warehouse(*BIG, MEMBERS_OF_BIG)
    seen.clear()
    assert validate_table(
        met, "marts.events", suite, derived_columns=KNOWN, max_batch_rows=10
    ).success
    assert seen == [(["code_known"], 0)]


def test_a_rule_with_mostly_is_judged_on_every_row(make_warehouse) -> None:
    # 3 of 40 rows unknown: 92.5% known, enough for mostly=0.9 (GX on the 3 alone: 0%)
    suite = _suite(
        blocking(
            gxe.ExpectColumnValuesToBeInSet(column="code_known", value_set=[True], mostly=0.9),
            "code mostly known",
        )
    )
    path = make_warehouse(
        *BIG, MEMBERS_OF_BIG, "delete from marts.members where code in ('c7', 'c12')"
    )
    outcome = validate_table(path, "marts.events", suite, derived_columns=KNOWN, max_batch_rows=10)
    assert outcome.success, outcome.failures
    path = make_warehouse(*BIG, MEMBERS_OF_BIG, "delete from marts.members where code < 'c2'")
    # c1 and c10..c19: 11 of 40 unknown, 72.5% known
    outcome = validate_table(path, "marts.events", suite, derived_columns=KNOWN, max_batch_rows=10)
    assert [f.observed.split(":")[0] for f in outcome.failures] == ["11 unexpected of 40"]


def test_a_compound_key_is_checked_on_its_duplicates_nulls_included(make_warehouse) -> None:
    suite = _suite(
        blocking(gxe.ExpectColumnValuesToBeUnique(column="id"), "id unique"),
        blocking(
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["code", "tag"]), "code, tag unique"
        ),
    )
    tagged = "alter table marts.events add column tag varchar"
    # (c7, null) on ids 7 and 8 is a duplicate for GX (one part set); (null, null) rows are not
    path = make_warehouse(*BIG, tagged, "update marts.events set code = null where id in (1, 2)")
    outcome = validate_table(path, "marts.events", suite, max_batch_rows=10)
    assert [(f.rule, f.observed.split(":")[0]) for f in outcome.failures] == [
        ("code, tag unique", "2 unexpected of 40")
    ]
    path = make_warehouse(*BIG, tagged, "update marts.events set tag = 'x' where id = 8")
    assert validate_table(path, "marts.events", suite, max_batch_rows=10).success


def test_data_docs_render_only_what_was_validated_since_the_last_build(
    make_warehouse, tmp_path
) -> None:
    docs = tmp_path / "gx_docs"
    path = make_warehouse(*TABLE)
    rule = blocking(gxe.ExpectColumnValuesToBeUnique(column="id"), "id unique")
    first = gx.ExpectationSuite(name="first", expectations=[rule])
    second = gx.ExpectationSuite(name="second", expectations=[rule.copy()])
    validate_table(path, "marts.things", first, docs_dir=docs)
    validate_table(path, "marts.things", second, docs_dir=docs)
    build_data_docs(docs)
    (untouched,) = (docs / "validations" / "second").rglob("*.html")
    untouched.write_text("left as it was")  # a page the next build must not render again
    (old_first,) = (docs / "validations" / "first").rglob("*.html")
    validate_table(path, "marts.things", first, docs_dir=docs)
    assert not old_first.exists()  # the previous result of a suite validated again is gone
    index = build_data_docs(docs)
    assert untouched.read_text() == "left as it was"
    (new_first,) = (docs / "validations" / "first").rglob("*.html")
    assert new_first != old_first and "compiled by Great Expectations" in new_first.read_text()
    assert "first" in index.read_text() and "second" in index.read_text()
    assert build_data_docs(docs) == index  # nothing validated since: nothing to render


def test_a_suite_validated_whole_forgets_its_batches_of_an_earlier_run(
    make_warehouse, tmp_path
) -> None:
    docs = tmp_path / "gx_docs"
    warehouse = make_warehouse(*BIG)
    suite = _suite(blocking(gxe.ExpectColumnValuesToBeUnique(column="id"), "id unique"))
    validate_table(warehouse, "marts.events", suite, docs_dir=docs, max_batch_rows=20)
    assert "things.batch_2_of_2" in build_data_docs(docs).read_text()
    validate_table(warehouse, "marts.events", suite, docs_dir=docs)
    index = build_data_docs(docs).read_text()
    assert "batch_2_of_2" not in index and "things" in index
    stored = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if "batch" in p.name}
    assert stored == set()
