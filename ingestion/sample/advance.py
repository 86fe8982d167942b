"""Move a sample directory one day forward and record what changed.

    advance(dir) -> delta

Regenerates the sample for today + 1 (same seed, people, start and growth curve) beside the
old files, diffs every collection by its key, writes `DIR/deltas/<new today>.json` and moves the
new files in. Because each day comes from its own RNG stream, the only differences are what
happened on the new day: new records, records updated by it (thread replies, edits, likes, CRM
changes, guest check-ins) and records deleted by it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from .generate import build
from .util import write_json

Key = Callable[[dict], object]

COLLECTIONS: dict[str, dict[str, tuple[str, Key]]] = {
    "slack": {
        "users": ("slack/users.jsonl", lambda o: o["id"]),
        "channels": ("slack/channels.jsonl", lambda o: o["id"]),
        "messages": ("slack/messages.jsonl", lambda o: (o["_channel"], o["ts"])),
    },
    "discourse": {
        "users": ("discourse/users.jsonl", lambda o: o["id"]),
        "categories": ("discourse/categories.jsonl", lambda o: o["id"]),
        "topics": ("discourse/topics.jsonl", lambda o: o["id"]),
        "posts": ("discourse/posts.jsonl", lambda o: o["id"]),
    },
    "hubspot": {
        "contacts": ("hubspot/contacts.jsonl", lambda o: o["id"]),
        "companies": ("hubspot/companies.jsonl", lambda o: o["id"]),
        "deals": ("hubspot/deals.jsonl", lambda o: o["id"]),
        "associations": (
            "hubspot/associations.jsonl",
            lambda o: (o["from_type"], o["from_id"], o["to_type"], o["to_id"]),
        ),
    },
    "luma": {
        "events": ("luma/events.jsonl", lambda o: o["api_id"]),
        "guests": ("luma/guests.jsonl", lambda o: o["api_id"]),
    },
}


def _digests(path: Path, key: Key) -> dict[object, bytes]:
    out: dict[object, bytes] = {}
    if not path.exists():
        return out
    with open(path, "rb") as f:
        for line in f:
            out[key(json.loads(line))] = hashlib.blake2b(line, digest_size=12).digest()
    return out


def diff_file(old: Path, new: Path, key: Key) -> dict[str, int]:
    """Counts of keys only in `new`, in both with a different line, only in `old`."""
    a = _digests(old, key)
    b = _digests(new, key)
    new_n = sum(1 for k in b if k not in a)
    updated = sum(1 for k, h in b.items() if k in a and a[k] != h)
    deleted = sum(1 for k in a if k not in b)
    return {"new": new_n, "updated": updated, "deleted": deleted}


def advance(dir: Path) -> dict:  # noqa: A002 - the contract's parameter name
    """Move `dir` one day forward; return (and write to deltas/<date>.json) the delta."""
    dir = Path(dir)
    manifest = json.loads((dir / "manifest.json").read_text(encoding="utf-8"))
    start = date.fromisoformat(manifest["start"])
    days = int(manifest["days"])
    tmp = dir / ".advance-tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    new_manifest = build(
        tmp,
        people=int(manifest["people"]),
        seed=int(manifest["seed"]),
        start=start,
        origin_days=int(manifest.get("origin_days", days)),
        today_d=days + 1,
    )
    collections: dict[str, dict[str, dict[str, int]]] = {}
    for platform, items in COLLECTIONS.items():
        collections[platform] = {
            name: diff_file(dir / rel, tmp / rel, key) for name, (rel, key) in items.items()
        }
    new_today = start + timedelta(days=days + 1)
    delta = {
        "date": new_today.isoformat(),
        "previous_today": manifest["today"],
        "collections": collections,
    }
    for src in sorted(p for p in tmp.rglob("*") if p.is_file()):
        dest = dir / src.relative_to(tmp)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dest)
    shutil.rmtree(tmp)
    write_json(dir / "deltas" / f"{new_today.isoformat()}.json", delta)
    assert new_manifest["today"] == new_today.isoformat()
    return delta
