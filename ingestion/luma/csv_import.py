"""Attendee CSV importer: Luma, Eventbrite and Zoom exports into `raw_luma.guests`.

    from ingestion.luma.csv_import import import_attendee_csvs
    import_attendee_csvs([Path("attendees_eventbrite.csv")], warehouse=Path("w.duckdb"))

Layouts are recognised by their header row (names as the vendors export them):

- Luma guest CSV (`source = 'csv:luma'`): `api_id` (or `guest_id`), `name`, `first_name`,
  `last_name`, `email`, `created_at`, `approval_status`, `checked_in_at`, ...
- Eventbrite attendee report (`'csv:eventbrite'`): `Order #`, `Order Date`, `First Name`,
  `Last Name`, `Email`, `Attendee #`, `Attendee Status` (`Attending`, `Checked In`,
  `Not Attending`, ...), optionally `Event Name`, `Event ID`, `Check-In Date`.
- Zoom participants report (`'csv:zoom'`): `Name (Original Name)`, `User Email`,
  `Join Time`, `Leave Time`, `Duration (Minutes)`, `Guest`, ...; the webinar attendee
  report (a preamble, then `Attended`, `User Name (Original Name)`, `First Name`,
  `Last Name`, `Email`, `Registration Time`, `Approval Status`, `Join Time`, ...) also works.
  Zoom writes one row per join: rows of one person are collapsed (first join = check-in).
  A participant who joined without signing in has no email: the row still loads (email
  null), keyed by the display name.

Row mapping (documented contract for `raw_luma.guests` rows from CSV):

- `event_api_id`: the event the file belongs to: the `event_api_id` argument if given, else
  the event in the file (Luma: the `evt-...` id in `qr_code_url`; Eventbrite `Event ID`;
  Zoom `Webinar ID`/`Meeting ID`, in a column or in the report preamble), else the file
  name without extension; non-Luma ids are prefixed with the tool (`eventbrite:123`,
  `zoom:8123`, `file:attendees_zoom`).
- `api_id`: stable and derived, `csv-` + the first 24 hex digits of
  sha1(`<source>|<event_api_id>|<trimmed lower-cased email>`) (Zoom without email:
  `name:<lower-cased name>` instead of the email): re-importing the same export updates rows
  instead of adding them, and one person appears once per event and tool. A Luma export's
  own `api_id` (the guest id) is not reused, so the CSV row never overwrites the API row of
  the same guest; both stay, told apart by `source` (staging prefers `'api'`).
- `user_api_id`: null. None of the exports carries a Luma user id (Luma's `api_id` column
  is the guest id; Eventbrite's `Attendee #` is a ticket). Identity comes from the email.
- `user_email` exactly as exported (not trimmed or lower-cased: staging normalizes),
  `user_name` (`name`, or first + last), `approval_status` in
  Luma's vocabulary (`approved`, `declined`, `pending_approval`, `waitlist`),
  `registered_at`, `checked_in_at` (UTC; timestamps without a zone are read as UTC).

A row without a valid email (Luma, Eventbrite), with a timestamp or status that cannot be
read, or with the wrong number of fields goes to `raw_luma._rejects` with the reason; the
file's other rows still load.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dlt
from dlt.common.pipeline import LoadInfo
from dlt.sources import DltResource

from ingestion.common.rejects import reject
from ingestion.luma import settings

__all__ = [
    "AttendeeFile",
    "attendee_csv_source",
    "import_attendee_csvs",
    "read_attendee_csv",
]

RESOURCE = "guests"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Layout:
    """One vendor's export: how to recognise it and where each field lives."""

    kind: str  # luma | eventbrite | zoom
    required: tuple[str, ...]  # headers (lower-cased) that identify the layout
    email: tuple[str, ...]
    name: tuple[str, ...]
    first_name: tuple[str, ...]
    last_name: tuple[str, ...]
    registered_at: tuple[str, ...]
    checked_in_at: tuple[str, ...]
    status: tuple[str, ...]
    event: tuple[str, ...]
    email_required: bool = True

    @property
    def source(self) -> str:
        return f"csv:{self.kind}"


LAYOUTS = (
    Layout(
        kind="luma",
        required=("email", "approval_status"),
        email=("email",),
        name=("name",),
        first_name=("first_name",),
        last_name=("last_name",),
        registered_at=("created_at", "registered_at"),
        checked_in_at=("checked_in_at",),
        status=("approval_status",),
        event=("event_api_id", "event_id"),
    ),
    Layout(
        kind="eventbrite",
        required=("email", "attendee status"),
        email=("email",),
        name=("name",),
        first_name=("first name",),
        last_name=("last name",),
        registered_at=("order date", "date"),
        checked_in_at=("check-in date", "checked in date", "check in date", "checked in at"),
        status=("attendee status",),
        event=("event id",),
    ),
    Layout(
        kind="zoom",
        required=("join time",),
        email=("email", "user email"),
        name=("user name (original name)", "name (original name)", "user name", "name"),
        first_name=("first name",),
        last_name=("last name",),
        registered_at=("registration time",),
        checked_in_at=("join time",),
        status=("approval status",),
        event=("webinar id", "meeting id"),
        email_required=False,
    ),
)

