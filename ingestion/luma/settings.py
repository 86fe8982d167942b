"""Luma constants: base URL, endpoints, page size, look-back window, column types."""

from __future__ import annotations

from typing import Any

SOURCE_NAME = "luma"
DEFAULT_BASE_URL = "https://public-api.lu.ma"
API_KEY_CONFIG_KEY = "SOURCES__LUMA__API_KEY"
API_KEY_HEADER = "x-luma-api-key"

LIST_EVENTS_ENDPOINT = "/public/v1/calendar/list-events"
GET_GUESTS_ENDPOINT = "/public/v1/event/get-guests"
PAGE_LIMIT = 100  # pagination_limit

# Guests change (registrations, approvals, check-ins) while an event is upcoming and shortly
# after it. Each run re-reads events starting after (newest event creation seen - look-back),
# which includes every upcoming event, and the guests of those events.
LOOKBACK_DAYS = 14

# Event types come from the calendar's tags (Luma's own `event_type` is "independent" etc.).
EVENT_TYPES = ("meetup", "webinar", "workshop", "office_hours")

GUEST_SOURCE_API = "api"


# No `nullable: False` hints: primary keys are not-null anyway.


def _ts() -> dict[str, Any]:
    return {"data_type": "timestamp", "timezone": True, "nullable": True}


def _text() -> dict[str, Any]:
    return {"data_type": "text", "nullable": True}


EVENT_COLUMNS: dict[str, dict[str, Any]] = {
    "api_id": _text(),
    "name": _text(),
    "description": _text(),
    "start_at": _ts(),
    "end_at": _ts(),
    "timezone": _text(),
    "url": _text(),
    "event_type": _text(),
    "series": _text(),
    "city": _text(),
    "country": _text(),
    "geo_address_json": {"data_type": "json", "nullable": True},
    "tags": {"data_type": "json", "nullable": True},
}

GUEST_COLUMNS: dict[str, dict[str, Any]] = {
    "api_id": _text(),
    "event_api_id": _text(),
    "user_api_id": _text(),
    "user_email": _text(),
    "user_name": _text(),
    "approval_status": _text(),
    "registered_at": _ts(),
    "checked_in_at": _ts(),
    "source": _text(),
}

DEFAULT_GUEST_WORKERS = 4
"""Events whose guest lists are read at once (`SOURCES__LUMA__GUEST_WORKERS`): one get-guests
walk per event. Guests are still handed over in event order; 1 = sequential."""
