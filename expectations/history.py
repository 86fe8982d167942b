"""Row counts from the previous validation of each table, kept beside the Data Docs.

The volume rule ("no big drop since the previous run") needs yesterday's count; it is stored
in `<docs_dir>/row_counts.json`, one number per table, rewritten after each validation.
"""

from __future__ import annotations

import json
from pathlib import Path

FILE_NAME = "row_counts.json"


def previous_row_count(docs_dir: Path, table: str) -> int | None:
    counts = read_store(Path(docs_dir) / FILE_NAME)
    value = counts.get(table)
    return int(value) if isinstance(value, int) else None


def record_row_count(docs_dir: Path, table: str, row_count: int) -> None:
    path = Path(docs_dir) / FILE_NAME
    counts = read_store(path)
    counts[table] = int(row_count)
    write_store(path, counts)


def write_store(path: Path, data: dict) -> None:
    """Replace the JSON file `path` with `data` atomically (a reader sees old or new, whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    tmp.replace(path)


def read_store(path: Path) -> dict:
    """The JSON object in `path`; empty when the file is missing, unreadable or not an object."""
    try:
        data = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}
