"""How far each table has been validated: the newest value of its suite's `incremental_on`
column (e.g. dlt's `_dlt_load_id`) at the last validation that passed, kept beside the Data
Docs in `<docs_dir>/watermarks.json`.

Row-wise rules of a suite declaring `incremental_on` then only see rows newer than the mark.
The mark is written after a validation that passed, never before, and never after one that
failed or crashed: the rows it did not vouch for are read again by the next run.
`validate.validate_table` ignores a mark whose value no longer occurs in the table or whose
table shrank since (a full refresh, a truncate, a restore) and validates the table whole.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from expectations.history import read_store, write_store

FILE_NAME = "watermarks.json"
# Suite `meta` key: the column whose value grows with every load that writes a row (a merge
# writes replaced rows again), e.g. dlt's `_dlt_load_id`.
INCREMENTAL_ON = "incremental_on"


@dataclass(frozen=True)
class Watermark:
    """The newest `column` value a passing validation saw, and the table's rows then."""

    column: str
    value: str
    row_count: int


def load_watermark(docs_dir: Path, table: str) -> Watermark | None:
    entry = read_store(Path(docs_dir) / FILE_NAME).get(table)
    if not isinstance(entry, dict):
        return None
    try:
        return Watermark(str(entry["column"]), str(entry["value"]), int(entry["row_count"]))
    except (KeyError, TypeError, ValueError):
        return None


def record_watermark(docs_dir: Path, table: str, mark: Watermark | None) -> None:
    """Store `mark` for `table` (None forgets it), atomically."""
    path = Path(docs_dir) / FILE_NAME
    marks = read_store(path)
    if mark is None:
        if table not in marks:
            return
        marks.pop(table)
    else:
        marks[table] = asdict(mark)
    write_store(path, marks)


# dlt stamps every row it writes (a merge rewrites replaced rows) with the load's id, a
# timestamp as text, so a later load's id compares greater.
DLT_LOAD_ID = "_dlt_load_id"
