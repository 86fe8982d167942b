"""How far each table has been validated: the newest value of its suite's `incremental_on`
column (e.g. dlt's `_dlt_load_id`) at the last validation that passed, kept beside the Data
Docs in `<docs_dir>/watermarks.json`.

Row-wise rules of a suite declaring `incremental_on` then only see rows newer than the mark.
The mark is written after a validation that passed, never before, and never after one that
failed or crashed: the rows it did not vouch for are read again by the next run.

When a mark is trusted (`validate._delta`):
- dlt's `_dlt_load_id` (raw tables): only while the marked load still occurs in the table and
  the table did not shrink since; otherwise (a full refresh, a truncate, a restore) the table
  is validated whole. dlt tables are also written outside the daily load (the Slack export
  and attendee CSV importers, hand repairs), so the stricter rule stays where it is cheap:
  a day's load leaves the older loads' rows in place, so the marked load is normally there.
- dbt's `_loaded_at` (marts; see `DBT_LOADED_AT`): while the table's newest value is at
  least the mark (max-based). Every dbt run stamps each row it writes with its
  `run_started_at`, so a row at or under the mark was written by a run no later than the one
  the passing validation saw last, and it is unchanged since: any rewrite would carry a newer
  stamp. Rows the mark vouched for can vanish (an incremental run's delete+insert re-keys
  member-days, a full refresh rewrites every row with a newer stamp, which then all count as
  new) without any unvalidated row hiding under the mark, so neither "the table shrank" nor
  "the marked run's rows are gone" needs a whole read. Those two rules would in fact fire
  almost daily here: an incremental run routinely rewrites every row the previous run wrote
  (the recent days it recomputes). Only a table whose newest stamp is now older than the mark
  (a restore of an older copy, a clock set back) is validated whole. The rule assumes dbt
  runs writing one table do not overlap (a run that started earlier but wrote later would
  hide its rows under the mark); the daily job runs dbt once at a time.
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
# dbt marts stamp every row a run writes with the run's `run_started_at` (a timestamp); an
# incremental run leaves the rows it does not rewrite with their older stamp.
DBT_LOADED_AT = "_loaded_at"


def mark_must_still_occur(column: str) -> bool:
    """Whether a mark on `column` is trusted only while its value still occurs in the table
    and the table did not shrink (dlt load ids), rather than while the table's newest value
    is at least the mark (dbt run stamps). See the module docstring for why."""
    return column == DLT_LOAD_ID
