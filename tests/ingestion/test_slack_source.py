"""Slack source against the local sample server: counts, reruns, deltas, faults, auth."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import dlt
import pytest

from ingestion.common import SourceAuthError
from ingestion.slack import slack_source


def _expected(sample: Path) -> dict:
    return json.loads((sample / "expected_counts.json").read_text())["slack"]


def _file_messages(sample: Path) -> dict[tuple[str, str], tuple]:
    """Ground truth from the generator: (channel, ts) -> (text, edited ts, reply_count)."""
    out = {}
    with open(sample / "slack" / "messages.jsonl", encoding="utf-8") as fh:
        for line in fh:
            m = json.loads(line)
            edited = (m.get("edited") or {}).get("ts")
            out[(m["_channel"], m["ts"])] = (m.get("text"), edited, m.get("reply_count"))
    return out


def _file_reactions(sample: Path) -> set[tuple[str, str, str, str]]:
    out = set()
    with open(sample / "slack" / "messages.jsonl", encoding="utf-8") as fh:
        for line in fh:
            m = json.loads(line)
            for reaction in m.get("reactions") or []:
                for user in reaction["users"]:
                    out.add((m["_channel"], m["ts"], reaction["name"], user))
    return out


def _file_users(sample: Path) -> dict[str, dict]:
    with open(sample / "slack" / "users.jsonl", encoding="utf-8") as fh:
        return {u["id"]: u for u in map(json.loads, fh)}


def _loaded_messages(sql, pipeline) -> dict[tuple[str, str], tuple]:
    rows = sql(
        pipeline,
        "select channel_id, ts, text, edited_ts, reply_count from messages where not is_deleted",
    )
    return {(c, ts): (text, edited, replies) for c, ts, text, edited, replies in rows}


def _counts(sql, pipeline) -> dict[str, int]:
    return {
        "users": sql(pipeline, "select count(*) from users")[0][0],
        "channels": sql(pipeline, "select count(*) from channels")[0][0],
        "messages": sql(pipeline, "select count(*) from messages where not is_deleted")[0][0],
        "reactions": sql(pipeline, "select count(*) from message_reactions")[0][0],
    }


def test_slack_loads_every_record_and_a_rerun_adds_nothing(
    sample_dir, source_env, temp_pipeline, sql
):
    pipeline = temp_pipeline("slack")
    pipeline.run(slack_source())
    assert _counts(sql, pipeline) == _expected(sample_dir)
    assert _loaded_messages(sql, pipeline) == _file_messages(sample_dir)

    pipeline.run(slack_source())
    assert _counts(sql, pipeline) == _expected(sample_dir)
    assert sql(pipeline, "select count(*) from messages where is_deleted")[0][0] == 0
    assert sql(pipeline, "select count(*) from messages")[0][0] == _expected(sample_dir)["messages"]
    # the token is nowhere in the warehouse (state, schema or data)
    warehouse = Path(pipeline.destination.config_params["credentials"])
    assert source_env["SOURCES__SLACK__ACCESS_TOKEN"].encode() not in warehouse.read_bytes()


def test_slack_columns_follow_the_contract(sample_dir, source_env, temp_pipeline, sql):
    pipeline = temp_pipeline("slack")
    pipeline.run(slack_source())
    columns = {
        (table, column): dtype
        for table, column, dtype in sql(
            pipeline,
            "select table_name, column_name, data_type from information_schema.columns "
            f"where table_schema = '{pipeline.dataset_name}'",
        )
    }
    for table, names in {
        "users": "id team_id name real_name deleted is_bot is_restricted tz tz_offset updated "
        "profile__email profile__real_name profile__display_name profile__title",
        "channels": "id name is_archived is_private is_general created creator num_members "
        "topic__value purpose__value",
        "messages": "channel_id ts thread_ts parent_user_id user_id bot_id type subtype text "
        "reply_count reply_users_count latest_reply edited_ts edited_user is_deleted "
        "message_at client_msg_id",
        "message_reactions": "channel_id message_ts reaction user_id",
    }.items():
        missing = [n for n in names.split() if (table, n) not in columns]
        assert not missing, f"{table} lacks {missing}"
    assert columns[("messages", "message_at")] == "TIMESTAMP WITH TIME ZONE"
    assert columns[("messages", "ts")] == "VARCHAR"
    # the built-in Slackbot is loaded like any account (dbt flags it as a bot)
    assert sql(pipeline, "select count(*) from users where id = 'USLACKBOT'") == [(1,)]
    # message time is the ts, exactly
    ts, at = sql(pipeline, "select ts, epoch_us(message_at) from messages limit 1")[0]
    whole, frac = ts.split(".")
    assert at == int(whole) * 1_000_000 + int(frac)


def test_slack_after_a_day_loads_exactly_the_delta(copy_sample, temp_pipeline, sql):
    from ingestion.sample.advance import advance
    from ingestion.sample.serve import make_server

    sample = copy_sample()
    server = make_server(sample, port=0).start()
    try:
        os.environ.update(server.env())
        pipeline = temp_pipeline("slack")
        pipeline.run(slack_source())
        before = sql(pipeline, "select count(*) from messages")[0][0]
        newest_stamp = max(u["updated"] for u in _file_users(sample).values())

        delta = advance(sample)["collections"]["slack"]["messages"]
        server.reload()
        pipeline.run(slack_source())
        users_normalized = pipeline.last_trace.last_normalize_info.row_counts.get("users", 0)
    finally:
        server.stop()

    after = sql(pipeline, "select count(*) from messages")[0][0]
    deleted = sql(pipeline, "select count(*) from messages where is_deleted")[0][0]
    assert after - before == delta["new"]
    assert deleted == delta["deleted"]
    # new rows, edits and thread counts replaced, deletions flagged: the table equals the file
    assert _loaded_messages(sql, pipeline) == _file_messages(sample)
    loaded_reactions = set(
        sql(pipeline, "select channel_id, message_ts, reaction, user_id from message_reactions")
    )
    assert loaded_reactions == _file_reactions(sample)
    assert _counts(sql, pipeline) == _expected(sample)
    # users: only those stamped within the look-back of the last run's newest `updated` were
    # read into the load (not all of users.list), and the table still equals the file
    window_start = newest_stamp - 7 * 86_400
    users = _file_users(sample)
    assert users_normalized == sum(1 for u in users.values() if u["updated"] >= window_start)
    assert users_normalized < len(users) / 2
    loaded_users = sql(pipeline, "select id, name, deleted, updated, real_name from users")
    assert {r[0]: r[1:] for r in loaded_users} == {
        k: (u["name"], u["deleted"], u["updated"], u.get("real_name")) for k, u in users.items()
    }


def _staged_rows(sql, pipeline, table: str) -> int | None:
    """Rows of `table` in the merge staging dataset (None: dlt never staged that table)."""
    found = sql(
        pipeline,
        "select count(*) from information_schema.tables "
        f"where table_schema = 'raw_slack_staging' and table_name = '{table}'",
    )[0][0]
    if not found:
        return None
    return sql(pipeline, f"select count(*) from raw_slack_staging.{table}")[0][0]


def test_slack_first_load_appends_and_later_loads_merge(
    sample_dir, source_env, temp_pipeline, tmp_path, sql
):
    """The first load into empty tables skips dlt's merge (no staging copy); a run whose
    cursor is at its start while the tables hold rows (another pipeline's state, a reset
    state) merges, so no message or reaction is loaded twice."""
    pipeline = temp_pipeline("slack")
    pipeline.run(slack_source())
    assert _staged_rows(sql, pipeline, "messages") is None
    assert _staged_rows(sql, pipeline, "message_reactions") is None
    assert _counts(sql, pipeline) == _expected(sample_dir)

    fresh_state = dlt.pipeline(
        pipeline_name="test_slack_second_state",
        destination=pipeline.destination,
        dataset_name="raw_slack",
        pipelines_dir=str(tmp_path / "other_pipelines"),
    )
    fresh_state.run(slack_source())
    assert _staged_rows(sql, pipeline, "messages") == _expected(sample_dir)["messages"]
    assert _counts(sql, pipeline) == _expected(sample_dir)
    duplicated = sql(
        pipeline,
        "select count(*) from (select channel_id, ts from messages group by all "
        "having count(*) > 1)",
    )[0][0]
    assert duplicated == 0
    assert sql(pipeline, "select count(*) from message_reactions")[0][0] == len(
        _file_reactions(sample_dir)
    )


def test_slack_survives_rate_limits_server_errors_and_truncation(
    sample_dir, temp_pipeline, sql, fast_retries
):
    from ingestion.sample.serve import Faults, make_server

    faults = Faults(rate_limit_every=5, retry_after=0, server_error_every=7, truncate_every=11)
    server = make_server(sample_dir, port=0, faults=faults).start()
    try:
        os.environ.update(server.env())
        pipeline = temp_pipeline("slack")
        pipeline.run(slack_source())
        injected = dict(server.injector.injected)
    finally:
        server.stop()
    assert _counts(sql, pipeline) == _expected(sample_dir)
    assert all(injected[kind] > 0 for kind in ("rate_limit", "server_error", "truncate"))


def test_slack_wrong_token_names_the_config_key_and_hides_the_token(source_env, tmp_path, caplog):
    from ingestion import pipeline

    wrong = "xoxb-wrong-token-0123456789"
    os.environ["SOURCES__SLACK__ACCESS_TOKEN"] = wrong
    caplog.set_level(logging.DEBUG)
    result = pipeline.run(["slack"], warehouse=tmp_path / "w.duckdb", pipelines_dir=tmp_path)
    error = result["slack"]
    assert isinstance(error, SourceAuthError)
    text = f"{error} {error!r}"
    assert "slack" in text and "SOURCES__SLACK__ACCESS_TOKEN" in text
    assert wrong not in text
    assert wrong not in caplog.text
    assert source_env["SOURCES__SLACK__ACCESS_TOKEN"] not in text


def test_slack_without_token_is_a_config_error(source_env, temp_pipeline):
    del os.environ["SOURCES__SLACK__ACCESS_TOKEN"]
    with pytest.raises(Exception, match="access_token"):
        temp_pipeline("slack").run(slack_source())
