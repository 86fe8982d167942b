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


def run_dbt_subprocess(args: list[str], warehouse: Path, target_dir: Path) -> None:
    """Run dbt in a child process, so no DuckDB connection stays open in this one (dbt-duckdb
    keeps its in-process connection, which blocks dlt and other readers of the same file)."""
    import os
    import subprocess
    import sys

    from tests.conftest import DBT_PROJECT_DIR

    env = {**os.environ, "COMMOPS_WAREHOUSE": str(warehouse)}
    cmd = [
        sys.executable,
        "-c",
        "from dbt.cli.main import cli; cli()",
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(target_dir / "logs"),
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = f"{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
        raise RuntimeError(f"dbt {' '.join(args)} failed:\n{tail}")
