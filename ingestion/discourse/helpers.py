"""Discourse wire details: the client, auth errors, paging, post shaping."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

from dlt.common.configuration.specs import RuntimeConfiguration
from requests import Response

from ingestion.common import HeadersAuth, make_client
from ingestion.common.http import PooledJSONClient, VendorClient
from ingestion.discourse import settings


def is_auth_error(response: Response) -> bool:
    """A rejected key is 403 `invalid_access` (401 `not_logged_in` on some versions)."""
    if response.status_code == 401:
        return True
    if response.status_code != 403:
        return False
    try:
        body = response.json()
    except ValueError:
        return True
    return not isinstance(body, dict) or body.get("error_type") in (None, "invalid_access")


def make_discourse_client(base_url: str, api_key: str, api_username: str) -> VendorClient:
    return make_client(
        base_url.rstrip("/"),
        source=settings.SOURCE_NAME,
        auth_config_key=settings.API_KEY_KEY,
        auth=HeadersAuth({"Api-Key": api_key, "Api-Username": api_username}),
        headers={"Accept": "application/json"},
        is_auth_error=is_auth_error,
    )


def make_discourse_worker_client(
    base_url: str, api_key: str, api_username: str, runtime: RuntimeConfiguration | None = None
) -> PooledJSONClient:
    """The light client the concurrent per-topic readers use (see `PooledJSONClient`); any
    failure there falls back to the `VendorClient` (which also tells a rejected key apart)."""
    return PooledJSONClient(
        base_url.rstrip("/"),
        source=settings.SOURCE_NAME,
        auth_config_key=settings.API_KEY_KEY,
        headers={"Api-Key": api_key, "Api-Username": api_username},
        runtime=runtime,
    )


# -- paging ----------------------------------------------------------------------------------


def admin_users(client: VendorClient, flag: str) -> Iterator[list[dict[str, Any]]]:
    """`/admin/users/list/{flag}.json` pages (from 1) until an empty page."""
    page = 1
    while True:
        users = client.get_json(
            f"/admin/users/list/{flag}.json",
            params={"page": page, "show_emails": "true", "order": "created", "asc": "true"},
        )
        if not users:
            return
        yield users
        page += 1


def next_latest_page(topic_list: dict[str, Any]) -> int | None:
    """The `page` of `more_topics_url` (a site path, maybe under a subfolder, no `.json`)."""
    more = topic_list.get("more_topics_url")
    if not more:
        return None
    pages = parse_qs(urlparse(more).query).get("page")
    return int(pages[0]) if pages and pages[0].isdigit() else None


def latest_topics(client: VendorClient) -> Iterator[list[dict[str, Any]]]:
    """`/latest.json` pages, most recently bumped first (pinned topics may lead)."""
    page: int | None = 0
    while page is not None:
        body = client.get_json("/latest.json", params={"page": page, "no_definitions": "true"})
        topic_list = (body or {}).get("topic_list") or {}
        yield topic_list.get("topics") or []
        following = next_latest_page(topic_list)
        page = following if following is not None and following > page else None


def topic_with_posts(client: Any, topic_id: int) -> tuple[dict[str, Any], list[Any]]:
    """`/t/{id}.json` and every post of its stream (the rest via `/t/{id}/posts.json`)."""
    topic = client.get_json(f"/t/{topic_id}.json", params={"include_raw": "true"})
    stream = topic.get("post_stream") or {}
    posts = list(stream.get("posts") or [])
    have = {p.get("id") for p in posts if isinstance(p, dict)}
    missing = [pid for pid in stream.get("stream") or [] if pid not in have]
    for start in range(0, len(missing), settings.POST_IDS_PER_REQUEST):
        chunk = missing[start : start + settings.POST_IDS_PER_REQUEST]
        # pairs, not a dict of lists: both clients encode them alike (`post_ids[]=1&...`)
        params = [("post_ids[]", pid) for pid in chunk] + [("include_raw", "true")]
        body = client.get_json(f"/t/{topic_id}/posts.json", params=params)
        posts.extend((body.get("post_stream") or {}).get("posts") or [])
    return topic, posts


def post_likers(client: Any, post_id: int) -> list[dict[str, Any]]:
    """Users who liked a post (`/post_action_users.json`, paged)."""
    likers: list[dict[str, Any]] = []
    page = 0
    while True:
        body = client.get_json(
            "/post_action_users.json",
            params={
                "id": post_id,
                "post_action_type_id": settings.LIKE_ACTION,
                "page": page,
                "limit": settings.LIKERS_PAGE,
            },
        )
        batch = body.get("post_action_users") or []
        likers.extend(batch)
        total = body.get("total_rows_post_action_users")
        if not batch or total is None or len(likers) >= int(total):
            return likers
        page += 1


@dataclass
class ShapedPost:
    """One post of a stream: its `posts` row, or why it cannot be one."""

    post: Any
    row: dict[str, Any] | None = None
    error: str | None = None
    likers: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class TopicRead:
    """Everything read of one topic: `/t/{id}.json`, its whole stream, each post's likers."""

    detail: dict[str, Any]
    stream: list[Any]
    user_by_number: dict[Any, Any]
    posts: list[ShapedPost]


