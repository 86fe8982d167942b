"""The benchmark's ingestion floor reads the recorded pages: every item of every list in
every page, from the one file the sample server's recorder appends to."""

import json

import duckdb

from orchestration.bench import _floor


def test_floor_reads_every_list_item_of_every_recorded_page(tmp_path):
    pages = [
        {"ok": True, "messages": [{"ts": "1"}, {"ts": "2"}], "has_more": False},
        {"topic_list": {"topics": [{"id": 1}, {"id": 2}, {"id": 3}]}, "users": [{"id": 9}]},
        {"results": [{"id": "h1"}], "paging": {"next": {"after": "x"}}},
        {"ok": True, "channel": {"id": "C1", "name": "a\nb"}},  # no list: no items
    ]
    recording = tmp_path / "pages.json"
    # compact pages a line each, as most vendors answer, and a pretty-printed one (HubSpot)
    compact = [json.dumps(p, separators=(",", ":")) for p in pages]
    compact[2] = json.dumps(pages[2], indent=2)
    recording.write_text("".join(page + "\n" for page in compact))
    warehouse = tmp_path / "floor.duckdb"

    _floor(recording, warehouse)

    with duckdb.connect(str(warehouse), read_only=True) as con:
        items = [json.loads(i) for (i,) in con.execute("select item from floor_items").fetchall()]
    # counted by hand from the pages above: 2 messages, 3 topics, 1 user, 1 HubSpot result
    assert sorted(json.dumps(i, sort_keys=True) for i in items) == sorted(
        json.dumps(i, sort_keys=True)
        for i in [
            {"ts": "1"},
            {"ts": "2"},
            {"id": 1},
            {"id": 2},
            {"id": 3},
            {"id": 9},
            {"id": "h1"},
        ]
    )
