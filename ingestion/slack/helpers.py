"""Slack wire details: the client, the `ok` check, ts parsing, message shaping."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import dlt
from dlt.sources.helpers.rest_client.paginators import BaseReferencePaginator
from requests import Request, Response

from ingestion.common import BearerAuth, SourceAPIError, SourceAuthError, make_client, reject
from ingestion.common.http import PooledJSONClient, VendorClient
from ingestion.slack import settings

log = logging.getLogger(__name__)


class SlackAPIError(SourceAPIError):
    """`ok: false` from a Slack method (other than a credential problem)."""


def check_ok(response: Response, body: Any) -> None:
    """Slack answers errors as HTTP 200 with `ok: false`: check `ok`, not the status."""
    check_body(response.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1], body)


def check_body(method: str, body: Any) -> None:
    """Raise for a Slack body that is not `ok: true` (a credential error names its key)."""
    if isinstance(body, dict) and body.get("ok") is True:
        return
    error = body.get("error", "unknown_error") if isinstance(body, dict) else "not_json_object"
    if error in settings.AUTH_ERRORS:
        raise SourceAuthError(settings.SOURCE_NAME, settings.ACCESS_TOKEN_KEY, error)
    raise SlackAPIError(settings.SOURCE_NAME, error, method)


def make_slack_client(base_url: str, access_token: str) -> VendorClient:
    if not base_url.endswith("/"):
        base_url += "/"
    return make_client(
        base_url,
        source=settings.SOURCE_NAME,
        auth_config_key=settings.ACCESS_TOKEN_KEY,
        auth=BearerAuth(access_token),
        check=check_ok,
    )


class SlackCursorPaginator(BaseReferencePaginator):
    """`response_metadata.next_cursor`, "" (or absent) at the end; short pages do not stop it.

    dlt's JSONResponseCursorPaginator does the same through JSONPath, whose parsing costs
    more than the request itself when a run makes thousands of `conversations.replies` calls.
    """

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        body = response.json()
        meta = body.get("response_metadata") if isinstance(body, dict) else None
        cursor = meta.get("next_cursor") if isinstance(meta, dict) else None
        self._next_reference = cursor or None

    def update_request(self, request: Request) -> None:
        if request.params is None:
            request.params = {}
        request.params["cursor"] = self._next_reference


def make_slack_replies_client(base_url: str, access_token: str) -> PooledJSONClient:
    """The light client the concurrent conversations.replies workers use (see
    `PooledJSONClient`); failures there fall back to the `VendorClient`."""
    return PooledJSONClient(
        base_url,
        source=settings.SOURCE_NAME,
        auth_config_key=settings.ACCESS_TOKEN_KEY,
        headers={"Authorization": f"Bearer {access_token}"},
    )


def paginate(
    client: VendorClient | PooledJSONClient,
    method: str,
    selector: str,
    params: dict[str, Any],
) -> Iterator[list[dict[str, Any]]]:
    """Pages of `selector` items from a cursor-paginated Slack method."""
    if isinstance(client, PooledJSONClient):
        yield from _paginate_pooled(client, method, selector, params)
        return
    yield from client.paginate(
        method, params=params, paginator=SlackCursorPaginator(), data_selector=selector
    )


def _paginate_pooled(
    client: PooledJSONClient, method: str, selector: str, params: dict[str, Any]
) -> Iterator[list[dict[str, Any]]]:
    """`SlackCursorPaginator`'s walk (next_cursor until empty) over the pooled client."""
    params = dict(params)
    while True:
        body = client.get_json(method, params)
        check_body(method, body)
        items = body.get(selector)
        yield items if isinstance(items, list) else []
        meta = body.get("response_metadata")
        cursor = meta.get("next_cursor") if isinstance(meta, dict) else None
        if not cursor:
            return
        params["cursor"] = cursor


# -- ts --------------------------------------------------------------------------------------


def ts_to_micros(ts: Any) -> int:
    """A Slack `ts` ("1700000000.000100") as exact integer microseconds; ValueError if not one."""
    if not isinstance(ts, str):
        raise ValueError(f"ts is {type(ts).__name__}, not text")
    whole, dot, frac = ts.partition(".")
    if not whole.isdigit() or (dot and not frac.isdigit()) or len(frac) > 6:
        raise ValueError(f"unparsable ts {ts!r}")
    return int(whole) * 1_000_000 + int((frac + "000000")[:6])


def micros_to_ts(micros: int) -> str:
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def epoch_seconds(value: Any) -> str:
    """A datetime cursor value as a Slack `oldest` parameter."""
    micros = int(round(value.timestamp() * 1_000_000))
    return micros_to_ts(micros)


# -- shaping -------------------------------------------------------------------------------


@dataclass
class ShapedMessage:
    row: dict[str, Any]
    reactions: list[dict[str, Any]] = field(default_factory=list)


