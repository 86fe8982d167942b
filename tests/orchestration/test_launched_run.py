"""A run launched the way Dagster's daemon and UI launch one (`execute_job` on the daily job of
the code location `-m orchestration.definitions`, as `make dev` loads it, with the project's
instance settings), not `execute_in_process` as `commops run` does: it must
run every step in the launching process, the executor the definitions set
(orchestration/defs/schedules.py). With Dagster's default multiprocess executor, each step
was a new process loading the whole code location again (at 500 people the daily job took
532.8 s that way, against 51.3 s in one process).

The run is the Luma slice of the daily job: its dlt asset and the GX checks on its tables,
against the local vendor server, into a fresh warehouse."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.run.instance import cli_instance
from orchestration.run.job import daily_job_in_location

LUMA_TABLES = {"raw_luma.events": "events", "raw_luma.guests": "guests"}


def test_a_launched_run_executes_every_step_in_one_process(
    source_env, sample_dir: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    os.environ["COMMOPS_WAREHOUSE"] = str(warehouse)  # restored by tests/conftest.py
    os.environ["DAGSTER_HOME"] = str(tmp_path / "dagster_home")
    # the dlt asset's keys: it loads them together (no subsetting)
    selection = [dg.AssetKey(["raw_luma", name]) for name in ("events", "guests", "_rejects")]

    with cli_instance(warehouse) as instance:
        with dg.execute_job(
            daily_job_in_location(), instance=instance, asset_selection=selection
        ) as result:
            assert result.success
            starts = [e for e in result.all_events if e.event_type_value == "STEP_START"]
            checks = {
                e.event_specific_data.check_name: e.event_specific_data.passed
                for e in result.all_events
                if e.event_type_value == "ASSET_CHECK_EVALUATION"
            }

    # the dlt step and one step per GX check on the selected tables, all in this process
    steps = {e.step_key for e in starts}
    assert len(steps) >= 1 + len(LUMA_TABLES), steps
    assert {e.pid for e in starts} == {os.getpid()}
    assert {"gx_raw_luma__events", "gx_raw_luma__guests"} <= set(checks)
    assert all(checks.values()), checks

    # and the run did its work: the generator's counts for Luma
    expected = json.loads((sample_dir / "expected_counts.json").read_text())["luma"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table, key in LUMA_TABLES.items():
            assert con.execute(f"select count(*) from {table}").fetchone()[0] == expected[key]
