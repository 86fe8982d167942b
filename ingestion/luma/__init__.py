"""Luma source: the calendar's events and each event's guests.

Loads into `raw_luma` (docs/CONTRACTS.md section 3):

- `events` (merge on `api_id`): `GET /public/v1/calendar/list-events`, with `event_type`
  taken from the calendar tags (meetup|webinar|workshop|office_hours), `series` the Luma
  series id, `city`/`country` from `geo_address_json`, `tags` the tag names (JSON list).
- `guests` (merge on `api_id`, `source = 'api'`): `GET /public/v1/event/get-guests` for each
  event loaded in the run. The attendee CSV importer (`csv_import.py`) writes to the same
  table with `source = 'csv:...'`.

Window: list-events filters only on start time, and guests change (registrations,
approvals, check-ins) while an event is upcoming and shortly after. So each run reads the
events starting after `newest event creation seen - lookback_days` (every upcoming event
and the recently past ones) and re-reads their guests; the first run reads everything.
The newest creation time is kept in the `events` resource's dlt state
(`events_created_until`) and advances only with a successful load. It is data time, not
wall-clock time, so a quiet calendar widens the window rather than missing changes. A
`dlt.sources.incremental` cursor does not fit: its row filter would drop re-read guests
and events whose cursor value is older than the stored one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

import dlt
from dlt.sources import DltResource

from ingestion.common.arrow import DICT_FILE_FORMAT
from ingestion.common.fanout import FanOut
from ingestion.common.http import VendorClient
from ingestion.common.rejects import reject
from ingestion.luma import helpers, settings

__all__ = ["luma_source"]


@dlt.source(name="luma", section="luma")
def luma_source(
    base_url: str = settings.DEFAULT_BASE_URL,
    api_key: str = dlt.secrets.value,
    lookback_days: int = settings.LOOKBACK_DAYS,
    guest_workers: int = settings.DEFAULT_GUEST_WORKERS,
) -> Sequence[DltResource]:
    """The Luma source.

    Args:
        base_url: API root (`SOURCES__LUMA__BASE_URL`); `/public/v1/...` is appended.
        api_key: calendar API key (`SOURCES__LUMA__API_KEY`), sent as `x-luma-api-key`.
            A rejected key raises `SourceAuthError` naming that key, never the value.
        lookback_days: how far before the newest event creation seen events (and their
            guests) are re-read on each run (`SOURCES__LUMA__LOOKBACK_DAYS`).
        guest_workers: events whose guests are read at once (`SOURCES__LUMA__GUEST_WORKERS`;
            1 = sequential). Guests are still handed over in event order.
    """
    client = helpers.make_luma_client(base_url, api_key)
    readers: FanOut[str, list[list[dict[str, Any]]]] = FanOut(
        client,
        lambda: helpers.make_luma_client(base_url, api_key),
        lambda reader, event_api_id: list(helpers.get_guests(reader, event_api_id)),
        guest_workers,
        name="luma-guests",
    )
    events = dlt.resource(
        event_rows,
        name="events",
        primary_key="api_id",
        write_disposition="merge",
        columns=settings.EVENT_COLUMNS,
        file_format=DICT_FILE_FORMAT,
    )(client, lookback_days)
    guests = dlt.transformer(
        guest_rows,
        name="guests",
        primary_key="api_id",
        write_disposition="merge",
        columns=settings.GUEST_COLUMNS,
        file_format=DICT_FILE_FORMAT,
    )(client, readers)
    return [events, events | guests]


def event_rows(client: VendorClient, lookback_days: int) -> Iterator[Any]:
    """Events in the window (all on the first run); advances the creation high-water mark."""
    state = dlt.current.resource_state()
    created_until = helpers.parse_datetime(state.get("events_created_until"))
    after = None if created_until is None else created_until - timedelta(days=lookback_days)
    newest = created_until
    for page in helpers.list_events(client, after):
        rows = []
        for entry in page:
            try:
                row = helpers.event_row(entry)
                created = helpers.event_created_at(entry)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                yield reject(
                    settings.SOURCE_NAME,
                    "events",
                    entry,
                    f"malformed event: {type(exc).__name__}: {exc}",
                    record_key=entry.get("api_id") if isinstance(entry, dict) else None,
                )
                continue
            if created is not None and (newest is None or created > newest):
                newest = created
            rows.append(row)
        if rows:
            yield rows
    if newest is not None:
        state["events_created_until"] = helpers.iso(newest)


def guest_rows(
    events: Any, client: VendorClient, readers: FanOut[str, list[list[dict[str, Any]]]]
) -> Iterator[Any]:
    """Every guest of each event passed in (an `events` page); the events' guest lists are
    read up to `readers`' worker count at once and handed over in event order."""
    event_ids = [
        event["api_id"]
        for event in (events if isinstance(events, list) else [events])
        if isinstance(event, dict) and "start_at" in event  # else a `_rejects` row
    ]
    try:
        for event_api_id, pages in zip(event_ids, readers.map(event_ids), strict=True):
            for page in pages:
                rows = []
                for entry in page:
                    try:
                        rows.append(helpers.guest_row(entry, event_api_id))
                    except (KeyError, TypeError, ValueError, AttributeError) as exc:
                        yield reject(
                            settings.SOURCE_NAME,
                            "guests",
                            entry,
                            f"malformed guest: {type(exc).__name__}: {exc}",
                            record_key=entry.get("api_id") if isinstance(entry, dict) else None,
                        )
                if rows:
                    yield rows
    finally:
        readers.close()
