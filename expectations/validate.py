"""The one seam between suites and data: a DuckDB table, read into pandas, validated by GX.

An ephemeral GX context (no project folder) with a pandas datasource validates a DataFrame
holding only the columns a suite needs. GX's SQL datasource misreports on DuckDB, so it is
never used. When a docs folder is given, the latest result per suite is kept there;
`build_data_docs` renders the pages of the results stored since its last call and the index
(`<docs_dir>/index.html`) once per run.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import threading
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.constants import DATAFRAME_REPLACEMENT_STR  # noqa: E402
from great_expectations.core import ExpectationSuiteValidationResult  # noqa: E402
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.base import (  # noqa: E402
    DataContextConfig,
    ProgressBarsConfig,
)
from great_expectations.data_context.types.resource_identifiers import (  # noqa: E402
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)
from great_expectations.execution_engine import (  # noqa: E402
    pandas_execution_engine as _pandas_engine,
)
from great_expectations.validator.v1_validator import (  # noqa: E402
    Validator as _V1Validator,
)

from expectations.rules import is_blocking  # noqa: E402
from expectations.watermark import (  # noqa: E402
    INCREMENTAL_ON,
    Watermark,
    mark_must_still_occur,
)

# GX fingerprints every batch (an md5 over `pandas.util.hash_pandas_object`, a batch marker
# shown in Data Docs) unless the frame's shallow memory use exceeds this threshold; on the
# big tables that hash cost as much as all the expectations together. At 0 GX skips it, as
# it already does for frames over 1 GB.
_pandas_engine.HASH_THRESHOLD = 0

DOCS_SITE = "commops"
BATCH_ROWS_ENV = "COMMOPS_GX_BATCH_ROWS"
# Suite `meta` key: an absent table is an empty one (e.g. dlt creates a schema's `_rejects`
# only once a record was rejected), not a missing one.
ABSENT_MEANS_EMPTY = "absent_means_empty"
DEFAULT_BATCH_ROWS = 500_000
# Tables under this many rows are validated whole even when their suite is incremental: a
# second GX pass (whole-table rules apart from row-wise ones) costs more than reading them.
INCREMENTAL_MIN_ROWS_ENV = "COMMOPS_GX_INCREMENTAL_MIN_ROWS"
DEFAULT_INCREMENTAL_MIN_ROWS = 100_000
_STORE = ".store"


@dataclass(frozen=True)
class FailedExpectation:
    """One expectation that did not hold, with the rule it guards and what was seen."""

    expectation: str
    column: str | None
    rule: str
    blocking: bool
    observed: str

    def describe(self) -> str:
        kind = "BLOCKING" if self.blocking else "warning"
        return f"[{kind}] {self.rule} (observed: {self.observed})"


@dataclass(frozen=True)
class ValidationOutcome:
    """A suite's verdict on a table: what ran, what failed, and where the docs are."""

    suite: str
    table: str
    row_count: int
    evaluated: int
    failures: tuple[FailedExpectation, ...]
    docs_index: Path | None = None
    table_read: bool = True  # False: the table was missing or unreadable, nothing validated
    # Rows the row-wise rules saw: all `row_count` rows, or only those newer than the watermark.
    rows_validated: int | None = None
    incremental: bool = False  # True: row-wise rules ran on rows newer than the watermark
    # The suite's `incremental_on` column at its newest value when the table was read (None:
    # no such column); run.py stores it once the validation passed.
    watermark: Watermark | None = None

    @property
    def success(self) -> bool:
        return not self.failures

    @property
    def blocking_failures(self) -> tuple[FailedExpectation, ...]:
        return tuple(f for f in self.failures if f.blocking)


def default_docs_dir(warehouse: Path) -> Path:
    """Data Docs live beside the warehouse: data/warehouse.duckdb -> data/gx_docs."""
    return Path(warehouse).parent / "gx_docs"


def batch_rows() -> int:
    """The most rows read into one DataFrame (env `COMMOPS_GX_BATCH_ROWS`)."""
    return max(1, int(os.environ.get(BATCH_ROWS_ENV, DEFAULT_BATCH_ROWS)))


def incremental_min_rows() -> int:
    """The fewest rows a table needs to be validated from its watermark (env
    `COMMOPS_GX_INCREMENTAL_MIN_ROWS`)."""
    return max(0, int(os.environ.get(INCREMENTAL_MIN_ROWS_ENV, DEFAULT_INCREMENTAL_MIN_ROWS)))


