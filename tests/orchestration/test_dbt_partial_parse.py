"""The daily dbt build reuses the project's parse (dbt partial parsing) instead of re-parsing
the whole project: the parse is made for the warehouse the runs use, and a run pinned to a
day (COMMOPS_AS_OF) does not change dbt's vars."""

from __future__ import annotations

import os
from pathlib import Path

from orchestration.defs.dbt.resources import PARSED_FOR_FILE, dbt_cli, dbt_project
from orchestration.lib.settings import AS_OF_ENV, dbt_build_args
from orchestration.lib.warehouse import warehouse_env, warehouse_path

FULL_PARSE = "Unable to do partial parsing"


def _dbt_log_of_ls(warehouse: Path) -> str:
    """dbt's log of an `ls` invoked as the daily asset invokes `build`: through dagster-dbt
    (which seeds the run's target folder with the project's partial_parse.msgpack), with the
    daily build's arguments and COMMOPS_WAREHOUSE pointing at `warehouse`."""
    command, *args = dbt_build_args()
    assert command == "build"
    with warehouse_env(warehouse):
        invocation = dbt_cli().cli(["ls", *args])
        invocation.wait()
    return (Path(invocation.target_path) / "dbt.log").read_text(encoding="utf-8")


def test_a_run_on_the_parsed_warehouse_partial_parses_another_does_not(clean_env: Path) -> None:
    # the default deployment: COMMOPS_WAREHOUSE unset, runs use <project root>/data/warehouse.duckdb
    # (dbt's profile alone would fall back to a relative path, another connection value)
    del os.environ["COMMOPS_WAREHOUSE"]
    project = dbt_project.__wrapped__()  # uncached: parse now, for this environment
    marker = Path(project.manifest_path).with_name(PARSED_FOR_FILE)
    assert marker.read_text(encoding="utf-8") == str(warehouse_path())

    # a run pinned to a day the parse did not see (restored by tests/conftest.py)
    os.environ[AS_OF_ENV] = "2031-05-06"
    same = _dbt_log_of_ls(warehouse_path())
    assert FULL_PARSE not in same

    # the check can fail: a run on another warehouse file is a full parse ("profile has changed")
    other = _dbt_log_of_ls(clean_env)
    assert FULL_PARSE in other
    assert "profile has changed" in other


def test_the_parse_finds_this_environments_dbt_without_it_on_path(clean_env: Path) -> None:
    # a daemon started as .venv/bin/dagster-daemon: no activated environment, no dbt on PATH
    # (restored by tests/conftest.py); clean_env's warehouse was never parsed for, so the
    # project is parsed now
    os.environ["PATH"] = "/usr/bin:/bin"
    project = dbt_project.__wrapped__()
    marker = Path(project.manifest_path).with_name(PARSED_FOR_FILE)
    assert marker.read_text(encoding="utf-8") == str(clean_env)
    assert os.environ["PATH"] == "/usr/bin:/bin"
