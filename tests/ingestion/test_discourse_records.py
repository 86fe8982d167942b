"""Discourse record handling on hand-made pages: rejects, long streams, drift, paging."""

from __future__ import annotations

import json
import os

from ingestion.discourse import discourse_source


def _post(post_id: int, number: int, **extra) -> dict:
    return {
        "id": post_id,
        "topic_id": 7,
        "post_number": number,
        "user_id": 1,
        "username": "ann",
        "created_at": "2026-10-01T10:00:00.000Z",
        "updated_at": "2026-10-01T10:00:00.000Z",
        "post_type": 1,
        "raw": f"post {post_id}",
        **extra,
    }


def _forum(scripted_server, answer, stream_posts: list[dict], later_posts: list[dict]):
    topic = {
        "id": 7,
        "title": "Hello",
        "slug": "hello",
        "category_id": 1,
        "bumped_at": "2026-10-02T00:00:00.000Z",
        "tags": ["a", "b"],
    }
    routes = {
        "/d/admin/users/list/active.json": [
            answer(200, [{"id": 1, "username": "ann", "email": "ann@example.org"}]),
            answer(200, []),
        ],
        "/d/categories.json": [
            answer(200, {"category_list": {"categories": [{"id": 1, "name": "General"}]}})
        ],
        "/d/latest.json": [answer(200, {"topic_list": {"topics": [topic]}})],
        "/d/t/7.json": [
            answer(
                200,
                {
                    **topic,
                    "post_stream": {
                        "posts": stream_posts,
                        "stream": [p["id"] for p in stream_posts + later_posts],
                    },
                },
            )
        ],
        "/d/t/7/posts.json": [answer(200, {"post_stream": {"posts": later_posts}})],
        "/d/post_action_users.json": [
            answer(
                200,
                {
                    # PostActionUserSerializer: a user summary, no time of the like
                    "post_action_users": [
                        {
                            "id": 2,
                            "username": "bob",
                            "name": "Bob",
                            "avatar_template": "/user_avatar/forum/bob/{size}/3_2.png",
                            "post_url": None,
                            "username_lower": "bob",
                        }
                    ],
                    "total_rows_post_action_users": 1,
                },
            )
        ],
    }
    server = scripted_server(routes)
    os.environ["SOURCES__DISCOURSE__BASE_URL"] = server.base_url + "/d"
    os.environ["SOURCES__DISCOURSE__API_KEY"] = "k"
    os.environ["SOURCES__DISCOURSE__API_USERNAME"] = "system"
    return server


def test_malformed_post_goes_to_rejects_and_the_rest_loads(
    scripted_server, answer, temp_pipeline, sql
):
    _forum(
        scripted_server,
        answer,
        [_post(10, 1), _post(11, 2, created_at="not a time"), _post(12, 3)],
        [],
    )
    pipeline = temp_pipeline("discourse")
    pipeline.run(discourse_source())
    assert sql(pipeline, "select id from posts order by id") == [(10,), (12,)]
    rejects = sql(pipeline, "select source, resource, record_key, raw_record from _rejects")
    assert [(s, r, k) for s, r, k, _ in rejects] == [("discourse", "posts", "11")]
    assert json.loads(rejects[0][3])["created_at"] == "not a time"
    # a reject emitted by the `topics` transformer takes none of the topic column hints
    columns = {
        c
        for (c,) in sql(
            pipeline,
            "select column_name from information_schema.columns "
            f"where table_schema = '{pipeline.dataset_name}' and table_name = '_rejects'",
        )
    }
    assert columns - {"_dlt_load_id", "_dlt_id"} == {
        "source",
        "resource",
        "record_key",
        "reason",
        "raw_record",
        "rejected_at",
    }


def test_posts_beyond_the_first_chunk_and_likes_are_loaded(
    scripted_server, answer, temp_pipeline, sql
):
    liked = _post(13, 4, actions_summary=[{"id": 2, "count": 1}], accepted_answer=True)
    server = _forum(
        scripted_server,
        answer,
        [_post(10, 1), _post(11, 2, reply_to_post_number=1)],
        [_post(12, 3, deleted_at="2026-10-05T00:00:00.000Z"), liked],
    )
    pipeline = temp_pipeline("discourse")
    pipeline.run(discourse_source())
    assert sql(
        pipeline,
        "select id, reply_to_user_id, deleted_at is not null, accepted_answer, like_count "
        "from posts order by id",
    ) == [
        (10, None, False, False, 0),
        (11, 1, False, False, 0),
        (12, None, True, False, 0),
        (13, None, False, True, 1),
    ]
    assert sql(pipeline, "select post_id, user_id, created_at from post_likes") == [(13, 2, None)]
    assert sql(pipeline, "select accepted_answer_post_id, tags from topics") == [(13, '["a","b"]')]
    assert server.hits("/d/t/7/posts.json") == 1
    assert sql(pipeline, "select email from users") == [("ann@example.org",)]


def test_unknown_post_fields_are_kept_in_extra(scripted_server, answer, temp_pipeline, sql):
    _forum(scripted_server, answer, [_post(10, 1, shiny_new_field=[1, 2])], [])
    pipeline = temp_pipeline("discourse")
    pipeline.run(discourse_source())
    (extra,) = sql(pipeline, "select extra from posts")[0]
    assert json.loads(extra) == {"shiny_new_field": [1, 2]}


def test_contract_columns_exist_even_when_always_null(scripted_server, answer, temp_pipeline, sql):
    _forum(scripted_server, answer, [_post(10, 1)], [])
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
    for table, name in [
        ("users", "suspended_at"),
        ("users", "location"),
        ("categories", "parent_category_id"),
        ("topics", "has_accepted_answer"),
        ("topics", "accepted_answer_post_id"),
        ("topics", "closed"),
    ]:
        assert (table, name) in columns, (table, name)
    assert sql(pipeline, "select user_id from topics") == [(1,)]