def validate_table(
    warehouse: Path,
    table: str,
    suite: gx.ExpectationSuite,
    *,
    derived_columns: Mapping[str, str] | None = None,
    docs_dir: Path | None = None,
    max_batch_rows: int | None = None,
    since: Watermark | None = None,
) -> ValidationOutcome:
    """Validate `schema.table` in the DuckDB file `warehouse` against `suite`.

    derived_columns: extra columns computed in SQL (name -> expression over the table aliased
    `t`), for rules that span tables, e.g. whether each identity's member exists.

    A table of more than `max_batch_rows` rows (default `batch_rows()`) is validated in
    batches so memory stays bounded: row-by-row expectations run on hash partitions of the
    table's key (each key lands in one partition, so a key unique in every partition is unique
    in the table), whole-table expectations (row counts, a column's mean, ...) run once on a
    frame holding only the columns they name, and the expectations `_suspects` can narrow (key
    uniqueness, reconciliation over `derived_columns`, a column's max) run once on the rows
    that could break them, which DuckDB selects (see `_suspects`).

    since: the watermark of the last passing validation. When the suite's meta names an
    `incremental_on` column that the table has and the mark can be trusted (`_delta`, rules in
    expectations/watermark.py), row-by-row expectations only read rows whose column is newer
    than the mark (or null); key uniqueness, expectations over `derived_columns` that read
    other tables (which may have changed under old rows) and whole-table ones still judge the
    whole table, on narrowed frames or frames holding only the columns they name. Otherwise
    the table is validated whole, as are tables under `incremental_min_rows()` rows. The
    outcome carries the column's newest value as the next watermark.
    """
    derived = dict(derived_columns or {})
    schema, name = table.split(".", 1)
    limit = max_batch_rows or batch_rows()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        types = _column_types(con, schema, name)
        existing = list(types)
        if not existing:
            if (suite.meta or {}).get(ABSENT_MEANS_EMPTY):
                columns = sorted(suite_columns(suite))
                empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
                return validate_frame(empty, suite, table=table, docs_dir=docs_dir)
            missing = FailedExpectation(
                expectation="table_exists",
                column=None,
                rule=f"{table} exists in the warehouse",
                blocking=True,
                observed="table not found",
            )
            return ValidationOutcome(suite.name, table, 0, 1, (missing,), table_read=False)
        wanted = suite_columns(suite)
        selected = [c for c in existing if c in wanted]
        try:
            (rows,) = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone() or (0,)
            column = (suite.meta or {}).get(INCREMENTAL_ON)
            mark = _newest(con, schema, name, column, rows) if column in existing else None
            delta = None
            if rows >= incremental_min_rows():
                delta = _delta(con, schema, name, since, mark, types.get(column or "", "VARCHAR"))
            if delta is None and rows <= limit:
                frame = _read(con, schema, name, selected, derived)
                outcome = validate_frame(frame, suite, table=table, docs_dir=docs_dir)
                return replace(outcome, rows_validated=rows, watermark=mark)
            outcome = _validate_in_batches(
                con, schema, name, suite, selected, derived, rows, limit, docs_dir, delta
            )
            return replace(outcome, watermark=mark)
        except duckdb.Error as exc:
            unreadable = FailedExpectation(
                expectation="table_readable",
                column=None,
                rule=f"{table} and the tables its suite reconciles with can be read",
                blocking=True,
                observed=f"error: {exc}",
            )
            return ValidationOutcome(suite.name, table, 0, 1, (unreadable,), table_read=False)


def validate_frame(
    frame: pd.DataFrame,
    suite: gx.ExpectationSuite,
    *,
    table: str = "frame",
    docs_dir: Path | None = None,
) -> ValidationOutcome:
    """Validate a DataFrame against `suite` in the shared ephemeral GX context."""
    run = _Run(suite.name, table, docs_dir)
    result = run.validate(frame, suite)
    return ValidationOutcome(
        suite=suite.name,
        table=table,
        row_count=len(frame),
        evaluated=len(result.results),
        failures=_failures(result.results),
        docs_index=run.finish(),
    )


