"""The `commops` command line: usage errors, sample commands, ingest (pieces of `demo`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

from orchestration.cli import main


def test_a_group_without_a_command_prints_usage(capsys) -> None:
    assert main(["sample"]) == 2
    assert "generate" in capsys.readouterr().out


def test_an_unknown_source_is_a_clear_error(clean_env, capsys) -> None:
    assert main(["ingest", "myspace"]) == 1
    err = capsys.readouterr().err
    assert "unknown source(s) ['myspace']" in err and "slack" in err


def test_serving_a_folder_that_is_no_sample_fails_clearly(tmp_path, capsys) -> None:
    assert main(["sample", "serve", "--dir", str(tmp_path), "--port", "0"]) == 1
    assert "not a sample directory" in capsys.readouterr().err


def test_sample_generate_writes_a_sample_for_the_given_day(tmp_path) -> None:
    out = tmp_path / "sample"
    args = ["--out", str(out), "--people", "30", "--days", "20", "--today", "2026-11-01"]
    assert main(["sample", "generate", *args]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["today"], manifest["people"], manifest["seed"]) == ("2026-11-01", 30, 7)
    assert (out / "identities.csv").exists()


def test_sample_advance_moves_the_sample_one_day(copy_sample) -> None:
    sample = copy_sample()
    before = json.loads((sample / "manifest.json").read_text())["today"]
    assert main(["sample", "advance", "--dir", str(sample)]) == 0
    after = json.loads((sample / "manifest.json").read_text())["today"]
    assert (before, after) == ("2026-11-01", "2026-11-02")
    assert (sample / "deltas" / "2026-11-02.json").exists()


def test_ingest_loads_the_named_source_into_the_warehouse(
    clean_env: Path, source_env, sample_dir
) -> None:
    os.environ.update(source_env)
    assert main(["ingest", "luma"]) == 0
    expected = json.loads((sample_dir / "expected_counts.json").read_text())["luma"]
    with duckdb.connect(str(clean_env), read_only=True) as con:
        (events,) = con.execute("select count(*) from raw_luma.events").fetchone()
        rows = con.execute("select schema_name from information_schema.schemata").fetchall()
        schemas = {r[0] for r in rows}
    assert events == expected["events"]
    assert "raw_slack" not in schemas
