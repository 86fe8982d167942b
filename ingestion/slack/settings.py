"""Slack source constants."""

from __future__ import annotations

import pyarrow as pa

from ingestion.common.arrow import UTC_TIMESTAMP, schema_with_extra

SOURCE_NAME = "slack"
DEFAULT_BASE_URL = "https://slack.com/api/"
ACCESS_TOKEN_KEY = "SOURCES__SLACK__ACCESS_TOKEN"

DEFAULT_LOOKBACK_DAYS = 7
"""Each run re-reads this many days before the newest loaded message: catches late thread
replies, edits, new reactions and deletions."""

DEFAULT_PAGE_SIZE = 200
"""`limit` for list methods (Slack recommends at most 200)."""

DEFAULT_BATCH_ROWS = 20_000
"""Messages per Arrow table handed to dlt."""

DEFAULT_CHANNEL_TYPES = "public_channel,private_channel"

DEFAULT_REPLY_WORKERS = 8
"""conversations.replies calls in flight at once (one call per thread: a large workspace has
hundreds of thousands of threads, so sequential round trips would dominate the run). Results
are still consumed in thread order; 1 = sequential."""

AUTH_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "not_allowed_token_type",
    }
)
"""`ok: false` errors that mean the credential itself is wrong."""

SKIPPABLE_CHANNEL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "missing_scope"})
"""Per-channel errors: that channel is skipped (and its messages are not marked deleted)."""

MESSAGE_SCHEMA = schema_with_extra(
    [
        pa.field("channel_id", pa.string(), nullable=False),
        pa.field("ts", pa.string(), nullable=False),
        pa.field("thread_ts", pa.string()),
        pa.field("parent_user_id", pa.string()),
        pa.field("user_id", pa.string()),
        pa.field("bot_id", pa.string()),
        pa.field("type", pa.string()),
        pa.field("subtype", pa.string()),
        pa.field("text", pa.string()),
        pa.field("reply_count", pa.int64()),
        pa.field("reply_users_count", pa.int64()),
        pa.field("latest_reply", pa.string()),
        pa.field("edited_ts", pa.string()),
        pa.field("edited_user", pa.string()),
        pa.field("is_deleted", pa.bool_()),
        pa.field("message_at", UTC_TIMESTAMP),
        pa.field("client_msg_id", pa.string()),
    ]
)

REACTION_SCHEMA = pa.schema(
    [
        pa.field("channel_id", pa.string(), nullable=False),
        pa.field("message_ts", pa.string(), nullable=False),
        pa.field("reaction", pa.string(), nullable=False),
        pa.field("user_id", pa.string(), nullable=False),
        pa.field("message_at", UTC_TIMESTAMP),
        pa.field("is_removed", pa.bool_()),
    ]
)
REACTION_KEY = ("channel_id", "message_ts", "reaction", "user_id")

# message keys consumed into named columns (everything else goes to `extra`)
CONSUMED_MESSAGE_KEYS = frozenset(
    {
        "ts",
        "thread_ts",
        "parent_user_id",
        "user",
        "bot_id",
        "type",
        "subtype",
        "text",
        "reply_count",
        "reply_users_count",
        "latest_reply",
        "edited",
        "client_msg_id",
        "reactions",
    }
)
DROPPED_MESSAGE_KEYS = frozenset({"blocks", "team", "subscribed", "last_read", "is_locked"})
"""Not stored: `blocks` repeats `text` as rich-text structure; `team` is the workspace id; the
others are the reading user's view state."""


def _columns(spec: str) -> dict[str, dict[str, object]]:
    """'name:type ...' as dlt column hints (so contract columns exist even when all null)."""
    out: dict[str, dict[str, object]] = {}
    for item in spec.split():
        name, data_type = item.split(":")
        out[name] = {"data_type": data_type, "nullable": True}
    return out


USER_COLUMNS = _columns(
    "id:text team_id:text name:text real_name:text deleted:bool is_bot:bool is_app_user:bool "
    "is_admin:bool is_owner:bool is_restricted:bool is_ultra_restricted:bool tz:text "
    "tz_offset:bigint updated:bigint profile__email:text profile__real_name:text "
    "profile__display_name:text profile__title:text profile__bot_id:text"
)
CHANNEL_COLUMNS = _columns(
    "id:text name:text is_archived:bool is_private:bool is_general:bool created:bigint "
    "creator:text num_members:bigint topic__value:text purpose__value:text"
)