class _Run:
    """One suite's validation: the shared GX context, one or more batches, the docs.

    Each batch is judged by GX's own validator (what `ValidationDefinition.run` calls) on the
    table's whole-dataframe batch definition. Nothing is registered in the context per call:
    adding the suite and a validation definition cost more than judging a small table. With a
    docs folder, the suite and its result are written to the stores the Data Docs read."""

    def __init__(self, suite_name: str, table: str, docs_dir: Path | None) -> None:
        self.suite_name = suite_name
        self.docs_dir = Path(docs_dir) if docs_dir is not None else None
        self.context, self.batch = _shared_batch_definition(self.docs_dir, table)
        if self.docs_dir is not None:
            _forget_previous_results(self.docs_dir, suite_name)

    def validate(
        self, frame: pd.DataFrame, suite: gx.ExpectationSuite
    ) -> ExpectationSuiteValidationResult:
        validator = _V1Validator(
            batch_definition=self.batch,
            batch_parameters={"dataframe": frame},
            result_format="SUMMARY",
        )
        with warnings.catch_warnings():  # pandas deprecations raised inside GX
            warnings.simplefilter("ignore")
            result = validator.validate_expectation_suite(suite)
        if self.docs_dir is not None:
            self._store(self.docs_dir, result, suite, validator.active_batch_id)
        return result

    def _store(
        self,
        docs_dir: Path,
        result: ExpectationSuiteValidationResult,
        suite: gx.ExpectationSuite,
        batch_id: Any,
    ) -> None:
        """Keep the suite and its result for the Data Docs, with the run keys
        `ValidationDefinition.run` would have added."""
        run_id = RunIdentifier(run_time=datetime.now(UTC))
        result.meta.update(
            validation_id=None,
            checkpoint_id=None,
            run_id=run_id,
            validation_time=run_id.run_time,
            batch_parameters={"dataframe": DATAFRAME_REPLACEMENT_STR},
        )
        suite_id = ExpectationSuiteIdentifier(name=suite.name)
        self.context.expectations_store.set(suite_id, suite)
        result_id = ValidationResultIdentifier(
            expectation_suite_identifier=suite_id, run_id=run_id, batch_identifier=batch_id
        )
        self.context.validation_results_store.store_validation_results(
            suite_validation_result=result,
            suite_validation_result_identifier=result_id,
            expectation_suite_identifier=suite_id,
        )
        _add_pending(
            docs_dir,
            [
                json.dumps({"suite": suite.name}),
                json.dumps({"result": list(result_id.to_tuple())}),
            ],
        )

    def finish(self) -> Path | None:
        """Where the Data Docs index will be once `build_data_docs` renders the stored results
        (rendering costs about a second per call, so it is done once per run, not per suite)."""
        return None if self.docs_dir is None else self.docs_dir / "index.html"


def build_data_docs(docs_dir: Path) -> Path | None:
    """Render the Data Docs pages of the results (and suites) stored in `docs_dir` since the
    last build, and the index over every suite's latest result; the index's path (None when
    nothing was validated there yet). Pages of suites that did not run since are kept as they
    were; without an index yet, every page is rendered."""
    docs_dir = Path(docs_dir)
    if not (docs_dir / _STORE / "validations").is_dir():
        return None
    index = docs_dir / "index.html"
    taken = _take_pending(docs_dir)
    try:
        if not index.exists():
            _docs_context(docs_dir).build_data_docs(site_names=[DOCS_SITE])
        elif taken:
            resources = _pending_resources(taken)
            # an empty list would mean every resource to GX: only pages of resources since
            # forgotten (a suite validated again) were pending, so the index alone changes
            _docs_context(docs_dir).build_data_docs(
                site_names=[DOCS_SITE],
                resource_identifiers=resources or [ExpectationSuiteIdentifier(name=_NO_PAGE)],
            )
    except BaseException:
        _add_pending(docs_dir, taken)  # still to render at the next build
        raise
    return index


# Lines of `<docs_dir>/.store/<_PENDING>`: the store keys written since the last docs build.
_PENDING = "pending_docs.jsonl"
_NO_PAGE = "__commops_no_page__"
_PENDING_LOCK = threading.Lock()


def _add_pending(docs_dir: Path, lines: list[str]) -> None:
    if not lines:
        return
    path = docs_dir / _STORE / _PENDING
    path.parent.mkdir(parents=True, exist_ok=True)
    with _PENDING_LOCK, path.open("a", encoding="utf-8") as out:
        out.write("".join(f"{line}\n" for line in lines))


