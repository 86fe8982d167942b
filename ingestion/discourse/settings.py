"""Discourse source constants."""

from __future__ import annotations

import pyarrow as pa

from ingestion.common.arrow import UTC_TIMESTAMP, schema_with_extra

SOURCE_NAME = "discourse"
DEFAULT_BASE_URL = "https://forum.example.org"
"""The forum's root URL (placeholder: every deployment sets SOURCES__DISCOURSE__BASE_URL)."""
API_KEY_KEY = "SOURCES__DISCOURSE__API_KEY"

DEFAULT_LOOKBACK_DAYS = 7
"""Topics bumped within this many days before the newest seen bump are re-read each run."""

DEFAULT_USERS_LIST = "active"
DEFAULT_TOPIC_WORKERS = 8
"""Topics read at once (`SOURCES__DISCOURSE__TOPIC_WORKERS`): each topic costs one or more
`/t/{id}.json` + `/t/{id}/posts.json` + `/post_action_users.json` calls, so sequential round
trips would dominate a run. Results are still consumed in topic order; 1 = sequential."""
DEFAULT_BATCH_ROWS = 20_000
POST_IDS_PER_REQUEST = 50
"""Post ids per `/t/{id}/posts.json` request (Discourse pages 20; it accepts more)."""
LIKERS_PAGE = 200
LIKE_ACTION = 2

EPOCH_ISO = "1970-01-01T00:00:00.000Z"

POST_SCHEMA = schema_with_extra(
    [
        pa.field("id", pa.int64(), nullable=False),
        pa.field("topic_id", pa.int64()),
        pa.field("post_number", pa.int64()),
        pa.field("user_id", pa.int64()),
        pa.field("username", pa.string()),
        pa.field("created_at", UTC_TIMESTAMP),
        pa.field("updated_at", UTC_TIMESTAMP),
        pa.field("reply_to_post_number", pa.int64()),
        pa.field("reply_to_user_id", pa.int64()),
        pa.field("post_type", pa.int64()),
        pa.field("like_count", pa.int64()),
        pa.field("reply_count", pa.int64()),
        pa.field("accepted_answer", pa.bool_()),
        pa.field("deleted_at", UTC_TIMESTAMP),
        pa.field("raw", pa.string()),
    ]
)

CONSUMED_POST_KEYS = frozenset(
    {
        "id",
        "topic_id",
        "post_number",
        "user_id",
        "username",
        "created_at",
        "updated_at",
        "reply_to_post_number",
        "reply_to_user",
        "post_type",
        "actions_summary",
        "like_count",
        "reply_count",
        "accepted_answer",
        "deleted_at",
        "raw",
    }
)
DROPPED_POST_KEYS = frozenset(
    {
        # presentation and per-viewer flags: not facts about the post
        "cooked",
        "avatar_template",
        "yours",
        "can_edit",
        "can_delete",
        "can_recover",
        "can_wiki",
        "can_accept_answer",
        "can_unaccept_answer",
        "can_view_edit_history",
        "bookmarked",
        "read",
        "topic_slug",
        "display_username",
    }
)

LIKE_SCHEMA = pa.schema(
    [
        pa.field("post_id", pa.int64(), nullable=False),
        pa.field("user_id", pa.int64(), nullable=False),
        pa.field("created_at", UTC_TIMESTAMP),
    ]
)


def _columns(spec: str) -> dict[str, dict[str, object]]:
    """'name:type ...' as dlt column hints (so contract columns exist even when all null)."""
    out: dict[str, dict[str, object]] = {}
    for item in spec.split():
        name, data_type = item.split(":")
        out[name] = {"data_type": data_type, "nullable": True}
    return out


USER_COLUMNS = _columns(
    "id:bigint username:text name:text email:text active:bool admin:bool moderator:bool "
    "staged:bool suspended_at:timestamp trust_level:bigint created_at:timestamp "
    "last_seen_at:timestamp location:text"
)
CATEGORY_COLUMNS = _columns(
    "id:bigint name:text slug:text parent_category_id:bigint topic_count:bigint post_count:bigint"
)
TOPIC_COLUMNS = _columns(
    "id:bigint title:text slug:text category_id:bigint user_id:bigint posts_count:bigint "
    "reply_count:bigint like_count:bigint views:bigint created_at:timestamp "
    "last_posted_at:timestamp bumped_at:timestamp closed:bool archived:bool pinned:bool "
    "has_accepted_answer:bool accepted_answer_post_id:bigint tags:json"
)
