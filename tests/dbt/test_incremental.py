"""An incremental dbt build after the next day's data equals a full refresh of the same data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from tests.conftest import run_dbt
from tests.dbt.test_dbt_project import MARTS


def _load(sample: Path, warehouse: Path) -> None:
    from ingestion import pipeline
    from ingestion.sample.serve import make_server

    server = make_server(sample, port=0)
    server.start()
    try:
        saved = dict(os.environ)
        os.environ.update(server.env())
        try:
            results = pipeline.run(warehouse=warehouse)
        finally:
            os.environ.clear()
            os.environ.update(saved)
    finally:
        server.stop()
    failed = {name: r for name, r in results.items() if isinstance(r, Exception)}
    assert not failed, f"sources failed to load: {failed}"


# seeds and models: the builds that only make the data to compare skip the data tests
MODELS_ONLY = ["build", "--exclude-resource-type", "unit_test", "--exclude-resource-type", "test"]

# when a run wrote the row, not what it holds: it differs between two builds by design
RUN_COLUMNS = {"_loaded_at"}


def differences(
    con: duckdb.DuckDBPyConnection, left: str, right: str, tables: list[str]
) -> dict[str, tuple[int, int]]:
    """Per table (schema.name): rows only in catalog left, rows only in right (as multisets),
    over every column but RUN_COLUMNS."""
    out = {}
    for table in tables:
        schema, name = table.split(".")
        columns = [
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns where table_catalog = ?"
                " and table_schema = ? and table_name = ? order by ordinal_position",
                [left, schema, name],
            ).fetchall()
            if row[0] not in RUN_COLUMNS
        ]
        assert columns, table
        select = ", ".join(f'"{c}"' for c in columns)
        only = [
            con.execute(
                f"select count(*) from (select {select} from {a}.{table} except all"
                f" select {select} from {b}.{table})"
            ).fetchone()[0]
            for a, b in ((left, right), (right, left))
        ]
        if any(only):
            out[table] = (only[0], only[1])
    return out


def _differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """Per mart: rows only in left, rows only in right (as multisets)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        return differences(con, "l", "r", [f"marts.{t}" for t in MARTS])
    finally:
        con.close()


def test_incremental_build_after_advance_equals_full_refresh(copy_sample, tmp_path: Path) -> None:
    from ingestion.sample.advance import advance

    os.environ["DLT_DATA_DIR"] = str(tmp_path / "dlt")  # restored by tests/conftest.py
    sample = copy_sample()
    incremental = tmp_path / "incremental.duckdb"
    _load(sample, incremental)
    run_dbt(MODELS_ONLY, incremental, tmp_path / "target-1")

    delta = advance(sample)
    assert delta
    _load(sample, incremental)
    full = tmp_path / "full.duckdb"
    shutil.copy(incremental, full)
    run_dbt(["build"], incremental, tmp_path / "target-2")  # the daily build, data tests too
    run_dbt([*MODELS_ONLY, "--full-refresh"], full, tmp_path / "target-3")

    con = duckdb.connect(str(incremental), read_only=True)
    new_rows = con.execute("select count(*) from marts.fct_activities").fetchone()[0]
    con.close()
    assert new_rows > 0
    assert _differences(incremental, full) == {}
