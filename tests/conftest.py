"""Session-wide fixtures: one generated sample, one server, one raw warehouse, one built warehouse.

Every test shares these so `make test` stays fast. Tests that mutate (advance a day, inject
faults, break a table) copy what they need first: `copy_sample`, `copy_warehouse`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

# The shared sample: small enough for a fast suite, big enough for every identity case.
SAMPLE_PEOPLE = int(os.environ.get("COMMOPS_TEST_PEOPLE", "400"))
SAMPLE_SEED = 7
SAMPLE_TODAY = date(2026, 11, 1)
SAMPLE_DAYS = 180


# The files that take minutes (a whole Dagster run, several dbt builds), longest first.
# `make test` hands whole files to two xdist workers (`--dist loadfile`) in collection order
# (`--no-loadscope-reorder`). xdist's default order (files with the most tests first) left
# these few-test files to the end, and one worker idle while the other ran them: 852 s of
# wall time for 685 s of tests per worker.
SLOW_FILES = (
    "tests/orchestration/test_daily_job.py",
    "tests/dbt/test_incremental.py",
    "tests/dbt/test_incremental_reattribution.py",
    "tests/dbt/test_dbt_project.py",
    "tests/ingestion/test_slack_source.py",
    "tests/e2e/test_dagster_ui.py",
    "tests/orchestration/test_dbt_partial_parse.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow files first, in SLOW_FILES order; the rest keep theirs (a stable sort)."""
    rank = {path: i for i, path in enumerate(SLOW_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(SLOW_FILES)))


@pytest.fixture(scope="session", autouse=True)
def _isolated_dlt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep dlt's pipelines folder and config out of the user's home and the repo."""
    saved = dict(os.environ)
    root = tmp_path_factory.mktemp("dlt")
    os.environ["DLT_DATA_DIR"] = str(root / "data")
    os.environ["DLT_PROJECT_DIR"] = str(root / "project")
    os.environ["RUNTIME__LOG_LEVEL"] = "WARNING"
    os.environ["COMMOPS_WAREHOUSE"] = str(root / "default-warehouse.duckdb")
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(autouse=True)
def _restore_env() -> Iterator[None]:
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated sample community (read-only for tests: copy it before advancing)."""
    from ingestion.sample.generate import generate

    out = tmp_path_factory.mktemp("sample")
    generate(out, people=SAMPLE_PEOPLE, seed=SAMPLE_SEED, today=SAMPLE_TODAY, days=SAMPLE_DAYS)
    return out


@pytest.fixture
def copy_sample(sample_dir: Path, tmp_path: Path):
    """Returns a function giving a private, mutable copy of the shared sample."""

    def _copy() -> Path:
        dest = tmp_path / "sample-copy"
        shutil.copytree(sample_dir, dest)
        return dest

    return _copy


@pytest.fixture(scope="session")
def sample_server(sample_dir: Path):
    """The local vendor API server over the shared sample, on a free port."""
    from ingestion.sample.serve import make_server

    server = make_server(sample_dir, port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def source_env(sample_server) -> dict[str, str]:
    """Points every dlt source at the local server (SOURCES__* variables) for one test."""
    env = sample_server.env()
    os.environ.update(env)
    return env


@pytest.fixture(scope="session")
def raw_warehouse(sample_server, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every source loaded once from the local server into a DuckDB file (read-only for tests)."""
    from ingestion import pipeline

    path = tmp_path_factory.mktemp("raw") / "warehouse.duckdb"
    saved = dict(os.environ)
    try:
        os.environ.update(sample_server.env())
        results = pipeline.run(warehouse=path)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    failed = {name: r for name, r in results.items() if isinstance(r, Exception)}
    assert not failed, f"sources failed to load: {failed}"
    return path


def run_dbt(args: list[str], warehouse: Path, target_dir: Path) -> None:
    """Run dbt on the project against `warehouse` in a child process; raise on failure.

    A child process, because dbt-duckdb keeps its in-process connection open, which would block
    dlt and read-only readers of the same file in this process."""
    import subprocess
    import sys

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


@pytest.fixture(scope="session")
def built_warehouse(raw_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The raw warehouse copied and built by `dbt build` (read-only for tests)."""
    work = tmp_path_factory.mktemp("built")
    path = work / "warehouse.duckdb"
    shutil.copy(raw_warehouse, path)
    run_dbt(["build"], path, work / "target")
    return path


@pytest.fixture
def copy_warehouse(tmp_path: Path):
    """Returns a function copying a warehouse file into this test's private folder."""

    def _copy(src: Path) -> Path:
        dest = tmp_path / "warehouse.duckdb"
        shutil.copy(src, dest)
        return dest

    return _copy
