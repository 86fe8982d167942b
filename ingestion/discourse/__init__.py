"""Discourse source: users, categories, topics, posts, post_likes into `raw_discourse`.

    from ingestion.discourse import discourse_source
    pipeline.run(discourse_source())   # SOURCES__DISCOURSE__BASE_URL / __API_KEY / __API_USERNAME

- `users`: the admin user list with `show_emails=true` (needs an admin key); dict path.
- `categories`: `/categories.json?include_subcategories=true`, subcategories flattened.
- `topic_list` (not loaded itself): `/latest.json` pages, most recently bumped first, with a
  dlt incremental on `bumped_at` (lag = look-back window); paging stops at the first page
  bumped entirely before the window.
- `topics` (a transformer of `topic_list`): for each new or bumped topic, `/t/{id}.json` plus
  `/t/{id}/posts.json` for the rest of the stream, read for up to `topic_workers` topics at
  once (`ingestion.common.fanout.FanOut`: results in page order, sequential from the first
  failed concurrent call on, so errors surface as in a sequential read). Emits the topic row (with
  `accepted_answer_post_id`), its posts as Arrow tables (`posts`: deleted posts carry
  `deleted_at`, the Solved plugin's `accepted_answer`), and `post_likes` from
  `/post_action_users.json` for posts with likes (Discourse sends no like time there, so
  `post_likes.created_at` stays null).
- Each of those three tables is a dlt table variant with hints of its own, marked with
  `ingestion.common.variants.mark_variant`, which declares the variant from nothing (dlt would
  start it from a copy of the transformer's hints and merge column hints into it, so columns
  of one table would leak into the others). The topic columns travel with the `topics`
  variant, not on the transformer.
- A record without id or with an unparsable timestamp goes to `_rejects` (a variant declared
  the same way, by `reject()`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import dlt
from dlt.extract.source import DltResource

from ingestion.common import DICT_FILE_FORMAT, TableBuilder, reject
from ingestion.common.fanout import FanOut
from ingestion.common.http import resolve_runtime
from ingestion.common.variants import mark_variant
from ingestion.discourse import settings
from ingestion.discourse.helpers import (
    TopicRead,
    admin_users,
    latest_topics,
    make_discourse_client,
    make_discourse_worker_client,
    parse_time,
    read_topic,
)

__all__ = ["discourse_source"]

TOPIC_BATCH = 300
"""Topics handed at once to the `topics` transformer (so posts make sizeable Arrow tables)."""


def _variant(
    table: str, primary_key: list[str], columns: dict[str, dict[str, object]] | None = None
) -> Any:
    """Hints of one table the `topics` transformer writes (a dlt table variant)."""
    return dlt.mark.make_hints(
        table_name=table,
        write_disposition="merge",
        primary_key=primary_key,
        columns=columns,
        file_format=DICT_FILE_FORMAT,
    )


@dlt.source(name="discourse", max_table_nesting=1)
def discourse_source(
    base_url: str = settings.DEFAULT_BASE_URL,
    api_key: str = dlt.secrets.value,
    api_username: str = dlt.secrets.value,
    lookback_days: float = settings.DEFAULT_LOOKBACK_DAYS,
    users_list: str = settings.DEFAULT_USERS_LIST,
    topic_workers: int = settings.DEFAULT_TOPIC_WORKERS,
) -> Sequence[DltResource]:
    """The forum at `base_url`, read with an admin API key."""
    client = make_discourse_client(base_url, api_key, api_username)
    runtime = resolve_runtime()  # once: worker clients are made again for every batch
    readers: FanOut[int, TopicRead] = FanOut(
        client,
        lambda: make_discourse_worker_client(base_url, api_key, api_username, runtime),
        read_topic,
        topic_workers,
        name="discourse-topics",
    )

    @dlt.resource(
        name="users",
        primary_key="id",
        write_disposition="merge",
        columns=settings.USER_COLUMNS,
        file_format=DICT_FILE_FORMAT,
    )
    def users() -> Iterator[Any]:
        for page in admin_users(client, users_list):
            good = []
            for user in page:
                if isinstance(user, dict) and isinstance(user.get("id"), int):
                    good.append(user)
                else:
                    yield reject("discourse", "users", user, "user without integer id")
            yield good

    @dlt.resource(
        name="categories",
        primary_key="id",
        write_disposition="merge",
        columns=settings.CATEGORY_COLUMNS,
        file_format=DICT_FILE_FORMAT,
    )
    def categories() -> Iterator[Any]:
        body = client.get_json("/categories.json", params={"include_subcategories": "true"})
        rows: list[dict[str, Any]] = []
        for category in (body.get("category_list") or {}).get("categories") or []:
            subs = category.pop("subcategory_list", None) or []
            rows.append(category)
            for sub in subs:
                sub.setdefault("parent_category_id", category.get("id"))
                rows.append(sub)
        good = []
        for row in rows:
            if isinstance(row.get("id"), int):
                good.append(row)
            else:
                yield reject("discourse", "categories", row, "category without integer id")
        yield good

    @dlt.resource(name="topic_list", selected=False)
    def topic_list(
        cursor: dlt.sources.incremental[str] = dlt.sources.incremental(  # noqa: B008
            "bumped_at",
            initial_value=settings.EPOCH_ISO,
            lag=lookback_days * 86_400,
            on_cursor_value_missing="include",
        ),
    ) -> Iterator[Any]:
        since = parse_time(cursor.start_value) or 0
        batch: list[dict[str, Any]] = []
        for page_number, page in enumerate(latest_topics(client)):
            bumped = [
                parse_time(t.get("bumped_at"))
                for t in page
                if isinstance(t, dict) and not t.get("pinned") and t.get("bumped_at")
            ]
            batch.extend(page)
            if len(batch) >= TOPIC_BATCH:
                yield batch
                batch = []
            # newest bump first: a page wholly before the window ends the walk
            if page_number > 0 and bumped and max(b or 0 for b in bumped) < since:
                break
        if batch:
            yield batch

    # no `columns` here: the topic columns travel with the topic rows' own variant
    @dlt.transformer(
        name="topics",
        data_from=topic_list,
        primary_key="id",
        write_disposition="merge",
        file_format=DICT_FILE_FORMAT,
    )
    def topics(page: list[dict[str, Any]]) -> Iterator[Any]:
        posts = TableBuilder(settings.POST_SCHEMA)
        likes = TableBuilder(settings.LIKE_SCHEMA, extra_column=None)
        rows = []
        topic_ids = [topic.get("id") if isinstance(topic, dict) else None for topic in page]
        # topics read up to `topic_workers` at once, handed back in page order
        reads = readers.map(tid for tid in topic_ids if isinstance(tid, int))
        try:
            for topic, topic_id in zip(page, topic_ids, strict=True):
                if not isinstance(topic_id, int):
                    yield reject("discourse", "topics", topic, "topic without integer id")
                    continue
                read = next(reads)
                detail, user_by_number = read.detail, read.user_by_number
                accepted_post_id = None
                for shaped in read.posts:
                    if shaped.row is None:
                        post = shaped.post
                        key = post.get("id") if isinstance(post, dict) else None
                        yield reject("discourse", "posts", post, shaped.error or "", key)
                        continue
                    row = shaped.row
                    if row["accepted_answer"]:
                        accepted_post_id = row["id"]
                    posts.append(row)
                    for liker in shaped.likers:
                        if not isinstance(liker.get("id"), int):
                            continue
                        # a liker is a user summary: Discourse gives no time of the like
                        likes.append(
                            {"post_id": row["id"], "user_id": liker["id"], "created_at": None}
                        )
                row = dict(topic)
                row["accepted_answer_post_id"] = accepted_post_id
                if row.get("user_id") is None:  # the topic's author: the first post's
                    row["user_id"] = user_by_number.get(1, detail.get("user_id"))
                if "has_accepted_answer" not in row:
                    row["has_accepted_answer"] = accepted_post_id is not None
                for key in ("created_at", "last_posted_at", "bumped_at"):
                    if row.get(key) is None and detail.get(key) is not None:
                        row[key] = detail[key]
                rows.append(row)
        finally:
            reads.close()
            readers.close()  # workers start again with the next batch (push-back persists)
        if rows:
            yield mark_variant(rows, _variant("topics", ["id"], settings.TOPIC_COLUMNS))
        if (table := posts.flush()) is not None:
            yield mark_variant(table, _variant("posts", ["id"]))
        if (table := likes.flush()) is not None:
            yield mark_variant(table, _variant("post_likes", ["post_id", "user_id"]))

    return users, categories, topic_list, topics
