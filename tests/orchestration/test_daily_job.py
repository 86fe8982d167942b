"""The whole daily job on a temporary warehouse, against the local vendor server.

First run: every source loads what the generator says a correct client loads, dbt builds the
marts, every check passes. Then a raw table is broken by hand: its blocking check fails, so
dbt does not run and the marts keep their previous contents.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.run.job import RunReport, run_daily_job

SAMPLE_TODAY = "2026-11-01"  # tests/conftest.py SAMPLE_TODAY: freshness is judged at that day

# raw table -> (expected_counts.json source, key)
EXPECTED_TABLES = {
    "raw_slack.users": ("slack", "users"),
    "raw_slack.channels": ("slack", "channels"),
    "raw_slack.messages": ("slack", "messages"),
    "raw_slack.message_reactions": ("slack", "reactions"),
    "raw_discourse.users": ("discourse", "users"),
    "raw_discourse.topics": ("discourse", "topics"),
    "raw_hubspot.contacts": ("hubspot", "contacts"),
    "raw_hubspot.deals": ("hubspot", "deals"),
    "raw_luma.events": ("luma", "events"),
    "raw_luma.guests": ("luma", "guests"),
}


def _count(warehouse: Path, table: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def _run(warehouse: Path, server_env: dict[str, str]) -> RunReport:
    saved = dict(os.environ)
    try:
        for key in [k for k in os.environ if k.startswith("SOURCES__")]:
            del os.environ[key]
        os.environ.pop("DAGSTER_HOME", None)
        os.environ.update(server_env)
        os.environ["COMMOPS_AS_OF"] = SAMPLE_TODAY
        return run_daily_job(warehouse, progress=False)
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="module")
def first_run(sample_server, tmp_path_factory) -> Iterator[tuple[Path, RunReport]]:
    warehouse = tmp_path_factory.mktemp("daily") / "warehouse.duckdb"
    yield warehouse, _run(warehouse, sample_server.env())


def test_first_run_succeeds_with_every_check_passing(first_run) -> None:
    warehouse, report = first_run
    assert report.failed_steps == {}
    assert report.success
    blocking_failed = [c for c in report.checks_failed if c.severity == "ERROR"]
    assert blocking_failed == []
    gx_checks = {c.check for c in report.checks if c.check.startswith("gx_")}
    assert {"gx_dim_members", "gx_member_identities", "gx_raw_slack__users"} <= gx_checks
    assert (warehouse.parent / "gx_docs" / "index.html").exists()


def test_first_run_loads_what_the_generator_expects(first_run, sample_dir) -> None:
    warehouse, report = first_run
    expected = json.loads((sample_dir / "expected_counts.json").read_text())
    for table, (source, name) in EXPECTED_TABLES.items():
        assert _count(warehouse, table) == expected[source][name], table
        built = report.materialized[table.replace(".", "/")]
        assert built["dagster/row_count"] == expected[source][name], table
        assert built["new_rows"] == expected[source][name], table


def test_first_run_builds_one_member_per_identity_group(first_run, sample_dir) -> None:
    warehouse, report = first_run
    identities = (sample_dir / "identities.csv").read_text().splitlines()[1:]
    assert "marts/dim_members" in report.materialized
    assert _count(warehouse, "marts.member_identities") <= len(identities)
    assert _count(warehouse, "marts.dim_members") > 0


def test_broken_raw_table_blocks_the_marts(first_run, sample_server, tmp_path) -> None:
    source, _ = first_run
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(source, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        # The oldest message twice: it lies before the incremental look-back window, so the
        # next load does not re-merge it, and dbt would count its activity twice.
        con.execute(
            "insert into raw_slack.messages select *"
            " from raw_slack.messages order by message_at limit 1"
        )
        # A sentinel row: a rebuilt dim_members (create or replace) would lose it.
        con.execute("insert into marts.dim_members (member_id) values ('sentinel')")
        members_before = con.execute("select count(*) from marts.dim_members").fetchone()[0]

    report = _run(warehouse, sample_server.env())

    assert not report.success
    failed = {(c.asset, c.check, c.severity) for c in report.checks_failed}
    assert ("raw_slack/messages", "gx_raw_slack__messages", "ERROR") in failed
    assert not [key for key in report.materialized if key.startswith(("staging/", "marts/"))]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sentinel = con.execute(
            "select count(*) from marts.dim_members where member_id = 'sentinel'"
        ).fetchone()[0]
        members_after = con.execute("select count(*) from marts.dim_members").fetchone()[0]
    assert sentinel == 1
    assert members_after == members_before
