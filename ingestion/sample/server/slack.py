"""Slack Web API (`/slack/api/<method>`): users.list, conversations.list/history/replies.

Wire behaviour reproduced from Slack's method reference:
- auth by `Authorization: Bearer` or a `token` parameter; failures are HTTP 200 with
  `{"ok": false, "error": "not_authed" | "invalid_auth"}`;
- cursor pagination with base64 cursors (`user:U…`, `team:C…`, `next_ts:…`) in
  `response_metadata.next_cursor` ("" at the end);
- pages may be shorter than `limit` while more remain (deterministically, see `_page_size`);
- history is newest first, honours `oldest`/`latest`/`inclusive` and hides thread replies
  except `thread_broadcast`; replies return the parent first on every page.
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path

from ingestion.sample.server.store import MessageStore, read_rows, ts_to_micros
from ingestion.sample.server.wire import (
    Request,
    Response,
    decode_cursor,
    dumps,
    encode_cursor,
    json_response,
    raw_json_list,
)

HISTORY_DEFAULT, HISTORY_MAX = 100, 999
REPLIES_DEFAULT, REPLIES_MAX = 1000, 1000
LIST_DEFAULT, LIST_MAX = 100, 1000
USERS_MAX = 1000
HISTORY_EXTRAS = {"pin_count": 0, "channel_actions_ts": None, "channel_actions_count": 0}


def _page_size(limit: int, position: str) -> int:
    """Slack may return fewer items than `limit` while more remain. One page in four
    (chosen by a hash of where it starts, so repeatable) is cut to two thirds."""
    if limit > 1 and zlib.crc32(position.encode()) % 4 == 0:
        return max(1, (limit * 2) // 3)
    return limit


def _error(error: str, route: str) -> Response:
    return json_response(200, {"ok": False, "error": error}, route)


def _ok(route: str, key: str, items: list[bytes], next_cursor: str, **extra: object) -> Response:
    parts = [b'{"ok":true,"', key.encode(), b'":', raw_json_list(items)]
    for name, value in extra.items():
        parts.append(b',"' + name.encode() + b'":' + dumps(value))
    parts.append(b',"response_metadata":' + dumps({"next_cursor": next_cursor}) + b"}")
    return Response(200, b"".join(parts), {}, route)


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.lower() in ("1", "true", "yes")


def _ts_param(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return ts_to_micros(value)
    except ValueError:
        return None


class SlackApi:
    prefix = "/slack/api/"

    def __init__(self, root: Path, token: str) -> None:
        self.token = token
        self.users = read_rows(root / "slack" / "users.jsonl", keep=lambda o: {"id": o["id"]})
        self.channels = read_rows(
            root / "slack" / "channels.jsonl",
            keep=lambda o: {
                k: o.get(k)
                for k in ("id", "is_archived", "is_private", "is_im", "is_mpim", "_members")
            },
        )
        self.user_pos = {r.obj["id"]: i for i, r in enumerate(self.users)}
        self.channel_pos = {r.obj["id"]: i for i, r in enumerate(self.channels)}
        self.messages = MessageStore(root / "slack" / "messages.jsonl")

    def close(self) -> None:
        self.messages.close()

    # -- dispatch ---------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        method = req.path.strip("/")
        params = {k: v[0] if v else "" for k, v in req.form().items()}
        auth = req.headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else params.get("token")
        if not token:
            return _error("not_authed", method)
        if token != self.token:
            return _error("invalid_auth", method)
        handler = {
            "users.list": self.users_list,
            "conversations.list": self.conversations_list,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "conversations.members": self.conversations_members,
            "auth.test": self.auth_test,
        }.get(method)
        if handler is None:
            return json_response(404, {"ok": False, "error": "unknown_method"}, method)
        return handler(params)

    def auth_test(self, params: dict[str, str]) -> Response:
        body = {
            "ok": True,
            "url": "https://sample.slack.com/",
            "team": "Sample",
            "user": "commops",
            "team_id": "T00000001",
            "user_id": "U00000001",
        }
        return json_response(200, body, "auth.test")

    # -- users / channels -----------------------------------------------------------------
    def _limit(self, params: dict[str, str], default: int, maximum: int) -> int | None:
        raw = params.get("limit", "")
        if raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            return None
        return maximum if value <= 0 else min(value, maximum)

    def users_list(self, params: dict[str, str]) -> Response:
        route = "users.list"
        # No limit: Slack tries to send everything; we still cap a page.
        limit = self._limit(params, USERS_MAX, USERS_MAX)
        if limit is None:
            return _error("invalid_limit", route)
        start = 0
        if params.get("cursor"):
            uid = decode_cursor(params["cursor"], "user")
            if uid is None or uid not in self.user_pos:
                return _error("invalid_cursor", route)
            start = self.user_pos[uid]
        end = min(len(self.users), start + _page_size(limit, f"u{start}"))
        items = [r.raw for r in self.users[start:end]]
        nxt = encode_cursor("user:" + self.users[end].obj["id"]) if end < len(self.users) else ""
        return _ok(route, "members", items, nxt, cache_ts=int(time.time()))

    def conversations_list(self, params: dict[str, str]) -> Response:
        route = "conversations.list"
        limit = self._limit(params, LIST_DEFAULT, LIST_MAX)
        if limit is None:
            return _error("invalid_limit", route)
        types = {t.strip() for t in (params.get("types") or "public_channel").split(",")}
        allowed = {"public_channel", "private_channel", "mpim", "im"}
        if not types <= allowed:
            return _error("invalid_types", route)
        exclude_archived = _flag(params.get("exclude_archived"))

        def wanted(obj: dict) -> bool:
            if obj.get("is_im"):
                kind = "im"
            elif obj.get("is_mpim"):
                kind = "mpim"
            elif obj.get("is_private"):
                kind = "private_channel"
            else:
                kind = "public_channel"
            return kind in types and not (exclude_archived and obj.get("is_archived"))

        start = 0
        if params.get("cursor"):
            cid = decode_cursor(params["cursor"], "team")
            if cid is None or cid not in self.channel_pos:
                return _error("invalid_cursor", route)
            start = self.channel_pos[cid]
        # Like Slack, filtering happens after paging, so pages can be short or even empty.
        end = min(len(self.channels), start + _page_size(limit, f"c{start}"))
        items = [r.raw for r in self.channels[start:end] if wanted(r.obj)]
        nxt = (
            encode_cursor("team:" + self.channels[end].obj["id"])
            if end < len(self.channels)
            else ""
        )
        return _ok(route, "channels", items, nxt)

    def conversations_members(self, params: dict[str, str]) -> Response:
        route = "conversations.members"
        cid = params.get("channel", "")
        if cid not in self.channel_pos:
            return _error("channel_not_found", route)
        limit = self._limit(params, LIST_DEFAULT, LIST_MAX)
        if limit is None:
            return _error("invalid_limit", route)
        members = self.channels[self.channel_pos[cid]].obj.get("_members") or []
        start = 0
        if params.get("cursor"):
            uid = decode_cursor(params["cursor"], "user")
            if uid is None or uid not in members:
                return _error("invalid_cursor", route)
            start = members.index(uid)
        end = min(len(members), start + _page_size(limit, f"m{cid}:{start}"))
        items = [dumps(m) for m in members[start:end]]
        nxt = encode_cursor("user:" + members[end]) if end < len(members) else ""
        return _ok(route, "members", items, nxt)

    # -- messages -----------------------------------------------------------------------
    def _channel(self, params: dict[str, str]) -> int | None:
        cid = params.get("channel", "")
        if cid not in self.channel_pos:
            return None
        return self.messages.channel_index.get(cid, -1)

    def conversations_history(self, params: dict[str, str]) -> Response:
        route = "conversations.history"
        chan = self._channel(params)
        if chan is None:
            return _error("channel_not_found", route)
        limit = self._limit(params, HISTORY_DEFAULT, HISTORY_MAX)
        if limit is None:
            return _error("invalid_limit", route)
        oldest = _ts_param(params.get("oldest")) or 0
        latest = _ts_param(params.get("latest"))
        inclusive = _flag(params.get("inclusive"))
        store = self.messages
        lo, hi = store.history_range(chan) if chan >= 0 else (0, 0)
        ts = store.hist_ts
        # Range [a, b) of visible messages within oldest/latest, ascending ts.
        a = lo + int(ts[lo:hi].searchsorted(oldest, side="left" if inclusive else "right"))
        b = (
            hi
            if latest is None
            else lo + int(ts[lo:hi].searchsorted(latest, side="right" if inclusive else "left"))
        )
        if params.get("cursor"):
            value = decode_cursor(params["cursor"], "next_ts")
            if value is None or not value.isdigit():
                return _error("invalid_cursor", route)
            b = min(b, lo + int(ts[lo:hi].searchsorted(int(value), side="right")))
        if b <= a:
            return _ok(route, "messages", [], "", has_more=False, **HISTORY_EXTRAS)
        size = _page_size(limit, f"h{chan}:{int(ts[b - 1])}")
        first = max(a, b - size)
        rows = store.hist_rows[first:b][::-1]
        items = [store.line(int(r)) for r in rows]
        has_more = first > a
        nxt = encode_cursor(f"next_ts:{int(ts[first - 1])}") if has_more else ""
        return _ok(route, "messages", items, nxt, has_more=has_more, **HISTORY_EXTRAS)

    def conversations_replies(self, params: dict[str, str]) -> Response:
        route = "conversations.replies"
        chan = self._channel(params)
        if chan is None:
            return _error("channel_not_found", route)
        ts = _ts_param(params.get("ts"))
        store = self.messages
        row = store.find(chan, ts) if ts is not None and chan >= 0 else None
        if row is None:
            return _error("thread_not_found", route)
        limit = self._limit(params, REPLIES_DEFAULT, REPLIES_MAX)
        if limit is None:
            return _error("invalid_limit", route)
        thread_ts = int(store.thread[row]) if store.thread[row] >= 0 else int(store.ts[row])
        parent = store.find(chan, thread_ts)
        members = [int(r) for r in store.thread_members(chan, thread_ts)]
        if parent is None:
            return _error("thread_not_found", route)
        replies = [r for r in members if r != parent]
        oldest = _ts_param(params.get("oldest"))
        latest = _ts_param(params.get("latest"))
        inclusive = _flag(params.get("inclusive"))
        if oldest is not None:
            replies = [
                r for r in replies if store.ts[r] > oldest or (inclusive and store.ts[r] == oldest)
            ]
        if latest is not None:
            replies = [
                r for r in replies if store.ts[r] < latest or (inclusive and store.ts[r] == latest)
            ]
        start = 0
        if params.get("cursor"):
            value = decode_cursor(params["cursor"], "next_ts")
            if value is None or not value.isdigit():
                return _error("invalid_cursor", route)
            start = next(
                (i for i, r in enumerate(replies) if store.ts[r] >= int(value)), len(replies)
            )
        # The parent comes first on every page (it counts toward `limit`).
        size = max(1, _page_size(limit, f"r{chan}:{thread_ts}:{start}") - 1)
        page = replies[start : start + size]
        end = start + len(page)
        has_more = end < len(replies)
        items = [store.line(parent)] + [store.line(r) for r in page]
        nxt = encode_cursor(f"next_ts:{int(store.ts[replies[end]])}") if has_more else ""
        return _ok(route, "messages", items, nxt, has_more=has_more)
