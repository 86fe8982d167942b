"""Fixtures for the dbt project: an empty warehouse made from the raw contract (raw_schema.sql)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

HERE = Path(__file__).resolve().parent
RAW_SCHEMA = HERE / "raw_schema.sql"


def make_empty_warehouse(path: Path) -> Path:
    """A DuckDB file holding every raw table of docs/CONTRACTS.md section 3, with no rows."""
    con = duckdb.connect(str(path))
    try:
        con.execute(RAW_SCHEMA.read_text())
    finally:
        con.close()
    return path


@pytest.fixture
def empty_warehouse(tmp_path: Path) -> Path:
    """A fresh warehouse with the raw schemas and tables but no data."""
    return make_empty_warehouse(tmp_path / "warehouse.duckdb")