def _take_pending(docs_dir: Path) -> list[str]:
    """The pending lines, moved out of the way first so keys stored meanwhile wait for the
    next build rather than being lost."""
    path = docs_dir / _STORE / _PENDING
    taken = path.with_name(f"{_PENDING}.{os.getpid()}.{threading.get_ident()}")
    with _PENDING_LOCK:
        try:
            path.replace(taken)
        except FileNotFoundError:
            return []
    try:
        return [line for line in taken.read_text(encoding="utf-8").splitlines() if line]
    finally:
        taken.unlink(missing_ok=True)


def _pending_resources(lines: list[str]) -> list[Any]:
    """The store keys named by pending lines that are still stored (a suite validated again
    forgot its previous result)."""
    keys: list[Any] = []
    for line in dict.fromkeys(lines):
        try:
            entry = json.loads(line)
            if "suite" in entry:
                keys.append(ExpectationSuiteIdentifier(name=str(entry["suite"])))
            else:
                keys.append(ValidationResultIdentifier.from_tuple(tuple(entry["result"])))
        except (ValueError, KeyError, TypeError):
            continue
    return keys


@dataclass(frozen=True)
class _Merged:
    """One expectation's verdict over several batches, shaped like GX's result for it."""

    expectation_config: Any
    success: bool
    result: dict[str, Any]
    exception_info: dict[str, Any]


def _validate_in_batches(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    name: str,
    suite: gx.ExpectationSuite,
    selected: list[str],
    derived: Mapping[str, str],
    rows: int,
    limit: int,
    docs_dir: Path | None,
    delta: str | None = None,
) -> ValidationOutcome:
    """Row-wise expectations on hash partitions of the rows (`delta`: only the rows matching
    that SQL condition, see `validate_table`), narrowable ones once on the rows DuckDB picks
    as suspects (`_suspects`), the rest once on a frame of only the columns they name."""
    table = f"{schema}.{name}"
    relation = f'"{schema}"."{name}"'
    expectations = [e.configuration.to_domain_obj() for e in suite.expectations]
    key = _partition_key(expectations) or [c for c in selected if c not in derived]
    cross_table = {c for c, sql in derived.items() if _reads_tables(sql)}
    suspects = {
        i: _suspects(e, derived, relation, delta, cross_table) for i, e in enumerate(expectations)
    }
    per_batch = [
        i
        for i, e in enumerate(expectations)
        if _row_wise(e, key)
        and e.expectation_type not in _SCHEMA_ONLY
        and not (_columns(e) & cross_table and suspects[i] is not None)
        and not (delta and (e.expectation_type in _UNIQUE or _columns(e) & cross_table))
    ]
    schema_only = [i for i, e in enumerate(expectations) if e.expectation_type in _SCHEMA_ONLY]
    narrowed = [
        i
        for i in range(len(expectations))
        if i not in per_batch and i not in schema_only and suspects[i] is not None
    ]
    # which columns are present is the same verdict on any rows: ride along with another read
    (per_batch if per_batch else narrowed).extend(schema_only)
    whole = [i for i in range(len(expectations)) if i not in per_batch and i not in narrowed]
    run = _Run(suite.name, table, docs_dir)
    verdicts: dict[int, list[Any]] = {i: [] for i in range(len(expectations))}

    def sub_suite(indexes: list[int], label: str) -> gx.ExpectationSuite:
        copies = []
        for i in indexes:
            copy = expectations[i].configuration.to_domain_obj()
            # GX returns results in its own order, not the suite's: tag each with its rule
            copy.meta = {**(copy.meta or {}), _INDEX: i}
            copies.append(copy)
        return gx.ExpectationSuite(
            name=f"{suite.name}{label}", expectations=copies, meta=dict(suite.meta or {})
        )

    def validate(indexes: list[int], label: str, where: str | None, all_columns: bool) -> None:
        columns = set().union(*(_columns(expectations[i]) for i in indexes))
        frame = _read(
            con,
            schema,
            name,
            [c for c in selected if c not in derived and (all_columns or c in columns)],
            {k: v for k, v in derived.items() if k in columns},
            where=where,
        )
        before = {i: len(verdicts[i]) for i in indexes}
        result = run.validate(frame, sub_suite(indexes, label))
        for item in result.results:
            verdicts[int(item.expectation_config.meta[_INDEX])].append(item)
        if any(len(verdicts[i]) != before[i] + 1 for i in indexes):
            raise RuntimeError(f"GX answered {len(result.results)} of {len(indexes)} rules")

    if whole:
        validate(whole, ".whole_table", None, all_columns=False)
    if narrowed:
        conditions = [suspects[i] for i in narrowed if suspects[i] != "false"]
        where = " or ".join(f"({c})" for c in conditions)
        validate(narrowed, ".suspect_rows", where or "false", all_columns=False)
    checked = rows
    if per_batch:
        if delta:
            (checked,) = con.execute(
                f"select count(*) from {relation} as t where {delta}"
            ).fetchone() or (0,)
        batches = max(1, math.ceil(checked / limit))
        hashed = ", ".join(f't."{c}"' for c in key) if key else "t.rowid"
        for part in range(batches):
            where = [delta] if delta else []
            if batches > 1:
                where.append(f"hash({hashed}) % {batches} = {part}")
            condition = " and ".join(f"({w})" for w in where) or None
            validate(per_batch, f".batch_{part + 1}_of_{batches}", condition, all_columns=True)
    merged = [_merge(expectations[i], verdicts[i]) for i in range(len(expectations))]
    for i in narrowed:
        merged[i] = _over_table(merged[i], rows)
    return ValidationOutcome(
        suite=suite.name,
        table=table,
        row_count=rows,
        evaluated=len(merged),
        failures=_failures(merged),
        docs_index=run.finish(),
        rows_validated=checked if per_batch else 0,
        incremental=delta is not None,
    )


