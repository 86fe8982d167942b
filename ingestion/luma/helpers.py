"""Luma over HTTP (cursor-paged `entries`) and the shaping of events and guests into rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator

from ingestion.common.http import HeadersAuth, VendorClient, make_client
from ingestion.luma import settings


def make_luma_client(base_url: str, api_key: str) -> VendorClient:
    """A retrying client sending the key in `x-luma-api-key`; a 401 names the config key."""
    return make_client(
        base_url.rstrip("/"),
        source=settings.SOURCE_NAME,
        auth_config_key=settings.API_KEY_CONFIG_KEY,
        auth=HeadersAuth({settings.API_KEY_HEADER: api_key}),
    )


def _paginator() -> JSONResponseCursorPaginator:
    return JSONResponseCursorPaginator(
        cursor_path="next_cursor", cursor_param="pagination_cursor", has_more_path="has_more"
    )


def list_events(client: VendorClient, after: datetime | None) -> Iterator[list[dict[str, Any]]]:
    """Pages of list-events entries (`{"api_id", "event", "tags"}`) starting after `after`."""
    params: dict[str, Any] = {"pagination_limit": settings.PAGE_LIMIT}
    if after is not None:
        params["after"] = iso(after)
    for page in client.paginate(
        settings.LIST_EVENTS_ENDPOINT,
        params=params,
        paginator=_paginator(),
        data_selector="entries",
    ):
        yield list(page)


def get_guests(client: VendorClient, event_api_id: str) -> Iterator[list[dict[str, Any]]]:
    """Pages of get-guests entries (`{"api_id", "guest"}`) of one event."""
    params = {"event_api_id": event_api_id, "pagination_limit": settings.PAGE_LIMIT}
    for page in client.paginate(
        settings.GET_GUESTS_ENDPOINT, params=params, paginator=_paginator(), data_selector="entries"
    ):
        yield list(page)


# -- values ----------------------------------------------------------------------------------
def parse_datetime(value: Any) -> datetime | None:
    """An ISO 8601 instant as an aware UTC datetime (None for empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _tag_names(entry: dict[str, Any]) -> list[str]:
    names = []
    for tag in entry.get("tags") or []:
        name = tag.get("name") if isinstance(tag, dict) else tag
        if name:
            names.append(str(name))
    return names


def event_type_of(tag_names: list[str], luma_event_type: Any) -> str | None:
    """The contract's event type (meetup|webinar|workshop|office_hours) from the tags."""
    for name in [*tag_names, str(luma_event_type or "")]:
        normalized = name.strip().lower().replace("-", "_").replace(" ", "_")
        if normalized in settings.EVENT_TYPES:
            return normalized
    return None


def event_row(entry: dict[str, Any]) -> dict[str, Any]:
    """One list-events entry as an `events` row. Raises KeyError/ValueError if malformed."""
    event = entry.get("event") or {}
    api_id = event.get("api_id") or entry["api_id"]
    geo = event.get("geo_address_json") or None
    tags = _tag_names(entry)
    return {
        "api_id": str(api_id),
        "name": event.get("name"),
        "description": event.get("description"),
        "start_at": parse_datetime(event.get("start_at")),
        "end_at": parse_datetime(event.get("end_at")),
        "timezone": event.get("timezone"),
        "url": event.get("url"),
        "event_type": event_type_of(tags, event.get("event_type")),
        "series": event.get("series_api_id"),
        "city": geo.get("city") if isinstance(geo, dict) else None,
        "country": geo.get("country") if isinstance(geo, dict) else None,
        "geo_address_json": geo,
        "tags": tags,
    }


def event_created_at(entry: dict[str, Any]) -> datetime | None:
    return parse_datetime((entry.get("event") or {}).get("created_at"))


def guest_row(entry: dict[str, Any], event_api_id: str) -> dict[str, Any]:
    """One get-guests entry as a `guests` row. Raises KeyError/ValueError if malformed."""
    guest = entry.get("guest") or {}
    api_id = guest.get("api_id") or entry["api_id"]
    return {
        "api_id": str(api_id),
        "event_api_id": event_api_id,
        "user_api_id": guest.get("user_api_id"),
        "user_email": guest.get("user_email"),
        "user_name": guest.get("user_name"),
        "approval_status": guest.get("approval_status"),
        "registered_at": parse_datetime(guest.get("registered_at")),
        "checked_in_at": parse_datetime(guest.get("checked_in_at")),
        "source": settings.GUEST_SOURCE_API,
    }