def shape_message(msg: dict[str, Any], channel_id: str) -> ShapedMessage:
    """One API message as a `messages` row (+ its `message_reactions` rows).

    Raises ValueError when the message cannot be keyed (no or unparsable `ts`).
    """
    ts = msg.get("ts")
    micros = ts_to_micros(ts)
    edited = msg.get("edited") or {}
    row: dict[str, Any] = {
        "channel_id": channel_id,
        "ts": ts,
        "thread_ts": msg.get("thread_ts"),
        "parent_user_id": msg.get("parent_user_id"),
        "user_id": msg.get("user"),
        "bot_id": msg.get("bot_id"),
        "type": msg.get("type"),
        "subtype": msg.get("subtype"),
        "text": msg.get("text"),
        "reply_count": msg.get("reply_count"),
        "reply_users_count": msg.get("reply_users_count"),
        "latest_reply": msg.get("latest_reply"),
        "edited_ts": edited.get("ts") if isinstance(edited, dict) else None,
        "edited_user": edited.get("user") if isinstance(edited, dict) else None,
        "is_deleted": False,
        "message_at": micros,
        "client_msg_id": msg.get("client_msg_id"),
    }
    for key in msg.keys() - settings.CONSUMED_MESSAGE_KEYS - settings.DROPPED_MESSAGE_KEYS:
        row[key] = msg[key]  # unknown: the TableBuilder keeps it in `extra`
    reactions = [
        {
            "channel_id": channel_id,
            "message_ts": ts,
            "reaction": reaction.get("name"),
            "user_id": user,
            "message_at": micros,
            "is_removed": False,
        }
        for reaction in msg.get("reactions") or ()
        if isinstance(reaction, dict) and reaction.get("name")
        for user in reaction.get("users") or ()
    ]
    return ShapedMessage(row, reactions)


def is_thread_parent(msg: dict[str, Any]) -> bool:
    thread_ts = msg.get("thread_ts")
    return bool(thread_ts) and thread_ts == msg.get("ts") and bool(msg.get("reply_count"))


# -- what was loaded before (deletion detection) -------------------------------------------


@dataclass
class LoadedWindow:
    """Messages (and reactions) already in the warehouse with `message_at >= since`."""

    messages: dict[tuple[str, str], str | None] = field(default_factory=dict)
    """(channel_id, ts) -> thread_ts, for messages not yet marked deleted"""
    reactions: set[tuple[str, str, str, str]] = field(default_factory=set)


def _query(client: Any, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with client.execute_query(sql, *args) as cursor:
        return list(cursor.fetchall())


def loaded_window(since_micros: int) -> LoadedWindow:
    """Read the look-back window from the destination of the running pipeline.

    Empty on a first load (no tables yet) or when no pipeline/destination is active.
    """
    window = LoadedWindow()
    since = datetime.fromtimestamp(since_micros / 1_000_000, tz=UTC)
    try:
        pipeline = dlt.current.pipeline()
        if pipeline is None or pipeline.destination is None:
            return window
        if "messages" not in pipeline.default_schema.tables:
            return window
        with pipeline.sql_client() as client:
            messages = client.make_qualified_table_name("messages")
            for channel_id, ts, thread_ts in _query(
                client,
                f"SELECT channel_id, ts, thread_ts FROM {messages} "
                "WHERE message_at >= ? AND NOT coalesce(is_deleted, false)",
                since,
            ):
                window.messages[(channel_id, ts)] = thread_ts
            if "message_reactions" in pipeline.default_schema.tables:
                reactions = client.make_qualified_table_name("message_reactions")
                window.reactions = {
                    tuple(r)  # type: ignore[misc]
                    for r in _query(
                        client,
                        f"SELECT channel_id, message_ts, reaction, user_id FROM {reactions} "
                        "WHERE message_at >= ?",
                        since,
                    )
                }
    except Exception as exc:  # noqa: BLE001 - no warehouse yet means nothing loaded yet
        if _is_missing_relation(exc):
            return LoadedWindow()
        raise
    return window


def destination_has_rows(table: str) -> bool:
    """Whether the running pipeline's destination already holds a row of `table` (False when
    no pipeline is active or the table does not exist yet)."""
    try:
        pipeline = dlt.current.pipeline()
        if pipeline is None or pipeline.destination is None:
            return False
        with pipeline.sql_client() as client:
            name = client.make_qualified_table_name(table)
            return bool(_query(client, f"SELECT EXISTS (SELECT 1 FROM {name})")[0][0])
    except Exception as exc:  # noqa: BLE001 - no dataset or table yet: nothing loaded yet
        if _is_missing_relation(exc):
            return False
        raise


def _is_missing_relation(exc: Exception) -> bool:
    from dlt.destinations.exceptions import (
        DatabaseUndefinedRelation,
        DestinationUndefinedEntity,
    )

    return isinstance(exc, DatabaseUndefinedRelation | DestinationUndefinedEntity)


def loaded_rows(keys: list[tuple[str, str]], columns: list[str]) -> list[dict[str, Any]]:
    """Full `messages` rows for `keys` (to re-emit them marked deleted)."""
    if not keys:
        return []
    pipeline = dlt.current.pipeline()
    rows: list[dict[str, Any]] = []
    with pipeline.sql_client() as client:
        messages = client.make_qualified_table_name("messages")
        names = ", ".join(client.escape_column_name(c) for c in columns)
        by_channel: dict[str, list[str]] = {}
        for channel_id, ts in keys:
            by_channel.setdefault(channel_id, []).append(ts)
        for channel_id, ts_list in by_channel.items():
            for start in range(0, len(ts_list), 500):
                chunk = ts_list[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                for values in _query(
                    client,
                    f"SELECT {names} FROM {messages} WHERE channel_id = ? AND ts IN ({marks})",
                    channel_id,
                    *chunk,
                ):
                    rows.append(dict(zip(columns, values, strict=True)))
    return rows


def identified_or_rejected(records: Iterable[Any], resource: str) -> Iterator[Any]:
    """Yield a `_rejects` row for each record without an `id`, then the list of the others.

    Shared by the API and export-zip paths for users and channels."""
    good = []
    for record in records:
        if isinstance(record, dict) and record.get("id"):
            good.append(record)
        else:
            yield reject("slack", resource, record, f"{resource.removesuffix('s')} without id")
    yield good
