"""Slack record handling on hand-made pages: rejects, schema drift, threads, deletions."""

from __future__ import annotations

import json
import os

import pytest

from ingestion.slack import slack_source

USERS = {"ok": True, "members": [{"id": "U1", "name": "ann"}], "response_metadata": {}}
CHANNELS = {
    "ok": True,
    "channels": [{"id": "C1", "name": "general", "is_archived": False}],
    "response_metadata": {"next_cursor": ""},
}


def _history(*messages: dict) -> dict:
    return {"ok": True, "messages": list(messages), "has_more": False}


def _workspace(scripted_server, answer, history: dict, replies: dict | None = None):
    routes = {
        "/api/users.list": [answer(200, USERS)],
        "/api/conversations.list": [answer(200, CHANNELS)],
        "/api/conversations.history": [answer(200, history)],
        "/api/conversations.replies": [
            answer(200, replies or {"ok": False, "error": "thread_not_found"})
        ],
    }
    server = scripted_server(routes)
    os.environ["SOURCES__SLACK__BASE_URL"] = server.base_url + "/api/"
    os.environ["SOURCES__SLACK__ACCESS_TOKEN"] = "xoxb-test"
    return server


def test_malformed_message_goes_to_rejects_and_the_rest_loads(
    scripted_server, answer, temp_pipeline, sql
):
    _workspace(
        scripted_server,
        answer,
        _history(
            {"type": "message", "user": "U1", "text": "fine", "ts": "1700000001.000100"},
            {"type": "message", "user": "U1", "text": "no ts"},
            {"type": "message", "user": "U1", "text": "bad ts", "ts": "yesterday"},
            {"type": "message", "user": "U1", "text": "also fine", "ts": "1700000002.000000"},
        ),
    )
    pipeline = temp_pipeline("slack")
    pipeline.run(slack_source())
    assert sql(pipeline, "select ts, text from messages order by ts") == [
        ("1700000001.000100", "fine"),
        ("1700000002.000000", "also fine"),
    ]
    rejects = sql(
        pipeline,
        "select source, resource, record_key, reason, raw_record from _rejects order by raw_record",
    )
    assert {(s, r) for s, r, *_ in rejects} == {("slack", "messages")}
    assert sorted(k for _, _, k, _, _ in rejects) == ["C1/None", "C1/yesterday"]
    texts = sorted(json.loads(raw)["text"] for *_, raw in rejects)
    assert texts == ["bad ts", "no ts"]


def test_unknown_message_fields_are_kept_in_extra(scripted_server, answer, temp_pipeline, sql):
    _workspace(
        scripted_server,
        answer,
        _history(
            {
                "type": "message",
                "user": "U1",
                "text": "with a new field",
                "ts": "1700000001.000100",
                "brand_new_field": {"level": 3},
                "edited": {"user": "U1", "ts": "1700000005.000000"},
            }
        ),
    )
    pipeline = temp_pipeline("slack")
    pipeline.run(slack_source())
    extra, edited_ts, edited_user = sql(
        pipeline, "select extra, edited_ts, edited_user from messages"
    )[0]
    assert json.loads(extra) == {"brand_new_field": {"level": 3}}
    assert (edited_ts, edited_user) == ("1700000005.000000", "U1")


def test_thread_replies_are_read_and_the_repeated_parent_is_not_duplicated(
    scripted_server, answer, temp_pipeline, sql
):
    parent = {
        "type": "message",
        "user": "U1",
        "text": "question",
        "ts": "1700000001.000000",
        "thread_ts": "1700000001.000000",
        "reply_count": 2,
    }
    reply1 = {**parent, "text": "answer 1", "ts": "1700000002.000000", "parent_user_id": "U1"}
    reply2 = {**reply1, "text": "answer 2", "ts": "1700000003.000000"}
    del reply1["reply_count"], reply2["reply_count"]
    broadcast = {**reply2, "subtype": "thread_broadcast"}
    server = _workspace(
        scripted_server,
        answer,
        _history(broadcast, parent),
        replies={
            "ok": True,
            "messages": [parent, reply1, broadcast],
            "has_more": False,
            "response_metadata": {"next_cursor": ""},
        },
    )
    pipeline = temp_pipeline("slack")
    pipeline.run(slack_source())
    rows = sql(pipeline, "select ts, thread_ts, subtype from messages order by ts")
    assert rows == [
        ("1700000001.000000", "1700000001.000000", None),
        ("1700000002.000000", "1700000001.000000", None),
        ("1700000003.000000", "1700000001.000000", "thread_broadcast"),
    ]
    assert server.hits("/api/conversations.replies") == 1


