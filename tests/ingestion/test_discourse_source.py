"""Discourse source against the local sample server: counts, reruns, deltas, faults, auth."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from ingestion.common import SourceAuthError
from ingestion.discourse import discourse_source


def _expected(sample: Path) -> dict:
    return json.loads((sample / "expected_counts.json").read_text())["discourse"]


def _jsonl(sample: Path, name: str) -> list[dict]:
    with open(sample / "discourse" / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _counts(sql, pipeline) -> dict[str, int]:
    return {
        "users": sql(pipeline, "select count(*) from users")[0][0],
        "categories": sql(pipeline, "select count(*) from categories")[0][0],
        "topics": sql(pipeline, "select count(*) from topics")[0][0],
        "posts": sql(pipeline, "select count(*) from posts where post_type = 1")[0][0],
    }


def _file_posts(sample: Path) -> dict[int, tuple]:
    return {
        p["id"]: (p["topic_id"], p["post_type"], p.get("deleted_at") is not None, p.get("raw"))
        for p in _jsonl(sample, "posts.jsonl")
    }


def _loaded_posts(sql, pipeline) -> dict[int, tuple]:
    rows = sql(pipeline, "select id, topic_id, post_type, deleted_at is not null, raw from posts")
    return {r[0]: tuple(r[1:]) for r in rows}


def _file_likes(sample: Path) -> set[tuple[int, int]]:
    return {(p["id"], u) for p in _jsonl(sample, "posts.jsonl") for u in p.get("_likers") or []}


def test_discourse_loads_every_record_and_a_rerun_adds_nothing(
    sample_dir, source_env, temp_pipeline, sql
):
    pipeline = temp_pipeline("discourse")
    pipeline.run(discourse_source())
    assert _counts(sql, pipeline) == _expected(sample_dir)
    assert _loaded_posts(sql, pipeline) == _file_posts(sample_dir)
    assert set(sql(pipeline, "select post_id, user_id from post_likes")) == _file_likes(sample_dir)

    pipeline.run(discourse_source())
    assert _counts(sql, pipeline) == _expected(sample_dir)
    assert sql(pipeline, "select count(*) from posts")[0][0] == len(_file_posts(sample_dir))


def test_discourse_columns_and_accepted_answers(sample_dir, source_env, temp_pipeline, sql):
    pipeline = temp_pipeline("discourse")
    pipeline.run(discourse_source())
    columns = {
        (t, c)
        for t, c in sql(
            pipeline,
            "select table_name, column_name from information_schema.columns "
            f"where table_schema = '{pipeline.dataset_name}'",
        )
    }
    for table, names in {
        "users": "id username name email active admin moderator staged trust_level "
        "created_at location",
        "categories": "id name slug topic_count post_count",
        "topics": "id title slug category_id posts_count reply_count like_count views "
        "created_at last_posted_at bumped_at closed archived pinned has_accepted_answer "
        "accepted_answer_post_id tags",
        "posts": "id topic_id post_number user_id username created_at updated_at "
        "reply_to_post_number reply_to_user_id post_type like_count reply_count "
        "accepted_answer deleted_at raw",
        "post_likes": "post_id user_id created_at",
    }.items():
        missing = [n for n in names.split() if (table, n) not in columns]
        assert not missing, f"{table} lacks {missing}"
    # emails come from the admin list with show_emails
    emails = {u["id"]: u.get("email") for u in _jsonl(sample_dir, "users.jsonl")}
    assert dict(sql(pipeline, "select id, email from users")) == emails
    # accepted solutions: the topic points at the post flagged accepted_answer
    accepted = {
        t["id"]: t["_accepted_post_id"]
        for t in _jsonl(sample_dir, "topics.jsonl")
        if t.get("_accepted_post_id") is not None
    }
    assert accepted, "the sample should hold accepted solutions"
    loaded = dict(
        sql(pipeline, "select id, accepted_answer_post_id from topics where has_accepted_answer")
    )
    assert loaded == accepted
    flagged = {r[0] for r in sql(pipeline, "select id from posts where accepted_answer")}
    assert flagged == set(accepted.values())


def test_discourse_after_a_day_loads_exactly_the_delta(copy_sample, temp_pipeline, sql):
    from ingestion.sample.advance import advance
    from ingestion.sample.serve import make_server

    sample = copy_sample()
    server = make_server(sample, port=0).start()
    try:
        os.environ.update(server.env())
        pipeline = temp_pipeline("discourse")
        pipeline.run(discourse_source())
        posts_before = sql(pipeline, "select count(*) from posts")[0][0]
        topics_before = sql(pipeline, "select count(*) from topics")[0][0]

        delta = advance(sample)["collections"]["discourse"]
        server.reload()
        pipeline.run(discourse_source())
    finally:
        server.stop()

    assert sql(pipeline, "select count(*) from posts")[0][0] - posts_before == delta["posts"]["new"]
    topics_after = sql(pipeline, "select count(*) from topics")[0][0]
    assert topics_after - topics_before == delta["topics"]["new"]
    assert _loaded_posts(sql, pipeline) == _file_posts(sample)
    assert _counts(sql, pipeline) == _expected(sample)
    counts = {t["id"]: t["posts_count"] for t in _jsonl(sample, "topics.jsonl")}
    assert dict(sql(pipeline, "select id, posts_count from topics")) == counts


def test_discourse_survives_rate_limits_server_errors_and_truncation(
    sample_dir, temp_pipeline, sql, fast_retries
):
    from ingestion.sample.serve import Faults, make_server

    faults = Faults(rate_limit_every=5, retry_after=0, server_error_every=7, truncate_every=11)
    server = make_server(sample_dir, port=0, faults=faults).start()
    try:
        os.environ.update(server.env())
        pipeline = temp_pipeline("discourse")
        pipeline.run(discourse_source())
        injected = dict(server.injector.injected)
    finally:
        server.stop()
    assert _counts(sql, pipeline) == _expected(sample_dir)
    assert all(injected[kind] > 0 for kind in ("rate_limit", "server_error", "truncate"))


def test_discourse_reads_topics_concurrently_through_rate_limits_and_server_errors(
    sample_dir, temp_pipeline, sql, fast_retries, monkeypatch
):
    """Concurrency on: the workers' own retries absorb 429/503, and every record still lands
    exactly once (likes included) with the topics' calls made by the worker clients."""
    import ingestion.discourse as discourse
    from ingestion.sample.serve import Faults, make_server

    served: list[str] = []
    made = discourse.make_discourse_worker_client

    class Counting:
        def __init__(self, inner):
            self.inner = inner

        def get_json(self, path, params=None):
            body = self.inner.get_json(path, params)
            served.append(path)
            return body

        def close(self):
            self.inner.close()

    monkeypatch.setattr(discourse, "make_discourse_worker_client", lambda *a: Counting(made(*a)))
    faults = Faults(rate_limit_every=5, retry_after=0, server_error_every=7)
    server = make_server(sample_dir, port=0, faults=faults).start()
    try:
        os.environ.update(server.env())
        pipeline = temp_pipeline("discourse")
        pipeline.run(discourse_source(topic_workers=4))
        injected = dict(server.injector.injected)
    finally:
        server.stop()
    assert _counts(sql, pipeline) == _expected(sample_dir)
    assert _loaded_posts(sql, pipeline) == _file_posts(sample_dir)
    assert set(sql(pipeline, "select post_id, user_id from post_likes")) == _file_likes(sample_dir)
    assert injected["rate_limit"] > 0 and injected["server_error"] > 0
    assert any(p.startswith("/t/") for p in served)
    assert "/post_action_users.json" in served