# meta key of an expectation's copy in a batch's sub-suite: its index in the suite
_INDEX = "commops_index"


def _reads_tables(sql: str) -> bool:
    """Whether a derived column's SQL reads other tables (a subquery), so its value on an
    old row can change without the row changing; otherwise it is computed from the row."""
    return "select" in sql.lower()


def _suspects(
    e: Any,
    derived: Mapping[str, str],
    relation: str,
    delta: str | None = None,
    cross_table: set[str] | frozenset[str] = frozenset(),
) -> str | None:
    """A SQL condition over the table (aliased `t`) selecting every row that could make the
    GX expectation `e` fail, plus maybe some that cannot: GX then judges those rows alone, and
    its verdict and unexpected count are those it would give on the whole table. None when
    `e` cannot be narrowed so (the whole column is read); "false" when no row matters (the
    columns are checked, not the values).

    - unique / compound unique: the rows whose key occurs more than once in the table (GX
      skips null keys; a compound key counts when one of its parts is set, as in GX). With a
      `delta` (rows newer than a trusted watermark), only keys a delta row has are counted:
      the rows under the mark were unique when the mark was set and none changed since (a
      change gives a row a newer mark), so every duplicate involves a delta row. Not so for
      a key over a `cross_table` derived column, whose old rows' values can change;
    - in set / not null / pair equal / pair A > B (or >=): the rows where SQL does not find
      the rule true (null counts as not true, so null cases GX may skip are included);
    - a column's max (min): the rows holding the max (min), or every row when all are null.
    Rules with `mostly` or `row_condition` are never narrowed (their verdict is a share).
    """
    kind = e.expectation_type
    kwargs = e.configuration.kwargs
    if kind in _SCHEMA_ONLY:
        return "false"
    if _partial(e) or kwargs.get("row_condition"):
        return None

    def expr(column: str) -> str:
        return f"({derived[column]})" if column in derived else f't."{column}"'

    if kind in _UNIQUE:
        columns = _key_of(e)
        parts = [expr(c) for c in columns]
        hashed = f"hash({', '.join(parts)})"  # equal keys (nulls alike) hash alike
        touched = "true"
        if delta and not set(columns) & set(cross_table):
            touched = f"{hashed} in (select {hashed} from {relation} as t where {delta})"
    if kind == "expect_column_values_to_be_unique":
        x = parts[0]
        dupes = f"select {x} from {relation} as t where {touched} group by all having count(*) > 1"
        return f"{x} in ({dupes})"
    if kind == "expect_compound_columns_to_be_unique":
        keys = ", ".join(f"{x} as k{n}" for n, x in enumerate(parts))
        some_set = " or ".join(f"{x} is not null" for x in parts)
        dupes = (
            f"select {keys} from {relation} as t where ({some_set}) and {touched}"
            " group by all having count(*) > 1"
        )
        match = " and ".join(f"d.k{n} is not distinct from {x}" for n, x in enumerate(parts))
        return f"exists (select 1 from ({dupes}) as d where {match})"
    if kind == "expect_column_values_to_be_in_set":
        values = _sql_literals(kwargs.get("value_set"))
        if values is None:
            return None
        return f"not coalesce({expr(kwargs['column'])} in ({values}), false)"
    if kind == "expect_column_values_to_not_be_null":
        return f"{expr(kwargs['column'])} is null"
    if kind == "expect_column_pair_values_to_be_equal":
        return f"{expr(kwargs['column_A'])} is distinct from {expr(kwargs['column_B'])}"
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        op = ">=" if kwargs.get("or_equal") else ">"
        a, b = expr(kwargs["column_A"]), expr(kwargs["column_B"])
        return f"not coalesce({a} {op} {b}, false)"
    if kind in ("expect_column_max_to_be_between", "expect_column_min_to_be_between"):
        x = expr(kwargs["column"])
        agg = "max" if kind == "expect_column_max_to_be_between" else "min"
        extreme = f"(select {agg}({x}) from {relation} as t)"
        return f"{x} = {extreme} or ({x} is null and {extreme} is null)"
    return None


