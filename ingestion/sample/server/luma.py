"""Luma public API (`/luma/public/v1/...`): calendar/list-events, event/get-guests, event/get.

Responses are `{"entries": [...], "has_more": bool, "next_cursor": "..."}`; `next_cursor`
is absent on the last page. `pagination_limit` defaults to 50 and is capped at 100.
list-events is ordered by `start_at` and honours `after`/`before` (ISO 8601 on start_at).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ingestion.sample.server.store import Row, read_rows
from ingestion.sample.server.wire import (
    Request,
    Response,
    decode_cursor,
    dumps,
    encode_cursor,
    json_response,
    raw_json_list,
)

PAGE_DEFAULT, PAGE_MAX = 50, 100


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


class LumaApi:
    prefix = "/luma"

    def __init__(self, root: Path, api_key: str) -> None:
        self.api_key = api_key
        base = root / "luma"

        def keep_event(o: dict) -> dict:
            return {"api_id": o.get("api_id"), "start_at": (o.get("event") or {}).get("start_at")}

        events = read_rows(base / "events.jsonl", keep=keep_event)
        self.events: list[tuple[datetime, Row]] = sorted(
            ((_instant(r.obj["start_at"]) or datetime.min.replace(tzinfo=UTC), r) for r in events),
            key=lambda pair: (pair[0], str(pair[1].obj["api_id"])),
        )
        self.event_by_id = {r.obj["api_id"]: r for _, r in self.events}
        self.guests: dict[str, list[Row]] = {}
        guests = read_rows(
            base / "guests.jsonl",
            keep=lambda o: {"api_id": o.get("api_id"), "event": o.get("_event_api_id")},
        )
        for r in guests:
            self.guests.setdefault(r.obj["event"], []).append(r)

    def close(self) -> None:
        pass

    def handle(self, req: Request) -> Response:
        key = req.headers.get("x-luma-api-key")
        if key != self.api_key:
            return json_response(401, {"message": "Invalid API key."}, "auth")
        path = req.path.rstrip("/")
        if path == "/public/v1/calendar/list-events":
            return self.list_events(req)
        if path == "/public/v1/event/get-guests":
            return self.get_guests(req)
        if path == "/public/v1/event/get":
            return self.get_event(req)
        return json_response(404, {"message": "Not found."}, "not_found")

    @staticmethod
    def _page(req: Request, rows: list[Row], kind: str, route: str) -> Response:
        limit = min(max(req.int_arg("pagination_limit", PAGE_DEFAULT), 1), PAGE_MAX)
        start = 0
        cursor = req.arg("pagination_cursor")
        if cursor:
            value = decode_cursor(cursor, kind)
            if value is None or not value.isdigit():
                return json_response(400, {"message": "Invalid pagination_cursor."}, route)
            start = int(value)
        page = rows[start : start + limit]
        end = start + len(page)
        has_more = end < len(rows)
        body = b'{"entries":' + raw_json_list([r.raw for r in page])
        body += b',"has_more":' + dumps(has_more)
        if has_more:
            body += b',"next_cursor":' + dumps(encode_cursor(f"{kind}:{end}"))
        return Response(200, body + b"}", {}, route)

    def list_events(self, req: Request) -> Response:
        route = "/public/v1/calendar/list-events"
        after, before = _instant(req.arg("after")), _instant(req.arg("before"))
        rows = [
            r
            for start, r in self.events
            if (after is None or start > after) and (before is None or start < before)
        ]
        return self._page(req, rows, "evt", route)

    def get_guests(self, req: Request) -> Response:
        route = "/public/v1/event/get-guests"
        event_id = req.arg("event_api_id") or req.arg("event_id")
        if not event_id or event_id not in self.event_by_id:
            return json_response(404, {"message": "Event not found."}, route)
        rows = self.guests.get(event_id, [])
        status = req.arg("approval_status")
        if status:
            import json

            rows = [
                r
                for r in rows
                if json.loads(r.raw).get("guest", {}).get("approval_status") == status
            ]
        return self._page(req, rows, "gst", route)

    def get_event(self, req: Request) -> Response:
        route = "/public/v1/event/get"
        row = self.event_by_id.get(req.arg("api_id") or req.arg("event_api_id") or "")
        if row is None:
            return json_response(404, {"message": "Event not found."}, route)
        return Response(200, row.raw, {}, route)
