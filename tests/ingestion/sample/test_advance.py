"""advance(): one more day, history unchanged, and a delta that matches our own diff."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from ingestion.sample.advance import advance
from ingestion.sample.generate import build, generate

PEOPLE, SEED, TODAY, DAYS = 200, 5, date(2026, 3, 10), 120
NEW_DAY_START = 1773187200  # 2026-03-11T00:00:00Z, worked out by hand

KEYS = {  # file -> key of a record, written here independently of advance.py
    ("slack", "users"): ("slack/users.jsonl", lambda o: o["id"]),
    ("slack", "channels"): ("slack/channels.jsonl", lambda o: o["id"]),
    ("slack", "messages"): ("slack/messages.jsonl", lambda o: o["_channel"] + "/" + o["ts"]),
    ("discourse", "users"): ("discourse/users.jsonl", lambda o: o["id"]),
    ("discourse", "categories"): ("discourse/categories.jsonl", lambda o: o["id"]),
    ("discourse", "topics"): ("discourse/topics.jsonl", lambda o: o["id"]),
    ("discourse", "posts"): ("discourse/posts.jsonl", lambda o: o["id"]),
    ("hubspot", "contacts"): ("hubspot/contacts.jsonl", lambda o: o["id"]),
    ("hubspot", "companies"): ("hubspot/companies.jsonl", lambda o: o["id"]),
    ("hubspot", "deals"): ("hubspot/deals.jsonl", lambda o: o["id"]),
    ("hubspot", "associations"): (
        "hubspot/associations.jsonl",
        lambda o: f"{o['from_id']}>{o['to_id']}",
    ),
    ("luma", "events"): ("luma/events.jsonl", lambda o: o["api_id"]),
    ("luma", "guests"): ("luma/guests.jsonl", lambda o: o["api_id"]),
}


def _records(path: Path, key) -> dict:
    with open(path, encoding="utf-8") as f:
        return {key(o): o for o in map(json.loads, f)}


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """(old copy, advanced dir, delta)."""
    old = tmp_path_factory.mktemp("old")
    generate(old, people=PEOPLE, seed=SEED, today=TODAY, days=DAYS)
    new = tmp_path_factory.mktemp("new") / "sample"
    shutil.copytree(old, new)
    delta = advance(new)
    return old, new, delta


def test_advance_moves_today_one_day(days) -> None:
    old, new, delta = days
    manifest = json.loads((new / "manifest.json").read_text())
    assert manifest["today"] == "2026-03-11" and manifest["days"] == DAYS + 1
    assert manifest["start"] == json.loads((old / "manifest.json").read_text())["start"]
    assert delta["date"] == "2026-03-11"
    assert json.loads((new / "deltas/2026-03-11.json").read_text()) == delta


def test_advanced_dir_equals_a_fresh_sample_for_the_next_day(days, tmp_path: Path) -> None:
    """Same seed, people, start and growth curve (fixed by the first generate), one day later."""
    _old, new, _delta = days
    build(
        tmp_path,
        people=PEOPLE,
        seed=SEED,
        start=date(2025, 11, 10),
        origin_days=DAYS,
        today_d=DAYS + 1,
    )
    fresh = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()}
    assert fresh
    for rel in fresh:
        assert (new / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel


def test_delta_counts_match_our_own_diff(days) -> None:
    old, new, delta = days
    for (platform, name), (rel, key) in KEYS.items():
        a, b = _records(old / rel, key), _records(new / rel, key)
        mine = {
            "new": len(b.keys() - a.keys()),
            "deleted": len(a.keys() - b.keys()),
            "updated": sum(1 for k in a.keys() & b.keys() if a[k] != b[k]),
        }
        assert delta["collections"][platform][name] == mine, (platform, name)
    total_new = sum(c["new"] for p in delta["collections"].values() for c in p.values())
    assert total_new > 0


def test_slack_history_is_kept_and_only_thread_state_changes(days) -> None:
    old, new, _ = days
    key = KEYS[("slack", "messages")][1]
    a = _records(old / "slack/messages.jsonl", key)
    b = _records(new / "slack/messages.jsonl", key)
    for k in b.keys() - a.keys():
        assert int(b[k]["ts"].split(".")[0]) >= NEW_DAY_START
    mutable = {
        "reply_count",
        "reply_users_count",
        "latest_reply",
        "reply_users",
        "thread_ts",
        "is_locked",
        "subscribed",
        "edited",
        "reactions",
    }
    for k in a.keys() & b.keys():
        if a[k] != b[k]:
            changed = {f for f in a[k].keys() | b[k].keys() if a[k].get(f) != b[k].get(f)}
            assert changed <= mutable, changed
    for k in a.keys() - b.keys():  # deleted on the new day: recent, not a thread parent
        assert int(a[k]["ts"].split(".")[0]) >= NEW_DAY_START - 3 * 86400
        assert "reply_count" not in a[k] or a[k].get("thread_ts") != a[k]["ts"]


def test_ids_only_grow(days) -> None:
    old, new, _ = days
    for rel in ("discourse/posts.jsonl", "discourse/topics.jsonl", "hubspot/deals.jsonl"):
        a = _records(old / rel, lambda o: int(o["id"]))
        b = _records(new / rel, lambda o: int(o["id"]))
        assert a.keys() <= b.keys()
        assert all(k > max(a) for k in b.keys() - a.keys())
    contacts_a = _records(old / "hubspot/contacts.jsonl", lambda o: o["id"])
    contacts_b = _records(new / "hubspot/contacts.jsonl", lambda o: o["id"])
    merged_now = {
        i
        for c in contacts_b.values()
        for i in (c["properties"]["hs_merged_object_ids"] or "").split(";")
        if i
    }
    assert contacts_a.keys() - contacts_b.keys() <= merged_now
