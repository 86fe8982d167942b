"""Luma source against the generated sample: counts, reruns, look-back window, daily deltas,
faults and a rejected key. Expected values come from expected_counts.json, the served
events/guests files and deltas/<date>.json."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import dlt
import pytest

from ingestion.common.errors import SourceAuthError
from ingestion.luma import luma_source
from ingestion.sample.advance import advance
from ingestion.sample.serve import Faults, SampleServer, make_server

GUESTS_SQL = (
    "select api_id, event_api_id, user_api_id, user_email, approval_status, "
    "strftime(registered_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%S.%g') || 'Z', "
    "strftime(checked_in_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%S.%g') || 'Z' "
    "from guests"
)


def rows(pipeline: dlt.Pipeline, sql: str) -> list[tuple]:
    with pipeline.sql_client() as client:
        return [tuple(r) for r in client.execute_sql(sql)]


def counts(pipeline: dlt.Pipeline) -> dict[str, int]:
    return {t: rows(pipeline, f"select count(*) from {t}")[0][0] for t in ("events", "guests")}


def expected(root: Path) -> dict[str, int]:
    return json.loads((root / "expected_counts.json").read_text())["luma"]


def jsonl(path: Path) -> list[dict]:
    with path.open() as fh:
        return [json.loads(line) for line in fh]


def served_guests(root: Path) -> set[tuple]:
    out = set()
    for entry in jsonl(root / "luma" / "guests.jsonl"):
        g = entry["guest"]
        out.add(
            (
                g["api_id"],
                entry["_event_api_id"],
                g["user_api_id"],
                g["user_email"],
                g["approval_status"],
                g["registered_at"],
                g["checked_in_at"],
            )
        )
    return out


@pytest.fixture
def own_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., SampleServer]]:
    servers: list[SampleServer] = []

    def _start(root: Path, faults: Faults | None = None) -> SampleServer:
        server = make_server(root, faults=faults).start()
        servers.append(server)
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        return server

    yield _start
    for server in servers:
        server.stop()


def test_counts_equal_expected_counts(sample_dir, source_env, temp_pipeline):
    pipeline = temp_pipeline("luma")
    pipeline.run(luma_source())
    assert counts(pipeline) == expected(sample_dir)
    assert set(rows(pipeline, GUESTS_SQL)) == served_guests(sample_dir)
    assert rows(pipeline, "select distinct source from guests") == [("api",)]


def test_events_carry_type_series_and_place(sample_dir, source_env, temp_pipeline):
    pipeline = temp_pipeline("luma")
    pipeline.run(luma_source().with_resources("events"))
    loaded = {
        r[0]: r[1:]
        for r in rows(pipeline, "select api_id, event_type, series, city, country from events")
    }
    for entry in jsonl(sample_dir / "luma" / "events.jsonl"):
        event, geo = entry["event"], entry["event"]["geo_address_json"] or {}
        event_type, series, city, country = loaded[entry["api_id"]]
        tag_names = {t["name"] for t in entry["tags"]}
        assert event_type in ("meetup", "webinar", "workshop", "office_hours")
        assert event_type.replace("_", "-") in tag_names
        assert series == event["series_api_id"]
        assert (city, country) == (geo.get("city"), geo.get("country"))
    types = {r[0] for r in rows(pipeline, "select distinct event_type from events")}
    assert types == {"meetup", "webinar", "workshop", "office_hours"}


def test_second_run_changes_nothing_and_rereads_only_the_window(
    sample_dir, own_server, temp_pipeline
):
    server = own_server(sample_dir)
    pipeline = temp_pipeline("luma")
    pipeline.run(luma_source())
    before = (counts(pipeline), set(rows(pipeline, GUESTS_SQL)))
    server.injector.reset()
    pipeline.run(luma_source())
    assert (counts(pipeline), set(rows(pipeline, GUESTS_SQL))) == before
    # guests are re-read only for events starting after newest creation - 14 days
    events = [e["event"] for e in jsonl(sample_dir / "luma" / "events.jsonl")]

    def instant(text: str) -> datetime:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    horizon = max(instant(e["created_at"]) for e in events) - timedelta(days=14)
    in_window = sum(1 for e in events if instant(e["start_at"]) > horizon)
    assert 0 < in_window < len(events)
    calls = server.injector.stats()["routes"]["luma"]["/public/v1/event/get-guests"]
    assert calls == in_window


def test_advance_adds_new_guests_and_updates_changed_ones(copy_sample, own_server, temp_pipeline):
    root = copy_sample()
    server = own_server(root)
    pipeline = temp_pipeline("luma")
    pipeline.run(luma_source())
    new_total = 0
    for _ in range(3):
        known = {r[0] for r in rows(pipeline, "select api_id from guests")}
        delta = advance(root)["collections"]["luma"]
        server.reload()
        pipeline.run(luma_source())
        assert counts(pipeline) == expected(root)
        added = {r[0] for r in rows(pipeline, "select api_id from guests")} - known
        assert len(added) == delta["guests"]["new"]
        new_total += delta["guests"]["new"]
        assert set(rows(pipeline, GUESTS_SQL)) == served_guests(root)
    assert new_total > 0, "precondition: guests registered over three days"


def test_rate_limits_and_server_errors_still_give_exact_counts(
    sample_dir, own_server, temp_pipeline, fast_retries
):
    faults = Faults(rate_limit_every=9, retry_after=0, server_error_every=7, truncate_every=11)
    server = own_server(sample_dir, faults)
    pipeline = temp_pipeline("luma")
    pipeline.run(luma_source())
    assert counts(pipeline) == expected(sample_dir)
    injected = server.injector.stats()["injected"]
    assert min(injected.values()) > 0


def test_rejected_key_names_the_config_key_and_never_the_key(
    sample_dir, source_env, temp_pipeline, monkeypatch, caplog
):
    wrong = "luma-WRONG-key-7a21e"
    monkeypatch.setenv("SOURCES__LUMA__API_KEY", wrong)
    pipeline = temp_pipeline("luma")
    caplog.set_level(logging.DEBUG)
    dlt_log, dlt_lines = logging.getLogger("dlt"), io.StringIO()  # dlt's logger: no propagation
    handler, level = logging.StreamHandler(dlt_lines), dlt_log.level
    dlt_log.addHandler(handler)
    dlt_log.setLevel(logging.DEBUG)
    try:
        with pytest.raises(Exception) as info:
            pipeline.run(luma_source())
    finally:
        dlt_log.removeHandler(handler)
        dlt_log.setLevel(level)
    assert dlt_lines.getvalue(), "dlt logged nothing: the log check below would be vacuous"
    assert wrong not in dlt_lines.getvalue()
    chain, exc = [], info.value
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    auth = [e for e in chain if isinstance(e, SourceAuthError)]
    assert auth, f"no SourceAuthError in {chain!r}"
    assert "luma" in str(auth[0]) and "SOURCES__LUMA__API_KEY" in str(auth[0])
    for e in chain:
        assert wrong not in str(e) and wrong not in repr(e)
    assert wrong not in caplog.text