_STATUS = {
    # Luma's own vocabulary
    "approved": "approved",
    "declined": "declined",
    "pending_approval": "pending_approval",
    "waitlist": "waitlist",
    "invited": "invited",
    "session": "session",
    # Eventbrite `Attendee Status`
    "attending": "approved",
    "checked in": "approved",
    "checked-in": "approved",
    "not attending": "declined",
    "not checked in": "approved",
    "refunded": "declined",
    "cancelled": "declined",
    "canceled": "declined",
    "deleted": "declined",
    "transferred": "declined",
    # Zoom `Approval Status`
    "pending": "pending_approval",
    "denied": "declined",
    "rejected": "declined",
}

_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M%z",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%m/%d/%y %H:%M",  # Eventbrite: 09/08/26 06:15 (two-digit years before four-digit ones)
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %I:%M %p",
    "%b %d, %Y %I:%M:%S %p",  # Zoom: Mar 05, 2024 02:23:11 PM
    "%b %d, %Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",  # Zoom: 03/05/2024 02:23:11 PM
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%B %d, %Y %I:%M %p",
)


@dataclass(frozen=True)
class AttendeeFile:
    """One export file, optionally tied to a known event (e.g. its Luma event api_id)."""

    path: Path
    event_api_id: str | None = None


def parse_timestamp(value: str | None) -> datetime | None:
    """A CSV timestamp as UTC (zone-less values are taken as UTC). Raises ValueError."""
    text = (value or "").strip()
    if not text or text in ("-", "--"):
        return None
    text = re.sub(r"\s+(UTC|GMT|Z)$", "+00:00", text)
    iso = text[:-1] + "+00:00" if text.endswith("Z") else text
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        parsed = None
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if parsed is None:
            raise ValueError(f"unrecognised timestamp {value!r}") from None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def guest_api_id(source: str, event_api_id: str, person: str) -> str:
    """`csv-` + 24 hex digits of sha1(source|event|person); person = trimmed lower email."""
    digest = hashlib.sha1(f"{source}|{event_api_id}|{person.strip().lower()}".encode())
    return "csv-" + digest.hexdigest()[:24]


def _detect(header: Sequence[str]) -> Layout | None:
    names = {h.strip().lower() for h in header}
    # Zoom first: its attendee block also has `email`; Luma needs `approval_status` exactly.
    for kind in ("zoom", "eventbrite", "luma"):
        layout = next(lay for lay in LAYOUTS if lay.kind == kind)
        if all(r in names for r in layout.required):
            return layout
    return None


def _find_header(rows: list[list[str]]) -> tuple[int, Layout] | None:
    """The index of the header row and its layout (Zoom reports start with a preamble)."""
    for i, row in enumerate(rows):
        layout = _detect(row)
        if layout is not None:
            return i, layout
    return None


def _preamble_value(rows: list[list[str]], names: Iterable[str]) -> str | None:
    """A value under one of `names` in a label row followed by a value row (Zoom preamble)."""
    wanted = list(names)
    for label_row, value_row in zip(rows, rows[1:], strict=False):
        labels = [cell.strip().lower() for cell in label_row]
        for name in wanted:
            if name in labels:
                index = labels.index(name)
                if index < len(value_row) and value_row[index].strip():
                    return value_row[index].strip()
    return None


def _pick(record: dict[str, str], names: Iterable[str]) -> str | None:
    for name in names:
        value = record.get(name)
        if value is not None and value.strip() != "":
            return value.strip()
    return None


_LUMA_EVENT_IN_URL = re.compile(r"/check-in/(evt-[A-Za-z0-9]+)")


def _event_key(layout: Layout, record: dict[str, str], file: AttendeeFile) -> str:
    if file.event_api_id:
        return file.event_api_id
    if layout.kind == "luma":
        found = _LUMA_EVENT_IN_URL.search(record.get("qr_code_url") or "")
        if found:
            return found.group(1)
    value = _pick(record, layout.event)
    if value:
        return value if layout.kind == "luma" else f"{layout.kind}:{value}"
    return f"file:{file.path.stem}"


def _status(layout: Layout, record: dict[str, str]) -> str:
    raw = (_pick(record, layout.status) or "").lower()
    if layout.kind == "zoom":
        attended = (record.get("attended") or "").strip().lower()
        if not raw:
            return "approved"
        return _STATUS.get(raw, raw) if attended != "yes" else "approved"
    if not raw:
        return "approved"
    if raw not in _STATUS:
        raise ValueError(f"unknown attendee status {raw!r}")
    return _STATUS[raw]


def _checked_in(layout: Layout, record: dict[str, str]) -> datetime | None:
    if layout.kind == "zoom":
        attended = (record.get("attended") or "yes").strip().lower()
        if attended == "no":
            return None
    return parse_timestamp(_pick(record, layout.checked_in_at))


