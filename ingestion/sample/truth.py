"""Ground truth beside the data: identities.csv, people.csv, programs and linkage statistics."""

from __future__ import annotations

import csv
from pathlib import Path

from .context import Ctx
from .luma_gen import SERIES, Event, series_api_id, tag_api_id
from .population import CITIES, STAFF_DOMAIN, normalize_email
from .slack_gen import BOTS, CHANNELS, channel_id
from .util import write_json

PROGRAMS = [  # id, name, luma series keys, slack channel keys
    ("onboarding", "New member onboarding", ["onboarding"], ["introductions"]),
    ("ambassador", "Ambassador program", ["ambassadors"], ["ambassadors"]),
    ("office_hours", "Office hours", ["office-hours"], ["office-hours"]),
    ("workshops", "Hands-on workshops", ["workshop"], []),
]


def _writer(path: Path):
    f = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    return f, csv.writer(f, lineterminator="\n")


def write_identities(out: Path, accounts: dict[str, list[tuple[str, str]]]) -> None:
    f, w = _writer(out / "identities.csv")
    with f:
        w.writerow(["platform", "platform_user_id", "person_id"])
        for platform in ("slack", "discourse", "hubspot", "luma"):
            for uid, pid in accounts[platform]:
                w.writerow([platform, uid, pid])


def program_participation(ctx: Ctx, events: list[Event]) -> dict[tuple[str, str], float]:
    """(person_id, program) -> first participation time (days): check-in or ambassador start."""
    cutoff = ctx.cutoff_t
    by_series = {s: prog for prog, _n, series, _c in PROGRAMS for s in series}
    first: dict[tuple[str, str], float] = {}
    for ev in events:
        prog = by_series.get(ev.series.key)
        if prog is None or prog == "ambassador":
            continue
        for g in ev.guests:
            if g["checkin"] < cutoff:
                key = (g["p"].pid, prog)
                first[key] = min(first.get(key, g["checkin"]), g["checkin"])
    for p in ctx.pop.people:
        if p.ambassador_t < cutoff:
            first[(p.pid, "ambassador")] = p.ambassador_t
    return first


def write_people(ctx: Ctx, out: Path, participation: dict[tuple[str, str], float]) -> None:
    cutoff = ctx.cutoff_t
    progs: dict[str, list[str]] = {}
    for pid, prog in sorted(participation):
        progs.setdefault(pid, []).append(prog)
    f, w = _writer(out / "people.csv")
    with f:
        w.writerow(
            [
                "person_id",
                "full_name",
                "is_bot",
                "is_staff",
                "city",
                "country",
                "timezone",
                "company",
                "programs",
                "first_seen_at",
                "churned_at",
                "email",
            ]
        )
        for p in ctx.pop.people:
            c = CITIES[p.city]
            comp = ctx.pop.companies[p.company].name if p.company >= 0 else ""
            churned = ctx.epoch(p.leave_t) if p.leave_t < cutoff else None
            w.writerow(
                [
                    p.pid,
                    p.full_name,
                    "false",
                    str(p.is_staff).lower(),
                    c[0],
                    c[1],
                    c[2],
                    comp,
                    ";".join(progs.get(p.pid, [])),
                    _day(ctx, p.join_t),
                    _day(ctx, p.leave_t) if churned else "",
                    p.work_email or p.personal_email,
                ]
            )
        for pid, name in bot_people():
            w.writerow([pid, name, "true", "false", "", "", "", "", "", "", "", ""])
    f, w = _writer(out / "program_participants.csv")
    with f:
        w.writerow(["person_id", "program", "first_participated_on"])
        for (pid, prog), t in sorted(participation.items()):
            w.writerow([pid, prog, _day(ctx, t)])


def bot_people() -> list[tuple[str, str]]:
    from .slack_gen import bot_user_id

    out = [("bot:slack:USLACKBOT", "Slackbot")]
    out += [(f"bot:slack:{bot_user_id(i)}", b[2]) for i, b in enumerate(BOTS)]
    out += [("bot:discourse:system", "system"), ("bot:discourse:discobot", "discobot")]
    return out


def _day(ctx: Ctx, t: float) -> str:
    from datetime import timedelta

    return (ctx.start + timedelta(days=int(t // 1))).isoformat()


def write_programs(out: Path) -> None:
    chans = {c.key: c for c in CHANNELS}
    series = {s.key: s for s in SERIES}
    write_json(
        out / "programs.json",
        {
            "programs": [
                {
                    "id": pid,
                    "name": name,
                    "luma_series": [
                        {
                            "api_id": series_api_id(series[s]),
                            "name": series[s].name,
                            "tag": s,
                            "tag_api_id": tag_api_id(s),
                        }
                        for s in ss
                    ],
                    "slack_channels": [
                        {"id": channel_id(chans[c]), "name": chans[c].name} for c in cs
                    ],
                    "participation": "checked in at an event of the series"
                    if pid != "ambassador"
                    else "member of the ambassador program (joins #ambassadors)",
                }
                for pid, name, ss, cs in PROGRAMS
            ]
        },
    )


def linkage_stats(accounts: list[tuple[str, str, str, str | None, list[tuple[str, str]]]]) -> dict:
    """How many true same-person account pairs DESIGN.md's deterministic rules can link.

    accounts: (platform, id, person_id, email as shown, cross-links [(platform, id)]).
    Bots (person ids starting with "bot:") are left out.
    """
    nodes = [(a[0], a[1]) for a in accounts if not a[2].startswith("bot:")]
    index = {n: i for i, n in enumerate(nodes)}
    parent = list(range(len(nodes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_email: dict[str, int] = {}
    person_of = {}
    for plat, uid, pid, email, links in accounts:
        if pid.startswith("bot:"):
            continue
        i = index[(plat, uid)]
        person_of[i] = pid
        e = normalize_email(email)
        if e:
            if e in by_email:
                union(i, by_email[e])
            else:
                by_email[e] = i
        for link in links:
            if link in index:
                union(i, index[link])
    per_person: dict[str, dict[int, int]] = {}
    comp_people: dict[int, set[str]] = {}
    for i, pid in person_of.items():
        root = find(i)
        per_person.setdefault(pid, {})
        per_person[pid][root] = per_person[pid].get(root, 0) + 1
        comp_people.setdefault(root, set()).add(pid)
    true_pairs = linked = 0
    for comps in per_person.values():
        n = sum(comps.values())
        true_pairs += n * (n - 1) // 2
        linked += sum(c * (c - 1) // 2 for c in comps.values())
    false_merges = sum(1 for s in comp_people.values() if len(s) > 1)
    multi = sum(1 for comps in per_person.values() if sum(comps.values()) > 1)
    fully = sum(1 for comps in per_person.values() if sum(comps.values()) > 1 and len(comps) == 1)
    return {
        "accounts": len(nodes),
        "people_with_accounts": len(per_person),
        "true_pairs": true_pairs,
        "linkable_pairs": linked,
        "linkable_pair_rate": round(linked / true_pairs, 5) if true_pairs else 1.0,
        "people_with_several_accounts": multi,
        "people_fully_linkable": fully,
        "components_mixing_people": false_merges,
    }


def staff_domains() -> list[str]:
    return [STAFF_DOMAIN]