def _sql_literals(values: Any) -> str | None:
    """`values` as a SQL list when all are booleans, all integers or all strings."""
    values = list(values or [])
    if not values:
        return None
    if all(isinstance(v, bool) for v in values):
        return ", ".join("true" if v else "false" for v in values)
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return ", ".join(str(v) for v in values)
    if all(isinstance(v, str) for v in values):
        return ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return None


def _over_table(merged: _Merged, rows: int) -> _Merged:
    """A narrowed expectation's result, counted over the whole table: GX saw only the suspect
    rows, but the verdict and unexpected count are the table's."""
    result = dict(merged.result)
    if "element_count" in result:
        result["element_count"] = rows
        unexpected = result.get("unexpected_count") or 0
        result["unexpected_percent"] = 100.0 * unexpected / rows if rows else 0.0
        for stale in ("unexpected_percent_total", "unexpected_percent_nonmissing"):
            result.pop(stale, None)
    return replace(merged, result=result)


def _column_types(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> dict[str, str]:
    """The table's columns in order, with their DuckDB types; empty when there is no such
    table. DESCRIBE reads the one catalog entry: information_schema.columns lists every
    column of the warehouse first, 40-100 ms on a fresh connection to a big warehouse."""
    relation = '"{}"."{}"'.format(schema.replace('"', '""'), name.replace('"', '""'))
    try:
        described = con.execute(f"describe {relation}").fetchall()
    except duckdb.CatalogException:
        return {}
    return {str(row[0]): str(row[1]) for row in described}


def _newest(
    con: duckdb.DuckDBPyConnection, schema: str, name: str, column: str, rows: int
) -> Watermark | None:
    """The `column`'s newest value now, as DuckDB's text of it (a timestamp's text casts back
    to the same timestamp): the watermark a passing validation leaves."""
    (value,) = con.execute(
        f'select max("{column}")::varchar from "{schema}"."{name}"'
    ).fetchone() or (None,)
    return None if value is None else Watermark(column, str(value), rows)


def _delta(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    name: str,
    since: Watermark | None,
    now: Watermark | None,
    column_type: str = "VARCHAR",
) -> str | None:
    """The SQL condition selecting rows newer than `since` (or null), or None when the table
    must be validated whole: no mark yet, another column, or a mark that cannot be trusted
    (`watermark.mark_must_still_occur`: for dlt load ids, the table shrank or the marked load
    is gone from it; for dbt run stamps, the table's newest stamp is older than the mark).
    `column_type` is the column's DuckDB type; the mark is cast to it for the comparison."""
    if since is None or now is None or since.column != now.column:
        return None
    column = f't."{since.column}"'
    mark = f"cast('{since.value.replace(chr(39), chr(39) * 2)}' as {column_type})"
    relation = f'"{schema}"."{name}" as t'
    if mark_must_still_occur(since.column):
        if now.row_count < since.row_count:
            return None
        query = f"select count(*) > 0 from {relation} where {column} = {mark}"
    else:
        query = f"select coalesce(max({column}) >= {mark}, false) from {relation}"
    (trusted,) = con.execute(query).fetchone() or (False,)
    if not trusted:
        return None
    return f"{column} > {mark} or {column} is null"


_ROW_WISE_PREFIXES = (
    "expect_column_values_",
    "expect_column_pair_values_",
    "expect_multicolumn_",
    "expect_select_column_values_",
    "expect_compound_columns_",
)
_SCHEMA_ONLY = (
    "expect_table_columns_to_match_set",
    "expect_table_columns_to_match_ordered_list",
    "expect_column_to_exist",
)
_UNIQUE = ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique")


def _partition_key(expectations: list[Any]) -> list[str] | None:
    """The columns of the suite's first uniqueness rule: partitions are cut along them."""
    for e in expectations:
        if e.expectation_type in _UNIQUE:
            return _key_of(e)
    return None


def _key_of(e: Any) -> list[str]:
    kwargs = e.configuration.kwargs
    return [kwargs["column"]] if kwargs.get("column") else list(kwargs.get("column_list") or [])


def _row_wise(e: Any, key: list[str]) -> bool:
    """Whether an expectation's verdict on the table is the verdict of every partition (not
    so for a `mostly` rule: a share of each partition is not the share of the table)."""
    kind = e.expectation_type
    if _partial(e):
        return False
    if kind in _UNIQUE:
        return set(_key_of(e)) == set(key)
    return kind in _SCHEMA_ONLY or kind.startswith(_ROW_WISE_PREFIXES)


def _partial(e: Any) -> bool:
    """Whether the expectation tolerates a share of failing rows (`mostly` under 1)."""
    return e.configuration.kwargs.get("mostly") not in (None, 1, 1.0)


def _columns(e: Any) -> set[str]:
    """The columns one expectation names."""
    kwargs = e.configuration.kwargs
    named = {kwargs[key] for key in ("column", "column_A", "column_B") if kwargs.get(key)}
    for key in ("column_list", "column_set"):
        named.update(kwargs.get(key) or [])
    return named


def _merge(expectation: Any, items: list[Any]) -> _Merged:
    failed = [item for item in items if not item.success]
    first = (failed or items)[0]
    result: dict[str, Any] = dict(first.result or {})
    for counter in ("element_count", "unexpected_count", "missing_count"):
        if any(counter in (item.result or {}) for item in items):
            result[counter] = sum((item.result or {}).get(counter) or 0 for item in items)
    partial: list[Any] = []
    for item in failed:
        partial.extend((item.result or {}).get("partial_unexpected_list") or [])
    if partial:
        result["partial_unexpected_list"] = partial[:20]
    return _Merged(
        expectation_config=expectation.configuration,
        success=not failed,
        result=result,
        exception_info=dict(first.exception_info or {}),
    )


def suite_columns(suite: gx.ExpectationSuite) -> set[str]:
    """Every column an expectation of the suite names."""
    return set().union(*(_columns(e) for e in suite.expectations))


def _read(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    name: str,
    columns: list[str],
    derived: Mapping[str, str],
    where: str | None = None,
) -> pd.DataFrame:
    parts = [f't."{c}"' for c in columns] + [
        f'({sql}) as "{alias}"' for alias, sql in derived.items()
    ]
    relation = f'"{schema}"."{name}" as t' + (f" where {where}" if where else "")
    if not parts:
        (count,) = con.execute(f"select count(*) from {relation}").fetchone() or (0,)
        return pd.DataFrame(index=range(count))
    with warnings.catch_warnings():  # pandas deprecations raised inside duckdb's conversion
        warnings.simplefilter("ignore")
        frame = con.execute(f"select {', '.join(parts)} from {relation}").df()
    return _timestamps_in_utc(frame)


def _timestamps_in_utc(frame: pd.DataFrame) -> pd.DataFrame:
    """Warehouse timestamps are UTC; give naive ones (dbt `timestamp`) the UTC zone, so
    suites compare every timestamp column with the same aware datetimes."""
    for column in frame.columns:
        dtype = frame[column].dtype
        if pd.api.types.is_datetime64_dtype(dtype) and getattr(dtype, "tz", None) is None:
            frame[column] = frame[column].dt.tz_localize("UTC")
    return frame


def _context(docs_dir: Path | None):
    return gx.get_context(mode="ephemeral", project_config=_context_config(docs_dir))


def _docs_context(docs_dir: Path) -> Any:
    """This thread's context over `docs_dir` (the one its suites validated with, if any)."""
    return _shared_context(docs_dir)[0]


_SHARED = threading.local()


def _shared_context(docs_dir: Path | None) -> tuple[Any, Any]:
    """One ephemeral GX context and pandas datasource per docs folder (and thread), reused
    by every suite this process validates there: building them cost about 0.1 s per suite.
    Each table keeps its own data asset, so the Data Docs still name the table."""
    cache: dict[str, tuple[Any, Any]] | None = getattr(_SHARED, "contexts", None)
    if cache is None:
        cache = _SHARED.contexts = {}
    key = str(docs_dir)
    if key not in cache:
        context = _context(docs_dir)
        cache[key] = (context, context.data_sources.add_pandas("warehouse"))
    return cache[key]


def _shared_batch_definition(docs_dir: Path | None, table: str) -> tuple[Any, Any]:
    """The shared context and the whole-dataframe batch definition of `table`'s asset."""
    context, source = _shared_context(docs_dir)
    asset = next((a for a in source.assets if a.name == table), None)
    if asset is None:
        asset = source.add_dataframe_asset(table)
    batch = next((b for b in asset.batch_definitions if b.name == "whole_table"), None)
    return context, batch or asset.add_batch_definition_whole_dataframe("whole_table")


def _context_config(docs_dir: Path | None) -> DataContextConfig:
    def store(class_name: str, folder: str | None) -> dict[str, Any]:
        if folder is None or docs_dir is None:
            backend: dict[str, Any] = {"class_name": "InMemoryStoreBackend"}
        else:
            backend = {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(Path(docs_dir) / _STORE / folder),
            }
        return {"class_name": class_name, "store_backend": backend}

    sites: dict[str, Any] = {}
    if docs_dir is not None:
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    return DataContextConfig(
        stores={
            "expectations_store": store("ExpectationsStore", "expectations"),
            "validation_results_store": store("ValidationResultsStore", "validations"),
            "checkpoint_store": store("CheckpointStore", None),
            "validation_definition_store": store("ValidationDefinitionStore", None),
        },
        expectations_store_name="expectations_store",
        validation_results_store_name="validation_results_store",
        checkpoint_store_name="checkpoint_store",
        data_docs_sites=sites,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        analytics_enabled=False,
    )


def _forget_previous_results(docs_dir: Path, suite_name: str) -> None:
    """Keep only the latest result per suite (its batches' results included), so the site
    shows the current state; the suite's stored expectations and their pages go too (its
    batches' sub-suites differ from run to run, e.g. `batch_3_of_10`), to be stored again."""
    for parent in (
        docs_dir / _STORE / "validations",
        docs_dir / "validations",
        docs_dir / _STORE / "expectations",
        docs_dir / "expectations",
    ):
        if not parent.is_dir():
            continue
        for entry in parent.iterdir():
            if entry.name == suite_name or entry.name.startswith(f"{suite_name}."):
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)


