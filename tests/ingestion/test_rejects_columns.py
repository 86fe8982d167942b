"""`_rejects` holds exactly the contract's columns, whatever the rejecting resource declares.

dlt starts a table variant (`_rejects` is one) from a copy of the resource's own hints, so a
resource declared with `columns={...}` used to give `_rejects` all of those columns (null).
Each case adds malformed records, at least one per resource that declares columns, to a copy
of the shared sample, serves it with the local sample server and loads those resources.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ingestion.discourse import discourse_source
from ingestion.hubspot import hubspot_source
from ingestion.luma import luma_source
from ingestion.sample.serve import make_server
from ingestion.slack import slack_source

# docs/CONTRACTS.md section 3, plus the two columns dlt adds to every dict-path table
CONTRACT_COLUMNS = {"source", "resource", "record_key", "reason", "raw_record", "rejected_at"}
DLT_COLUMNS = {"_dlt_load_id", "_dlt_id"}

Record = Callable[[Path], dict[str, Any]]


def _first(sample: Path, path: str) -> dict[str, Any]:
    with (sample / path).open() as fh:
        return json.loads(fh.readline())


def _bad_deal(sample: Path) -> dict[str, Any]:
    deal = _first(sample, "hubspot/deals.jsonl")
    deal["id"] = deal["properties"]["hs_object_id"] = "9999999"
    deal["properties"]["amount"] = "n/a"  # not a number
    return deal


def _bad_event(sample: Path) -> dict[str, Any]:
    entry = _first(sample, "luma/events.jsonl")
    entry["api_id"] = entry["event"]["api_id"] = "evt-bad"
    entry["event"]["end_at"] = "after the talks"  # not a time
    return entry


def _bad_guest(sample: Path) -> dict[str, Any]:
    entry = _first(sample, "luma/guests.jsonl")
    entry["api_id"] = entry["guest"]["api_id"] = "gst-bad"
    entry["guest"]["registered_at"] = "the first of March"  # not a time
    return entry


@dataclass(frozen=True)
class Bad:
    """One malformed record: where it goes, and the `_rejects` row it must give."""

    file: str  # sample file it is appended to
    record: Record
    resource: str
    record_key: str | None
    marker: str  # a value of the record, found again in `_rejects.raw_record`


CASES: dict[str, tuple[Callable[[], Any], list[Bad]]] = {
    "slack": (slack_source, [
        Bad("slack/users.jsonl", lambda _: {"id": "", "name": "ghost-user", "team_id": "T1"},
            "users", None, "ghost-user"),
        # a second reject of the same resource takes the other path of `mark_variant`
        Bad("slack/users.jsonl", lambda _: {"id": "", "name": "ghost-bot", "is_bot": True},
            "users", None, "ghost-bot"),
        Bad("slack/channels.jsonl",
            lambda _: {"id": "", "name": "ghost-channel", "is_archived": False},
            "channels", None, "ghost-channel"),
    ]),
    "discourse": (discourse_source, [
        Bad("discourse/users.jsonl", lambda _: {"id": "x", "username": "ghost-user"},
            "users", None, "ghost-user"),
        Bad("discourse/categories.jsonl", lambda _: {"id": "c", "slug": "ghost-category"},
            "categories", None, "ghost-category"),
    ]),
    "hubspot": (hubspot_source, [
        Bad("hubspot/deals.jsonl", _bad_deal, "deals", "9999999", "n/a"),
    ]),
    "luma": (luma_source, [
        Bad("luma/events.jsonl", _bad_event, "events", "evt-bad", "after the talks"),
        Bad("luma/guests.jsonl", _bad_guest, "guests", "gst-bad", "the first of March"),
    ]),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
def test_rejects_has_exactly_the_contract_columns(name, copy_sample, temp_pipeline, sql):
    make_source, bad = CASES[name]
    sample = copy_sample()
    for record in bad:
        with (sample / record.file).open("a") as fh:
            fh.write(json.dumps(record.record(sample)) + "\n")
    server = make_server(sample).start()
    try:
        os.environ.update(server.env())
        pipeline = temp_pipeline(name)
        pipeline.run(make_source().with_resources(*{b.resource for b in bad}))
    finally:
        server.stop()

    rows = sql(pipeline, "select resource, record_key, raw_record from _rejects order by 1")
    expected = sorted((b.resource, b.record_key) for b in bad)
    assert [(resource, key) for resource, key, _ in rows] == expected
    for b in bad:
        assert any(b.marker in raw for resource, _, raw in rows if resource == b.resource)
    columns = {
        c
        for (c,) in sql(
            pipeline,
            "select column_name from information_schema.columns "
            f"where table_schema = 'raw_{name}' and table_name = '_rejects'",
        )
    }
    assert columns == CONTRACT_COLUMNS | DLT_COLUMNS
    assert set(pipeline.default_schema.tables["_rejects"]["columns"]) == columns
