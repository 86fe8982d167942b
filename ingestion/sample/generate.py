"""Write a deterministic sample community directory (docs/CONTRACTS.md §1).

    generate(out_dir, people=2000, seed=7, today=date(2026, 11, 1), days=365) -> manifest

Same arguments, byte-identical files. Every day of activity comes from its own RNG stream and
people only ever get added, so the history before `today` does not depend on `today`:
`advance.advance(dir)` regenerates with today + 1 and the old files are a prefix of the new.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from .context import Ctx
from .discourse_gen import discourse_user_ids, write_discourse
from .exports import write_attendee_exports, write_slack_export
from .hubspot_gen import write_hubspot
from .luma_gen import schedule, write_luma
from .population import INF, STAFF_DOMAIN, build_population
from .slack_gen import slack_channels, slack_users, write_messages
from .truth import (
    linkage_stats,
    program_participation,
    write_identities,
    write_people,
    write_programs,
)
from .util import JsonlWriter, write_json

GENERATOR_VERSION = "1.1"  # 1.1: Slack handles handed out in join order (stable across days)


def credentials(seed: int) -> dict[str, str]:
    return {
        "slack_token": f"xoxb-sample-{seed}-commops",
        "discourse_api_key": f"sample-discourse-key-{seed}",
        "discourse_api_username": "system",
        "hubspot_token": f"pat-sample-{seed}-commops",
        "luma_api_key": f"sample-luma-key-{seed}",
    }


def generate(
    out_dir: Path, people: int = 2000, seed: int = 7, today: date | None = None, days: int = 365
) -> dict:
    """Generate the sample into `out_dir` (created if missing) and return the manifest."""
    if today is None:
        today = datetime.now(tz=UTC).date()
    start = today - timedelta(days=days)
    return build(
        Path(out_dir), people=people, seed=seed, start=start, origin_days=days, today_d=days
    )


def build(
    out: Path, *, people: int, seed: int, start: date, origin_days: int, today_d: int
) -> dict:
    """Write the sample as the vendors show it at the end of day `start + today_d`."""
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    pop = build_population(seed, people, origin_days, today_d)
    ctx = Ctx(
        seed=seed, people=people, start=start, origin_days=origin_days, today_d=today_d, pop=pop
    )
    counts: dict[str, dict[str, int]] = {}
    accounts: dict[str, list[tuple[str, str]]] = {}
    link_input: list = []

    # Slack: users, channels, messages (messages need the Luma calendar for bot posts)
    events = schedule(ctx)
    users = slack_users(ctx)
    with JsonlWriter(out / "slack" / "users.jsonl") as w:
        for obj, _pid in users:
            w.write(obj)
    channels = slack_channels(ctx)
    with JsonlWriter(out / "slack" / "channels.jsonl") as w:
        for ch in channels:
            w.write(ch)
    msg_stats = write_messages(ctx, out, events)
    counts["slack"] = {
        "users": len(users),
        "channels": len(channels),
        "messages": msg_stats["messages"],
        "reactions": msg_stats["reactions"],
    }
    accounts["slack"] = [(obj["id"], pid) for obj, pid in users]
    link_input += [("slack", obj["id"], pid, obj["profile"].get("email"), []) for obj, pid in users]

    # Discourse
    d_stats = write_discourse(ctx, out)
    counts["discourse"] = {k: d_stats[k] for k in ("users", "categories", "topics", "posts")}
    accounts["discourse"] = d_stats["_accounts"]
    emails = _discourse_emails(out)
    link_input += [
        ("discourse", uid, pid, emails.get(uid), []) for uid, pid in accounts["discourse"]
    ]

    # HubSpot
    slack_ids = {p.k: p.slack_id for p in pop.people if p.slack_t < ctx.cutoff_t}
    h_stats = write_hubspot(ctx, out, slack_ids, discourse_user_ids(ctx))
    counts["hubspot"] = {
        k: h_stats[k]
        for k in (
            "contacts",
            "companies",
            "deals",
            "deal_stages",
            "contact_companies",
            "deal_contacts",
        )
    }
    accounts["hubspot"] = [(cid, pid) for cid, pid, _e, _l in h_stats["_accounts"]]
    link_input += [("hubspot", cid, pid, e, links) for cid, pid, e, links in h_stats["_accounts"]]

    # Luma
    l_stats = write_luma(ctx, out, events)
    counts["luma"] = l_stats
    luma_accts: dict[str, tuple[str, str]] = {}
    for ev in events:
        for g in ev.guests:
            p = g["p"]
            luma_accts.setdefault(p.luma_id, (p.pid, p.luma_email))
    accounts["luma"] = [(uid, luma_accts[uid][0]) for uid in sorted(luma_accts)]
    link_input += [
        ("luma", uid, luma_accts[uid][0], luma_accts[uid][1], []) for uid in sorted(luma_accts)
    ]

    # Ground truth and exports
    write_identities(out, accounts)
    participation = program_participation(ctx, events)
    write_people(ctx, out, participation)
    write_programs(out)
    write_slack_export(out, [obj for obj, _ in users], channels)
    export_counts = write_attendee_exports(ctx, out, events)
    write_json(out / "expected_counts.json", counts)
    stats = _stats(ctx, link_input, export_counts, participation)
    stats["generation_seconds"] = round(time.perf_counter() - t0, 2)
    write_json(out / "stats.json", {k: v for k, v in stats.items() if k != "generation_seconds"})
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "people": people,
        "start": start.isoformat(),
        "today": ctx.today.isoformat(),
        "days": today_d,
        "origin_days": origin_days,
        "credentials": credentials(seed),
        "staff_domains": [STAFF_DOMAIN],
        "slack_team_id": pop.team_id,
        "people_existing": len(pop.people),
        "stats_file": "stats.json",
    }
    write_json(out / "manifest.json", manifest)
    return manifest


def _discourse_emails(out: Path) -> dict[str, str]:
    emails = {}
    with open(out / "discourse" / "users.jsonl", encoding="utf-8") as f:
        for line in f:
            u = json.loads(line)
            emails[str(u["id"])] = u["email"]
    return emails


def _stats(ctx: Ctx, link_input: list, export_counts: dict, participation: dict) -> dict:
    people = ctx.pop.people
    cutoff = ctx.cutoff_t
    from .population import normalize_email

    gmail_alias = sum(
        1
        for p in people
        if p.slack_email
        and p.slack_email.strip().lower() != (p.personal_email)
        and normalize_email(p.slack_email) == normalize_email(p.personal_email)
        and p.slack_t < cutoff
    )
    names: dict[str, int] = {}
    for p in people:
        names[p.full_name] = names.get(p.full_name, 0) + 1
    return {
        "people": len(people),
        "staff": sum(p.is_staff for p in people),
        "linkage": linkage_stats(link_input),
        "noise": {
            "slack_gmail_alias_of_personal_email": gmail_alias,
            "people_sharing_a_full_name": sum(c for c in names.values() if c > 1),
            "slack_without_email": sum(
                1 for p in people if p.slack_t < cutoff and not p.slack_email
            ),
            "slack_guests": sum(1 for p in people if p.slack_t < cutoff and p.slack_guest),
            "slack_deactivated": sum(1 for p in people if p.slack_deleted_t < cutoff),
            "hubspot_slack_crosslinks": sum(
                1 for p in people if p.xlink_slack and p.crm_t < cutoff
            ),
            "hubspot_discourse_crosslinks": sum(
                1 for p in people if p.xlink_discourse and p.crm_t < cutoff
            ),
            "hubspot_duplicates": sum(1 for p in people if p.crm_dup_t < cutoff),
            "hubspot_merged": sum(1 for p in people if p.crm_merge_t < cutoff),
            "hubspot_archived": sum(1 for p in people if p.crm_archive_t < cutoff),
            "churned": sum(1 for p in people if p.leave_t < cutoff),
            "ambassadors": sum(
                1 for p in people if p.ambassador_t < INF and p.ambassador_t < cutoff
            ),
        },
        "program_participations": len(participation),
        "exports": export_counts,
    }