def _failures(items: Iterable[Any]) -> tuple[FailedExpectation, ...]:
    """GX's per-expectation results (or `_Merged` ones) that failed, with their rules."""
    failures = []
    for item in items:
        if item.success:
            continue
        config = item.expectation_config
        meta = dict(config.meta or {})
        failures.append(
            FailedExpectation(
                expectation=config.type,
                column=config.kwargs.get("column"),
                rule=str(meta.get("rule") or config.notes or config.type),
                blocking=is_blocking(meta),
                observed=_observed(item.result or {}, item.exception_info or {}),
            )
        )
    return tuple(failures)


def _observed(result: Mapping[str, Any], exception: Mapping[str, Any]) -> str:
    message = _exception_message(exception)
    if message:
        return f"error: {message}"
    if "observed_value" in result:
        return str(result["observed_value"])
    if result.get("unexpected_count"):
        sample = ", ".join(repr(v) for v in (result.get("partial_unexpected_list") or [])[:5])
        return f"{result['unexpected_count']} unexpected of {result.get('element_count')}: {sample}"
    return "failed"


def _exception_message(exception: Mapping[str, Any]) -> str | None:
    """GX reports an error either flat or keyed by the metric that raised it."""
    if exception.get("raised_exception"):
        return str(exception.get("exception_message"))
    for value in exception.values():
        if isinstance(value, Mapping) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None
