"""Where the warehouse lives (DESIGN.md contract) and small read-only queries on it."""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path

import duckdb

from orchestration.lib.settings import scoped_env

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ENV_VAR = "COMMOPS_WAREHOUSE"


def warehouse_path() -> Path:
    """`$COMMOPS_WAREHOUSE` or `<project root>/data/warehouse.duckdb`, as an absolute path."""
    configured = os.environ.get(ENV_VAR)
    path = (
        Path(configured).expanduser() if configured else PROJECT_ROOT / "data" / "warehouse.duckdb"
    )
    return path.resolve()


def warehouse_env(path: Path) -> AbstractContextManager[None]:
    """Point `COMMOPS_WAREHOUSE` (read by dbt's profile) at `path` for the duration."""
    return scoped_env(ENV_VAR, str(path))


def row_counts(path: Path, tables: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Row counts of the given (schema, table) pairs that exist; missing ones are left out."""
    wanted = list(dict.fromkeys(tables))
    if not wanted or not Path(path).exists():
        return {}
    counts: dict[tuple[str, str], int] = {}
    with duckdb.connect(str(path), read_only=True) as con:
        existing = {
            (schema, name)
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        for schema, name in wanted:
            if (schema, name) in existing:
                (count,) = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
                counts[(schema, name)] = int(count)
    return counts


def schema_tables(path: Path, schemas: Iterable[str]) -> list[tuple[str, str]]:
    """Base tables (not views) of the given schemas, dlt's internal `_dlt*` tables left out."""
    names = list(schemas)
    if not names or not Path(path).exists():
        return []
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_type = 'BASE TABLE' and table_schema in ("
            + ", ".join("?" for _ in names)
            + ") and table_name not like '\\_dlt%' escape '\\' order by 1, 2",
            names,
        ).fetchall()
    return [(schema, name) for schema, name in rows]
