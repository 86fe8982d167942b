"""Luma source behaviours on small hand-made calendars served by the real sample server."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dlt
import pytest

from ingestion.luma import luma_source
from ingestion.sample.serve import SampleServer, make_server

KEY = "luma-test-key-31c4"


def event(n: int, start: str, created: str, tags: list[str], city: str | None) -> dict[str, Any]:
    geo = {"city": city, "country": "Kenya", "full_address": f"1 Main St, {city}"} if city else None
    body = {
        "api_id": f"evt-{n}",
        "created_at": created,
        "name": f"Event {n}",
        "description": "",
        "series_api_id": "evs-1",
        "start_at": start,
        "end_at": start,
        "geo_address_json": geo,
        "url": f"https://lu.ma/e{n}",
        "timezone": "Etc/UTC",
        "event_type": "independent",
    }
    named = [{"api_id": f"tag-{t}", "name": t} for t in tags]
    return {"api_id": f"evt-{n}", "event": body, "tags": named}


def guest(n: int, event_id: str, registered: str, checked: str | None = None) -> dict[str, Any]:
    body = {
        "api_id": f"gst-{n}",
        "user_api_id": f"usr-{n}",
        "user_email": f"g{n}@example.org",
        "user_name": f"Guest {n}",
        "approval_status": "approved",
        "registered_at": registered,
        "checked_in_at": checked,
    }
    return {"api_id": f"gst-{n}", "guest": body, "_event_api_id": event_id}


def write_calendar(root: Path, events: list[dict], guests: list[dict]) -> Path:
    (root / "luma").mkdir(parents=True, exist_ok=True)
    creds = {
        "slack_token": "xoxb-unused",
        "discourse_api_key": "unused",
        "discourse_api_username": "system",
        "hubspot_token": "unused",
        "luma_api_key": KEY,
    }
    (root / "manifest.json").write_text(json.dumps({"credentials": creds}))
    for name, items in (("events.jsonl", events), ("guests.jsonl", guests)):
        (root / "luma" / name).write_text("".join(json.dumps(i) + "\n" for i in items))
    return root


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], SampleServer]]:
    servers: list[SampleServer] = []

    def _serve(root: Path) -> SampleServer:
        server = make_server(root).start()
        servers.append(server)
        monkeypatch.setenv("SOURCES__LUMA__BASE_URL", f"{server.base_url}/luma")
        monkeypatch.setenv("SOURCES__LUMA__API_KEY", KEY)
        return server

    yield _serve
    for server in servers:
        server.stop()


def rows(pipeline: dlt.Pipeline, sql: str) -> list[tuple]:
    with pipeline.sql_client() as client:
        return [tuple(r) for r in client.execute_sql(sql)]


def test_event_type_series_place_and_tags(tmp_path, serve, temp_pipeline):
    events = [
        event(1, "2026-03-10T18:00:00.000Z", "2026-02-20T00:00:00.000Z", ["meetup"], "Nairobi"),
        event(2, "2026-03-12T16:00:00.000Z", "2026-02-25T00:00:00.000Z",
              ["office-hours", "office-hours-program"], None),
    ]  # fmt: skip
    serve(write_calendar(tmp_path / "c", events, []))
    pipeline = temp_pipeline("luma")
    pipeline.run(luma_source())
    got = rows(
        pipeline,
        "select api_id, event_type, series, city, country, tags::varchar from events order by 1",
    )
    assert got == [
        ("evt-1", "meetup", "evs-1", "Nairobi", "Kenya", '["meetup"]'),
        ("evt-2", "office_hours", "evs-1", None, None, '["office-hours","office-hours-program"]'),
    ]


def test_a_malformed_guest_is_rejected_and_the_others_load(tmp_path, serve, temp_pipeline):
    events = [event(1, "2026-03-10T18:00:00.000Z", "2026-02-20T00:00:00.000Z", ["meetup"], None)]
    guests = [
        guest(1, "evt-1", "2026-03-01T10:00:00.000Z"),
        guest(2, "evt-1", "the first of March"),
        guest(3, "evt-1", "2026-03-02T10:00:00.000Z", "2026-03-10T18:05:00.000Z"),
    ]
    serve(write_calendar(tmp_path / "c", events, guests))
    pipeline = temp_pipeline("luma")
    pipeline.run(luma_source())
    assert rows(pipeline, "select api_id from guests order by 1") == [("gst-1",), ("gst-3",)]
    rejected = rows(pipeline, "select resource, record_key, reason from _rejects")
    assert len(rejected) == 1 and rejected[0][:2] == ("guests", "gst-2")
    assert "the first of March" in rejected[0][2]


def test_next_run_rereads_events_in_the_look_back_window_only(tmp_path, serve, temp_pipeline):
    # newest creation 2026-03-20; window = events starting after 2026-03-06 (14 days before)
    events = [
        event(1, "2026-02-01T18:00:00.000Z", "2026-01-10T00:00:00.000Z", ["meetup"], None),
        event(2, "2026-03-05T18:00:00.000Z", "2026-02-10T00:00:00.000Z", ["meetup"], None),
        event(3, "2026-03-07T18:00:00.000Z", "2026-02-15T00:00:00.000Z", ["webinar"], None),
        event(4, "2026-04-01T18:00:00.000Z", "2026-03-20T00:00:00.000Z", ["workshop"], None),
    ]
    guests = [guest(i, f"evt-{i}", "2026-01-15T00:00:00.000Z") for i in range(1, 5)]
    server = serve(write_calendar(tmp_path / "c", events, guests))
    pipeline = temp_pipeline("luma")
    pipeline.run(luma_source())
    server.injector.reset()
    # a late check-in at event 3 and a new registration for event 4
    guests[2] = guest(3, "evt-3", "2026-01-15T00:00:00.000Z", "2026-03-07T18:01:00.000Z")
    write_calendar(tmp_path / "c", events, [*guests, guest(5, "evt-4", "2026-03-21T09:00:00.000Z")])
    server.reload()
    pipeline.run(luma_source())
    routes = server.injector.stats()["routes"]["luma"]
    assert routes["/public/v1/event/get-guests"] == 2  # events 3 and 4
    assert pipeline.last_trace.last_normalize_info.row_counts["events"] == 2
    assert rows(pipeline, "select count(*) from guests") == [(5,)]
    assert rows(
        pipeline, "select checked_in_at is not null from guests where api_id = 'gst-3'"
    ) == [(True,)]
