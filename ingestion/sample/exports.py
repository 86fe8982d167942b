"""File exports: the Slack export zip and attendee CSVs in Luma, Eventbrite and Zoom layouts."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from .context import Ctx
from .luma_gen import Event
from .population import INF, Person, _case_noise, _gmail_noise
from .util import iso_ms, rng

ZIP_TIME = (2000, 1, 1, 0, 0, 0)
LUMA_COLUMNS = [
    "api_id",
    "name",
    "first_name",
    "last_name",
    "email",
    "phone_number",
    "created_at",
    "approval_status",
    "custom_source",
    "checked_in_at",
    "qr_code_url",
    "amount",
    "amount_tax",
    "amount_discount",
    "currency",
    "coupon_code",
    "eth_address",
    "solana_address",
    "survey_response_rating",
    "survey_response_feedback",
    "ticket_type_id",
    "ticket_name",
]
EVENTBRITE_COLUMNS = [
    "Order #",
    "Order Date",
    "First Name",
    "Last Name",
    "Email",
    "Quantity",
    "Price Tier",
    "Ticket Type",
    "Attendee #",
    "Group",
    "Order Type",
    "Currency",
    "Total Paid",
    "Fees Paid",
    "Eventbrite Fees",
    "Eventbrite Payment Processing",
    "Attendee Status",
]
ZOOM_COLUMNS = [
    "Name (Original Name)",
    "User Email",
    "Join Time",
    "Leave Time",
    "Duration (Minutes)",
    "Guest",
    "Recording Consent",
    "In Waiting Room",
]


def _zinfo(name: str) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.external_attr = 0o644 << 16
    return zi


def write_slack_export(out: Path, users: list[dict], channels: list[dict]) -> None:
    """Public channels only, one file per channel and UTC day, replies included."""
    public = {c["id"]: c for c in channels if not c["is_private"]}
    path = out / "exports" / "slack_export.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(_zinfo("users.json"), json.dumps(users, ensure_ascii=False, indent=4))
        z.writestr(
            _zinfo("channels.json"),
            json.dumps(
                [
                    {
                        "id": c["id"],
                        "name": c["name"],
                        "created": c["created"],
                        "creator": c["creator"],
                        "is_archived": c["is_archived"],
                        "is_general": c["is_general"],
                        "members": c["_members"],
                        "topic": c["topic"],
                        "purpose": c["purpose"],
                    }
                    for c in public.values()
                ],
                ensure_ascii=False,
                indent=4,
            ),
        )
        current: tuple[str, str] | None = None
        batch: list[dict] = []

        def flush() -> None:
            if current and batch:
                name = f"{public[current[0]]['name']}/{current[1]}.json"
                z.writestr(_zinfo(name), json.dumps(batch, ensure_ascii=False, indent=4))

        with open(out / "slack" / "messages.jsonl", encoding="utf-8") as f:
            for line in f:
                msg = json.loads(line)
                cid = msg.pop("_channel")
                if cid not in public:
                    continue
                day = (
                    datetime.fromtimestamp(int(msg["ts"].split(".")[0]), tz=UTC).date().isoformat()
                )
                if (cid, day) != current:
                    flush()
                    current, batch = (cid, day), []
                batch.append(msg)
        flush()


def _csv_text(columns: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows(rows)
    return buf.getvalue()


def _last_past(events: list[Event], key: str, cutoff: float) -> Event | None:
    past = [e for e in events if e.series.key == key and e.end_t < cutoff and e.guests]
    return past[-1] if past else None


def _zoom_time(ctx: Ctx, t: float) -> str:
    return datetime.fromtimestamp(ctx.epoch(t), tz=UTC).strftime("%m/%d/%Y %I:%M:%S %p")


def write_attendee_exports(ctx: Ctx, out: Path, events: list[Event]) -> dict:
    cutoff = ctx.cutoff_t
    truth: list[list[str]] = []
    counts = {}
    # Luma: the guest list export of the latest past meetup (same guests as the API)
    rows = []
    ev = _last_past(events, "meetup", cutoff)
    for g in ev.guests if ev else []:
        p: Person = g["p"]
        status = g["status"] if g["decided"] < cutoff else "pending_approval"
        checked = iso_ms(ctx.epoch(g["checkin"])) if g["checkin"] < cutoff else ""
        rows.append(
            [
                g["api_id"],
                f"{p.first} {p.last}",
                p.first,
                p.last,
                p.luma_email,
                "",
                iso_ms(ctx.epoch(g["reg"])),
                status,
                "",
                checked,
                f"https://lu.ma/check-in/{ev.api_id}?pk=g-{g['api_id'][4:]}",
                "0",
                "0",
                "0",
                "",
                "",
                "",
                "",
                "",
                "",
                "evtticktyp-" + ev.api_id[4:],
                "Standard",
            ]
        )
        truth.append(["attendees_luma.csv", str(len(rows)), p.luma_email, p.pid])
    _write(out / "exports" / "attendees_luma.csv", LUMA_COLUMNS, rows)
    counts["attendees_luma.csv"] = len(rows)
    # Eventbrite: an external summit (not on Luma): the attendee summary report
    summit_d = max(0, min(ctx.today_d - 3, ctx.origin_days - 40))
    r = rng(ctx.seed, "eventbrite", summit_d)
    pool = [p for p in ctx.pop.people if p.join_t < summit_d and not p.is_staff]
    rows = []
    chosen = r.sample(pool, min(len(pool), max(10, len(pool) // 25)))
    chosen.sort(key=lambda p: p.k)
    for i, p in enumerate(chosen):
        email = p.work_email if p.work_email and r.random() < 0.6 else p.personal_email
        if r.random() < 0.25:
            email = _gmail_noise(email, r)
        if r.random() < 0.2:
            email = _case_noise(email, r).strip()
        ordered = summit_d - 5 - r.random() * 30
        order_date = datetime.fromtimestamp(ctx.epoch(ordered), tz=UTC).strftime("%m/%d/%y %H:%M")
        rows.append(
            [
                str(11200000000 + i * 7919),
                order_date,
                p.first,
                p.last,
                email,
                "1",
                "",
                "General Admission",
                str(18400000000 + i * 104729),
                "",
                "Free Order",
                "USD",
                "0",
                "0",
                "0",
                "0",
                "Attending" if r.random() < 0.9 else "Not Attending",
            ]
        )
        truth.append(["attendees_eventbrite.csv", str(len(rows)), email, p.pid])
    _write(out / "exports" / "attendees_eventbrite.csv", EVENTBRITE_COLUMNS, rows)
    counts["attendees_eventbrite.csv"] = len(rows)
    # Zoom: the participants report of the latest past webinar
    rows = []
    ev = _last_past(events, "webinar", cutoff)
    r = rng(ctx.seed, "zoom", ev.uid if ev else 0)
    for g in ev.guests if ev else []:
        if g["checkin"] >= cutoff or g["checkin"] == INF:
            continue
        p = g["p"]
        signed_in = r.random() < 0.85
        email = (p.work_email or p.personal_email) if signed_in else ""
        join = g["checkin"]
        leave = min(ev.end_t + 0.003, join + (10 + r.random() * 60) / 1440)
        name = f"{p.first} {p.last}" if r.random() < 0.7 else f"{p.first} {p.last} ({p.first})"
        rows.append(
            [
                name,
                email,
                _zoom_time(ctx, join),
                _zoom_time(ctx, leave),
                str(max(1, int(round((leave - join) * 1440)))),
                "No" if signed_in else "Yes",
                "",
                "No",
            ]
        )
        truth.append(["attendees_zoom.csv", str(len(rows)), email, p.pid])
    _write(out / "exports" / "attendees_zoom.csv", ZOOM_COLUMNS, rows)
    counts["attendees_zoom.csv"] = len(rows)
    _write(
        out / "exports" / "attendees_truth.csv", ["file", "row_number", "email", "person_id"], truth
    )
    return counts


def _write(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_csv_text(columns, rows), encoding="utf-8")