def _raw_email(layout: Layout, record: dict[str, str]) -> str | None:
    """The first non-blank email cell, exactly as exported."""
    for name in layout.email:
        value = record.get(name)
        if value is not None and value.strip() != "":
            return value
    return None


def _row(layout: Layout, record: dict[str, str], file: AttendeeFile) -> dict[str, Any]:
    """The guests row of one CSV record. Raises ValueError with the reason if malformed."""
    email = _raw_email(layout, record)
    if email is not None and not _EMAIL.match(email.strip()):
        raise ValueError(f"invalid email {email!r}")
    name = _pick(record, layout.name)
    if name:
        name = re.sub(r"\s*\([^()]*\)$", "", name) or name  # Zoom: "Ana Lima (Ana)"
    else:
        parts = [_pick(record, layout.first_name), _pick(record, layout.last_name)]
        name = " ".join(p for p in parts if p) or None
    if email is None:
        if layout.email_required or not name:
            raise ValueError("missing email")
        person = f"name:{name.lower()}"
    else:
        person = email.strip().lower()
    event_api_id = _event_key(layout, record, file)
    return {
        "api_id": guest_api_id(layout.source, event_api_id, person),
        "event_api_id": event_api_id,
        "user_api_id": None,
        "user_email": email,
        "user_name": name,
        "approval_status": _status(layout, record),
        "registered_at": parse_timestamp(_pick(record, layout.registered_at)),
        "checked_in_at": _checked_in(layout, record),
        "source": layout.source,
    }


def _merge(existing: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Two rows of one person at one event (a Zoom re-join, a repeated ticket): combine."""
    out = dict(existing)
    for key in ("registered_at", "checked_in_at"):
        values = [v for v in (existing[key], new[key]) if v is not None]
        out[key] = min(values) if values else None
    if out["checked_in_at"] is not None or new["approval_status"] == "approved":
        out["approval_status"] = "approved"
    out["user_name"] = existing["user_name"] or new["user_name"]
    return out


def read_attendee_csv(file: AttendeeFile | Path | str) -> Iterator[dict[str, Any] | Any]:
    """Guests rows of one export (one per person and event), and `_rejects` items."""
    if not isinstance(file, AttendeeFile):
        file = AttendeeFile(Path(file))
    text = file.path.read_text(encoding="utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    found = _find_header(rows)
    if found is None:
        yield reject(
            settings.SOURCE_NAME,
            RESOURCE,
            {"file": str(file.path), "first_line": rows[0] if rows else None},
            "unrecognised attendee CSV layout (not a Luma, Eventbrite or Zoom export)",
            record_key=file.path.name,
        )
        return
    start, layout = found
    header = [h.strip().lower() for h in rows[start]]
    if file.event_api_id is None and layout.kind == "zoom":
        meeting = _preamble_value(rows[:start], layout.event)
        if meeting:  # the webinar/meeting id sits in the report's preamble
            file = AttendeeFile(file.path, f"zoom:{meeting}")
    by_id: dict[str, dict[str, Any]] = {}
    for offset, values in enumerate(rows[start + 1 :], start=start + 2):
        if not any(v.strip() for v in values):
            continue
        record = dict(zip(header, values, strict=False))
        key = f"{file.path.name}:{offset}"
        if len(values) != len(header):
            yield reject(
                settings.SOURCE_NAME,
                RESOURCE,
                {"file": file.path.name, "line": offset, "values": values},
                f"{layout.source}: expected {len(header)} fields, found {len(values)}",
                record_key=key,
            )
            continue
        try:
            row = _row(layout, record, file)
        except ValueError as exc:
            yield reject(
                settings.SOURCE_NAME,
                RESOURCE,
                {"file": file.path.name, "line": offset, **record},
                f"{layout.source}: {exc}",
                record_key=key,
            )
            continue
        previous = by_id.get(row["api_id"])
        by_id[row["api_id"]] = row if previous is None else _merge(previous, row)
    yield from by_id.values()


@dlt.source(name="luma", section="luma")
def attendee_csv_source(
    files: Sequence[AttendeeFile | Path | str],
) -> DltResource:
    """The attendee exports as the `luma` source's `guests` resource (merge on `api_id`)."""

    def attendee_guests() -> Iterator[Any]:
        for file in files:
            yield from read_attendee_csv(file)

    return dlt.resource(
        attendee_guests,
        name=RESOURCE,
        primary_key="api_id",
        write_disposition="merge",
        columns=settings.GUEST_COLUMNS,
    )


def import_attendee_csvs(
    files: Sequence[AttendeeFile | Path | str],
    warehouse: Path | None = None,
    pipelines_dir: Path | None = None,
) -> LoadInfo:
    """Load the exports into `raw_luma.guests` of `warehouse` (the default warehouse if None)."""
    from ingestion.pipeline import make_pipeline
    from ingestion.warehouse import warehouse_path

    pipeline = make_pipeline(
        "luma", Path(warehouse) if warehouse else warehouse_path(), pipelines_dir
    )
    info = pipeline.run(attendee_csv_source(files))
    info.raise_on_failed_jobs()
    return info
