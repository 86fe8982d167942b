"""Luma: the event calendar (series with tags) and each event's guests."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from .context import Ctx
from .population import CITIES, INF, Person
from .util import DAY, JsonlWriter, code62, iso_ms, rng


@dataclass(frozen=True)
class Series:
    key: str
    name: str
    type_tag: str  # meetup | webinar | workshop | office_hours
    program: str | None
    cadence: int  # days between occurrences
    first_day: int  # first occurrence (day offset from start; may be negative)
    hour_utc: float
    hours: float
    online: bool
    approval: bool
    lead_days: int  # event is created this many days before it starts
    capacity: int


SERIES = [
    Series(
        "office-hours",
        "Community Office Hours",
        "office_hours",
        "office_hours",
        7,
        -60,
        16,
        1,
        True,
        False,
        10,
        60,
    ),
    Series(
        "onboarding",
        "New Member Onboarding",
        "webinar",
        "onboarding",
        14,
        -56,
        15,
        1,
        True,
        False,
        14,
        80,
    ),
    Series("webinar", "CommOps Webinar", "webinar", None, 14, -49, 17, 1, True, False, 21, 300),
    Series(
        "workshop",
        "Hands-on Workshop",
        "workshop",
        "workshops",
        28,
        -40,
        14,
        3,
        True,
        False,
        21,
        40,
    ),
    Series("meetup", "Community Meetup", "meetup", None, 21, -63, 0, 2.5, False, False, 21, 80),
    Series(
        "ambassadors", "Ambassador Sync", "meetup", "ambassador", 28, -35, 16, 1, True, True, 14, 40
    ),
]
MEETUP_CITIES = [0, 1, 6, 7, 14, 2, 9, 16, 4, 12]  # indexes into CITIES
CALENDAR_API_ID = "cal-" + code62(7, 15)


@dataclass
class Event:
    uid: int
    series: Series
    n: int
    api_id: str
    name: str
    start_t: float  # days from start
    end_t: float
    created_t: float
    city: int  # -1 online
    guests: list = field(default_factory=list)  # filled by guests_of


def series_api_id(s: Series) -> str:
    return "evs-" + code62(SERIES.index(s) + 1, 15)


def tag_api_id(name: str) -> str:
    return "tag-" + code62(sum((i + 1) * ord(c) for i, c in enumerate(name)), 15)


def schedule(ctx: Ctx) -> list[Event]:
    """Every event whose page exists at `today` (created before the cutoff), by start time."""
    out: list[Event] = []
    for si, s in enumerate(SERIES):
        n = 0
        while True:
            day = s.first_day + n * s.cadence
            if day - s.lead_days >= ctx.cutoff_t:
                break
            r = rng(ctx.seed, "luma-event", s.key, n)
            city = -1
            hour = s.hour_utc
            name = s.name
            if not s.online:
                city = MEETUP_CITIES[n % len(MEETUP_CITIES)]
                hour = (18.5 - CITIES[city][4] / 3600) % 24
                name = f"{s.name} — {CITIES[city][0]}"
            elif s.key in ("webinar", "workshop"):
                from .texts import THINGS, TOOLS

                name = f"{s.name}: {r.choice(TOOLS)} and {r.choice(THINGS)}"
            start_t = day + hour / 24
            created_t = start_t - s.lead_days - r.random()
            uid = si * 100000 + n
            out.append(
                Event(
                    uid,
                    s,
                    n,
                    "evt-" + code62(uid + 11, 15),
                    name,
                    start_t,
                    start_t + s.hours / 24,
                    created_t,
                    city,
                )
            )
            n += 1
    out.sort(key=lambda e: (e.start_t, e.api_id))
    return out


def _guests(
    ctx: Ctx,
    ev: Event,
    luma_people: list[Person],
    luma_times: list[float],
    ambassadors: list[Person],
) -> list[dict]:
    """All registrations of the event (visible or not), each a dict of times and status."""
    r = rng(ctx.seed, "luma-guests", ev.series.key, ev.n)
    s = ev.series
    pool_n = bisect.bisect_right(luma_times, ev.created_t)
    picks: list[Person] = []
    if s.key == "ambassadors":
        picks = [
            p
            for p in ambassadors
            if p.ambassador_t < ev.created_t and p.luma_t < ev.created_t and r.random() < 0.7
        ]
    elif pool_n:
        lo = 0
        if s.key == "onboarding":  # recent arrivals
            lo = bisect.bisect_left(luma_times, ev.created_t - 45)
        size = pool_n - lo
        want = {
            "office-hours": 0.05,
            "onboarding": 0.5,
            "webinar": 0.12,
            "workshop": 0.05,
            "meetup": 0.04,
        }[s.key] * size
        want = min(int(want * (0.7 + 0.6 * r.random())) + 2, size, s.capacity * 2)
        chosen: dict[int, None] = {}
        tries = 0
        while len(chosen) < want and tries < want * 6:
            tries += 1
            i = lo + r.randrange(size)
            p = luma_people[i]
            if p.leave_t < ev.created_t:
                continue
            if ev.city >= 0 and p.city != ev.city and r.random() < 0.8:
                continue
            chosen[i] = None
        picks = [luma_people[i] for i in chosen]
    out = []
    for gi, p in enumerate(picks):
        g = rng(ctx.seed, "luma-guest", ev.uid, p.k)
        reg = max(ev.created_t, p.luma_t) + g.random() * max(
            0.01, ev.start_t - max(ev.created_t, p.luma_t)
        )
        status, decided = "approved", reg
        x = g.random()
        if s.approval:
            decided = reg + 0.1 + g.random() * 3
            status = "approved" if x < 0.9 else "declined"
        elif gi >= s.capacity:
            status = "waitlist"
        elif x < 0.05:
            status = "declined"
        checkin = INF
        if status == "approved" and g.random() < (0.55 if s.online else 0.7):
            # Doors open 10 minutes early; a walk-in registers first, then checks in.
            checkin = max(ev.start_t + (g.random() * 40 - 10) / 1440, reg + 1 / 1440)
        out.append(
            {
                "p": p,
                "api_id": "gst-" + code62(ev.uid * 100003 + p.k, 15),
                "reg": reg,
                "status": status,
                "decided": decided,
                "checkin": checkin,
            }
        )
    return out


def luma_people_index(ctx: Ctx) -> tuple[list[Person], list[float]]:
    ppl = sorted((p for p in ctx.pop.people if p.luma_t < INF), key=lambda p: (p.luma_t, p.k))
    return ppl, [p.luma_t for p in ppl]


def write_luma(ctx: Ctx, out: Path, events: list[Event]) -> dict:
    luma_people, luma_times = luma_people_index(ctx)
    ambassadors = [p for p in ctx.pop.people if p.ambassador_t < INF]
    staff_hosts = [p for p in ctx.pop.people if p.is_staff]
    cutoff = ctx.cutoff_t
    n_guests = 0
    with (
        JsonlWriter(out / "luma" / "events.jsonl") as ew,
        JsonlWriter(out / "luma" / "guests.jsonl") as gw,
    ):
        for ev in events:
            ew.write(_event_obj(ctx, ev, staff_hosts))
            ev.guests = [
                g
                for g in _guests(ctx, ev, luma_people, luma_times, ambassadors)
                if g["reg"] < cutoff
            ]
            ev.guests.sort(key=lambda g: (g["reg"], g["api_id"]))
            for g in ev.guests:
                gw.write(_guest_obj(ctx, ev, g))
                n_guests += 1
        return {"events": ew.count, "guests": gw.count}


def _event_obj(ctx: Ctx, ev: Event, hosts: list[Person]) -> dict:
    s = ev.series
    host = hosts[ev.uid % len(hosts)]
    geo = None
    lat = lon = None
    tz = "Etc/UTC"
    if ev.city >= 0:
        c = CITIES[ev.city]
        tz = c[2]
        lat, lon = f"{(ev.city * 7.31) % 90:.4f}", f"{(ev.city * 13.7) % 180:.4f}"
        geo = {
            "city": c[0],
            "type": "google",
            "region": c[0],
            "address": f"{ev.n + 1} Main St",
            "country": c[1],
            "latitude": lat,
            "longitude": lon,
            "place_id": "ChIJ" + code62(ev.uid, 20),
            "city_state": f"{c[0]}, {c[1]}",
            "description": f"CommOps Hub {c[0]}",
            "full_address": f"{ev.n + 1} Main St, {c[0]}, {c[1]}",
        }
    minutes = int(round(s.hours * 60))
    event = {
        "api_id": ev.api_id,
        "calendar_api_id": CALENDAR_API_ID,
        "created_at": iso_ms(ctx.epoch(ev.created_t)),
        "cover_url": f"https://images.lumacdn.com/event-covers/{ev.api_id}.png",
        "name": ev.name,
        "description": f"{ev.name}. Hosted by the CommOps community team.",
        "description_md": f"**{ev.name}**\n\nHosted by the CommOps community team.",
        "series_api_id": series_api_id(s),
        "start_at": iso_ms(ctx.epoch(ev.start_t)),
        "duration_interval": f"PT{minutes // 60}H{minutes % 60}M"
        if minutes % 60
        else f"PT{minutes // 60}H",
        "end_at": iso_ms(ctx.epoch(ev.end_t)),
        "geo_address_json": geo,
        "geo_latitude": lat,
        "geo_longitude": lon,
        "url": f"https://lu.ma/{ev.api_id[4:12].lower()}",
        "timezone": tz,
        "event_type": "independent",
        "user_api_id": host.luma_id or "usr-" + code62(host.k, 15),
        "visibility": "public",
        "meeting_url": f"https://zoom.us/j/{8000000000 + ev.uid}" if s.online else None,
        "zoom_meeting_url": f"https://zoom.us/j/{8000000000 + ev.uid}" if s.online else None,
    }
    names = [s.type_tag.replace("_", "-")]
    if s.program and s.key not in names:
        names.append(s.key)
    tags = [{"api_id": tag_api_id(n), "name": n} for n in names]
    return {"api_id": ev.api_id, "event": event, "tags": tags}


def guest_status_at(g: dict, cutoff: float) -> str:
    if g["decided"] > cutoff:
        return "pending_approval"
    return g["status"]


def _guest_obj(ctx: Ctx, ev: Event, g: dict) -> dict:
    p: Person = g["p"]
    cutoff = ctx.cutoff_t
    checked = iso_ms(ctx.epoch(g["checkin"])) if g["checkin"] < cutoff else None
    first = p.alt_first if p.k % 4 == 1 else p.first
    return {
        "api_id": g["api_id"],
        "guest": {
            "api_id": g["api_id"],
            "user_api_id": p.luma_id,
            "user_email": p.luma_email,
            "user_name": f"{first} {p.last}",
            "user_first_name": first,
            "user_last_name": p.last,
            "approval_status": guest_status_at(g, cutoff),
            "registered_at": iso_ms(ctx.epoch(g["reg"])),
            "invited_at": None,
            "joined_at": checked if ev.series.online else None,
            "checked_in_at": checked,
            "check_in_qr_code": f"https://lu.ma/check-in/{ev.api_id}?pk=g-{g['api_id'][4:]}",
        },
        "_event_api_id": ev.api_id,
    }


def event_epoch(ctx: Ctx, t: float) -> int:
    return int(ctx.start_epoch + t * DAY)
