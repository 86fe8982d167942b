"""An incremental build re-attributes old activities when a later identity merge changes their
member, and drops activities whose raw record went away: a small case worked by hand."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb

from tests.conftest import run_dbt
from tests.dbt.test_dbt_project import MARTS
from tests.dbt.test_incremental import MODELS_ONLY as BUILD
from tests.dbt.test_incremental import differences

DAY_1 = [
    "insert into raw_slack.channels (id, name) values ('C1', 'general')",
    "insert into raw_slack.users (id, name, real_name, profile__email) values"
    " ('U1', 'ann', 'Ann Lee', 'ann@acme.io'), ('U2', 'bob', 'Bob Roe', 'bob@beta.io')",
    "insert into raw_slack.messages (channel_id, ts, user_id, type, message_at) values"
    " ('C1', '1.0', 'U1', 'message', timestamptz '2026-10-01 10:00:00+00'),"
    " ('C1', '2.0', 'U2', 'message', timestamptz '2026-10-02 10:00:00+00')",
    "insert into raw_slack.message_reactions (channel_id, message_ts, reaction, user_id) values"
    " ('C1', '1.0', 'wave', 'U2'), ('C1', '2.0', 'tada', 'U1')",
    # Ann's forum account: another address, created before her first Slack message
    "insert into raw_discourse.users (id, username, name, email, active, created_at) values"
    " (7, 'annlee', 'Ann Lee', 'ann.lee@home.io', true, timestamptz '2026-09-01 00:00:00+00')",
    "insert into raw_discourse.topics (id, title, user_id, created_at) values"
    " (70, 'Hello', 7, timestamptz '2026-10-03 10:00:00+00')",
]

DAY_2 = [
    # Ann puts her work address on the forum: same email merges her two accounts (DESIGN.md
    # identity rule 1); the forum account is the earlier one, so it becomes the anchor and
    # her old Slack activities change member (identity rule 5).
    "update raw_discourse.users set email = 'ann@acme.io' where id = 7",
    # Bob removes his reaction (dlt hard-deletes it from the raw table) and posts again.
    "delete from raw_slack.message_reactions where reaction = 'wave'",
    "insert into raw_slack.messages (channel_id, ts, user_id, type, message_at) values"
    " ('C1', '3.0', 'U2', 'message', timestamptz '2026-10-04 10:00:00+00')",
]


def _execute(warehouse: Path, statements: list[str]) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()


def _member(identity_key: str) -> str:
    """member_id = md5 of the anchor account's "platform:platform_user_id" (dbt.hash)."""
    return hashlib.md5(identity_key.encode()).hexdigest()


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_incremental_build_re_attributes_after_an_identity_merge(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    warehouse = empty_warehouse
    _execute(warehouse, DAY_1)
    run_dbt(BUILD, warehouse, tmp_path / "target-1")
    before = dict(_rows(warehouse, "select activity_id, member_id from marts.fct_activities"))
    assert before["slack:message:C1:1.0"] == _member("slack:U1")
    assert before["discourse:topic:70"] == _member("discourse:7")

    _execute(warehouse, DAY_2)
    full = tmp_path / "full.duckdb"
    shutil.copy(warehouse, full)
    run_dbt(BUILD, warehouse, tmp_path / "target-2")
    run_dbt([*BUILD, "--full-refresh"], full, tmp_path / "target-3")

    ann, bob = _member("discourse:7"), _member("slack:U2")
    expected = {
        "slack:message:C1:1.0": ann,
        "slack:message:C1:2.0": bob,
        "slack:message:C1:3.0": bob,
        "slack:reaction:C1:2.0:tada:U1": ann,
        "discourse:topic:70": ann,
    }
    for table in ("intermediate.int_activities__attributed", "marts.fct_activities"):
        got = _rows(warehouse, f"select activity_id, member_id from {table}")
        assert sorted(got) == sorted(expected.items()), table

    con = duckdb.connect()
    try:
        con.execute(f"attach '{warehouse}' as inc (read_only)")
        con.execute(f"attach '{full}' as ful (read_only)")
        tables = [f"marts.{t}" for t in MARTS] + ["intermediate.int_activities__attributed"]
        assert differences(con, "inc", "ful", tables) == {}
    finally:
        con.close()

    # _loaded_at: rows the incremental run re-wrote carry its start, the others keep the first
    # run's. Re-written: Ann's Slack message and reaction (new member), Bob's new message, and
    # the member-days of 10-01 (the removed reaction), 10-02 (Ann's reaction) and 10-04 (new);
    # Ann's forum topic (10-03) kept its member and its day.
    loaded = dict(_rows(warehouse, "select activity_id, _loaded_at from marts.fct_activities"))
    first, second = loaded["discourse:topic:70"], loaded["slack:message:C1:3.0"]
    assert first < second
    assert {k for k, v in loaded.items() if v == second} == {
        "slack:message:C1:1.0",
        "slack:reaction:C1:2.0:tada:U1",
        "slack:message:C1:3.0",
    }
    days = _rows(
        warehouse,
        "select cast(activity_date as varchar), member_id, activity_count, _loaded_at"
        " from marts.fct_member_daily_activity order by 1, 2",
    )
    assert days == sorted(
        [
            ("2026-10-01", ann, 1, second),
            ("2026-10-02", ann, 1, second),
            ("2026-10-02", bob, 1, second),
            ("2026-10-03", ann, 1, first),
            ("2026-10-04", bob, 1, second),
        ]
    )


def test_incremental_build_rewrites_an_activity_whose_columns_were_null(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    """A Slack message in a channel missing from the channels table has no channel_name and a
    null is_question. When the channel arrives the next day, the incremental build must
    re-write the message (it used to keep it: its row_hash was null, and null rows were never
    compared)."""
    warehouse = empty_warehouse
    _execute(
        warehouse,
        [
            "insert into raw_slack.channels (id, name) values ('C1', 'general')",
            "insert into raw_slack.users (id, name, real_name, profile__email) values"
            " ('U1', 'ann', 'Ann Lee', 'ann@acme.io')",
            "insert into raw_slack.messages (channel_id, ts, user_id, type, message_at) values"
            " ('C9', '1.0', 'U1', 'message', timestamptz '2026-10-01 10:00:00+00'),"
            " ('C8', '2.0', 'U1', 'message', timestamptz '2026-10-02 10:00:00+00'),"
            " ('C1', '3.0', 'U1', 'message', timestamptz '2026-10-03 10:00:00+00')",
        ],
    )
    run_dbt(BUILD, warehouse, tmp_path / "target-1")
    tables = ("intermediate.int_activities__attributed", "marts.fct_activities")
    for table in tables:
        got = _rows(warehouse, f"select activity_id, channel_name, is_question from {table}")
        assert sorted(got) == [
            ("slack:message:C1:3.0", "general", False),
            ("slack:message:C8:2.0", None, None),
            ("slack:message:C9:1.0", None, None),
        ], table
    # the help channel arrives: C9's top-level message becomes a question
    _execute(warehouse, ["insert into raw_slack.channels (id, name) values ('C9', 'help')"])
    full = tmp_path / "full.duckdb"
    shutil.copy(warehouse, full)
    run_dbt(BUILD, warehouse, tmp_path / "target-2")
    run_dbt([*BUILD, "--full-refresh"], full, tmp_path / "target-3")

    for table in tables:
        got = _rows(warehouse, f"select activity_id, channel_name, is_question from {table}")
        assert sorted(got) == [
            ("slack:message:C1:3.0", "general", False),
            ("slack:message:C8:2.0", None, None),
            ("slack:message:C9:1.0", "help", True),
        ], table
    # only C9's message was re-written: C8's nulls are unchanged (null is not distinct from null)
    loaded = dict(_rows(warehouse, "select activity_id, _loaded_at from marts.fct_activities"))
    first = loaded["slack:message:C1:3.0"]
    assert loaded["slack:message:C8:2.0"] == first < loaded["slack:message:C9:1.0"]
    con = duckdb.connect()
    try:
        con.execute(f"attach '{warehouse}' as inc (read_only)")
        con.execute(f"attach '{full}' as ful (read_only)")
        assert differences(con, "inc", "ful", [f"marts.{t}" for t in MARTS] + list(tables)) == {}
    finally:
        con.close()
    # the help channel's question counts in the daily mart
    questions = _rows(warehouse, "select sum(question_count) from marts.fct_member_daily_activity")
    assert questions == [(1,)]