def test_discourse_wrong_key_names_the_config_key_and_hides_the_key(source_env, tmp_path, caplog):
    from ingestion import pipeline

    wrong = "wrong-discourse-key-0123456789"
    os.environ["SOURCES__DISCOURSE__API_KEY"] = wrong
    caplog.set_level(logging.DEBUG)
    result = pipeline.run(["discourse"], warehouse=tmp_path / "w.duckdb", pipelines_dir=tmp_path)
    error = result["discourse"]
    assert isinstance(error, SourceAuthError)
    text = f"{error} {error!r}"
    assert "discourse" in text and "SOURCES__DISCOURSE__API_KEY" in text
    assert wrong not in text and wrong not in caplog.text


# The columns CONTRACTS.md §3 lists for the two tables the `topics` transformer writes as dlt
# table variants (`posts` also keeps unknown API fields in `extra`).
VARIANT_CONTRACTS = {
    "posts": "id topic_id post_number user_id username created_at updated_at "
    "reply_to_post_number reply_to_user_id post_type like_count reply_count accepted_answer "
    "deleted_at raw extra",
    "post_likes": "post_id user_id created_at",
}
DLT_ROW_COLUMNS = {"_dlt_load_id", "_dlt_id"}


@pytest.mark.parametrize("table", sorted(VARIANT_CONTRACTS))
def test_variant_tables_hold_exactly_their_contract_columns(raw_warehouse, sql, table):
    """No hint of the `topics` rows (title, slug, tags...) may leak into posts or post_likes."""
    columns = {
        name
        for (name,) in sql(
            raw_warehouse,
            "select column_name from information_schema.columns "
            f"where table_schema = 'raw_discourse' and table_name = '{table}'",
        )
    }
    assert columns - DLT_ROW_COLUMNS == set(VARIANT_CONTRACTS[table].split())
