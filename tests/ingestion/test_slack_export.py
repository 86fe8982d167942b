"""Slack export zip importer: same tables and columns, counts equal to the zip's content."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import duckdb

from ingestion import pipeline


def _zip_content(path: Path) -> dict[str, int]:
    """Counted straight from the zip: what the importer must load."""
    with zipfile.ZipFile(path) as archive:
        users = json.loads(archive.read("users.json"))
        channels = json.loads(archive.read("channels.json"))
        messages = reactions = 0
        for name in archive.namelist():
            if re.fullmatch(r"[^/]+/\d{4}-\d{2}-\d{2}\.json", name):
                for msg in json.loads(archive.read(name)):
                    messages += 1
                    reactions += sum(len(r["users"]) for r in msg.get("reactions") or [])
    return {
        "users": len(users),
        "channels": len(channels),
        "messages": messages,
        "reactions": reactions,
    }


def _counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            name: con.execute(f"select count(*) from raw_slack.{table}").fetchone()[0]
            for name, table in [
                ("users", "users"),
                ("channels", "channels"),
                ("messages", "messages"),
                ("reactions", "message_reactions"),
            ]
        }


def test_export_zip_loads_everything_it_holds(sample_dir, tmp_path):
    export = sample_dir / "exports" / "slack_export.zip"
    warehouse = tmp_path / "w.duckdb"
    pipeline.import_slack_export(export, warehouse, tmp_path / "pipelines")
    expected = _zip_content(export)
    assert expected["messages"] > 0
    assert _counts(warehouse) == expected
    # importing the same export again adds nothing
    pipeline.import_slack_export(export, warehouse, tmp_path / "pipelines")
    assert _counts(warehouse) == expected


def test_export_lands_in_the_api_tables_and_columns(sample_dir, tmp_path):
    export = sample_dir / "exports" / "slack_export.zip"
    warehouse = tmp_path / "w.duckdb"
    pipeline.import_slack_export(export, warehouse, tmp_path / "pipelines")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = {
            (t, c)
            for t, c in con.execute(
                "select table_name, column_name from information_schema.columns "
                "where table_schema = 'raw_slack'"
            ).fetchall()
        }
        for name in (
            "channel_id ts thread_ts parent_user_id user_id bot_id type subtype text "
            "reply_count latest_reply is_deleted message_at client_msg_id"
        ).split():
            assert ("messages", name) in columns, name
        # channel ids come from channels.json, folder names are channel names
        with zipfile.ZipFile(export) as archive:
            ids = {c["id"] for c in json.loads(archive.read("channels.json"))}
        loaded = {
            r[0]
            for r in con.execute("select distinct channel_id from raw_slack.messages").fetchall()
        }
        assert loaded <= ids and loaded
        # replies (in the export, unlike history) are loaded with their thread_ts
        replies = con.execute(
            "select count(*) from raw_slack.messages "
            "where thread_ts is not null and thread_ts <> ts"
        ).fetchone()[0]
        assert replies > 0


def test_export_after_api_load_does_not_duplicate(sample_dir, source_env, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    result = pipeline.run(["slack"], warehouse=warehouse, pipelines_dir=tmp_path / "p")
    assert not isinstance(result["slack"], Exception), result["slack"]
    expected = json.loads((sample_dir / "expected_counts.json").read_text())["slack"]
    pipeline.import_slack_export(
        sample_dir / "exports" / "slack_export.zip", warehouse, tmp_path / "p"
    )
    assert _counts(warehouse)["messages"] == expected["messages"]
    assert _counts(warehouse)["reactions"] == expected["reactions"]