def test_a_message_gone_within_the_window_is_marked_deleted_not_removed(
    scripted_server, answer, temp_pipeline, sql
):
    first = {"type": "message", "user": "U1", "text": "keep", "ts": "1700000001.000000"}
    second = {
        "type": "message",
        "user": "U1",
        "text": "to delete",
        "ts": "1700000002.000000",
        "reactions": [{"name": "tada", "users": ["U1"], "count": 1}],
    }
    edited = {**first, "text": "keep (edited)", "edited": {"user": "U1", "ts": "1700000009.0"}}
    server = _workspace(scripted_server, answer, _history(second, first))
    pipeline = temp_pipeline("slack")
    pipeline.run(slack_source())
    assert sql(pipeline, "select count(*) from message_reactions") == [(1,)]

    server.routes["/api/conversations.history"] = [answer(200, _history(edited))]
    pipeline.run(slack_source())
    assert sql(pipeline, "select ts, text, is_deleted from messages order by ts") == [
        ("1700000001.000000", "keep (edited)", False),
        ("1700000002.000000", "to delete", True),
    ]
    # the deleted message's reaction is gone with it
    assert sql(pipeline, "select count(*) from message_reactions") == [(0,)]
    # the second run asked only for the look-back window (7 days before the newest message)
    last_history = [p for p, _ in server.requests if p.startswith("/api/conversations.history")][-1]
    assert "oldest=1699395202.000000" in last_history


def test_a_failed_run_keeps_loaded_messages_and_the_cursor(
    scripted_server, answer, temp_pipeline, sql, fast_retries, monkeypatch
):
    message = {"type": "message", "user": "U1", "text": "hello", "ts": "1700000001.000000"}
    server = _workspace(scripted_server, answer, _history(message))
    pipeline = temp_pipeline("slack")
    pipeline.run(slack_source())

    def cursor() -> object:
        resources = pipeline.state["sources"]["slack"]["resources"]
        return resources["messages"]["incremental"]["message_at"]["last_value"]

    before = cursor()
    monkeypatch.setenv("RUNTIME__REQUEST_MAX_ATTEMPTS", "2")
    newer = {**message, "text": "newer", "ts": "1700000500.000000"}
    server.routes["/api/conversations.history"] = [
        answer(
            200, {**_history(newer), "has_more": True, "response_metadata": {"next_cursor": "x"}}
        ),
        answer(503, {"ok": False, "error": "service_unavailable"}),
    ]
    with pytest.raises(Exception, match="503"):
        pipeline.run(slack_source())
    assert cursor() == before
    assert sql(pipeline, "select ts, text, is_deleted from messages") == [
        ("1700000001.000000", "hello", False)
    ]


def test_contract_columns_exist_even_when_the_api_never_sends_them(
    scripted_server, answer, temp_pipeline, sql
):
    _workspace(scripted_server, answer, _history())
    pipeline = temp_pipeline("slack")
    pipeline.run(slack_source())
    columns = {
        (t, c)
        for t, c in sql(
            pipeline,
            "select table_name, column_name from information_schema.columns "
            f"where table_schema = '{pipeline.dataset_name}'",
        )
    }
    for name in ("profile__email", "profile__title", "profile__bot_id", "is_bot", "tz_offset"):
        assert ("users", name) in columns, name
    for name in ("topic__value", "purpose__value", "num_members", "is_private"):
        assert ("channels", name) in columns, name