def read_topic(client: Any, topic_id: int) -> TopicRead:
    """One topic with its posts shaped and the likers of every post with likes."""
    detail, stream = topic_with_posts(client, topic_id)
    user_by_number = {p.get("post_number"): p.get("user_id") for p in stream if isinstance(p, dict)}
    posts: list[ShapedPost] = []
    for post in stream:
        try:
            row = shape_post(post, user_by_number)
        except (ValueError, TypeError, AttributeError) as exc:
            posts.append(ShapedPost(post, error=str(exc)))
            continue
        shaped = ShapedPost(post, row)
        if row["like_count"]:
            shaped.likers = post_likers(client, row["id"])
        posts.append(shaped)
    return TopicRead(detail, stream, user_by_number, posts)


# -- shaping -----------------------------------------------------------------------------


def parse_time(value: Any) -> int | None:
    """ISO-8601 text as epoch microseconds (None stays None); ValueError if unparsable."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"timestamp is {type(value).__name__}, not text")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp without zone {value!r}")
    return int(parsed.timestamp()) * 1_000_000 + parsed.microsecond


def like_count(post: dict[str, Any]) -> int | None:
    if "like_count" in post:
        return post["like_count"]
    for action in post.get("actions_summary") or ():
        if isinstance(action, dict) and action.get("id") == settings.LIKE_ACTION:
            return action.get("count") or 0
    return 0


def shape_post(post: dict[str, Any], user_by_number: dict[int, Any]) -> dict[str, Any]:
    """One post as a `posts` row; ValueError when it has no id or a bad timestamp."""
    post_id = post.get("id")
    if not isinstance(post_id, int):
        raise ValueError("post without integer id")
    created = parse_time(post.get("created_at"))
    if created is None:
        raise ValueError("post without created_at")
    reply_to = post.get("reply_to_post_number")
    reply_user = post.get("reply_to_user") or {}
    reply_to_user_id = reply_user.get("id") if isinstance(reply_user, dict) else None
    if reply_to_user_id is None and reply_to is not None:
        reply_to_user_id = user_by_number.get(reply_to)
    row: dict[str, Any] = {
        "id": post_id,
        "topic_id": post.get("topic_id"),
        "post_number": post.get("post_number"),
        "user_id": post.get("user_id"),
        "username": post.get("username"),
        "created_at": created,
        "updated_at": parse_time(post.get("updated_at")),
        "reply_to_post_number": reply_to,
        "reply_to_user_id": reply_to_user_id,
        "post_type": post.get("post_type"),
        "like_count": like_count(post),
        "reply_count": post.get("reply_count"),
        "accepted_answer": bool(post.get("accepted_answer")),
        "deleted_at": parse_time(post.get("deleted_at")),
        "raw": post.get("raw"),
    }
    dropped = settings.DROPPED_POST_KEYS
    for key in post.keys() - settings.CONSUMED_POST_KEYS:
        if key in dropped and not (key == "cooked" and post.get("raw") is None):
            continue
        row[key] = post[key]  # unknown: kept in `extra`
    return row
