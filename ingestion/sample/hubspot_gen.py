"""HubSpot CRM v3: contacts, companies, deals, associations and the deal pipeline.

Ids are ranks by creation time (plus a fixed spread), so later days only append ids.
A contact's history (lifecycle steps, cross-link properties, merge, archive) is fixed by the
person; what `today` shows is the state at the cutoff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .context import Ctx
from .population import CITIES, INF, Company, Person
from .util import JsonlWriter, iso_ms, rng, write_json

STAGES = [  # id, label, probability, closed
    ("appointmentscheduled", "Appointment Scheduled", "0.2", False),
    ("qualifiedtobuy", "Qualified To Buy", "0.4", False),
    ("presentationscheduled", "Presentation Scheduled", "0.6", False),
    ("decisionmakerboughtin", "Decision Maker Bought-In", "0.8", False),
    ("contractsent", "Contract Sent", "0.9", False),
    ("closedwon", "Closed Won", "1.0", True),
    ("closedlost", "Closed Lost", "0.0", True),
]
PRODUCTS = ["Team plan", "Enterprise plan", "Support add-on", "Training package", "Pilot"]
CONTACT_TO_COMPANY = 1  # HubSpot-defined "Primary" contact→company association
DEAL_TO_CONTACT = 3


@dataclass
class Contact:
    t: float
    person: Person
    dup: bool  # the duplicate (absorbed on merge)
    id: str = ""


@dataclass
class Deal:
    t: float
    company: Company
    i: int
    contacts: list  # persons
    steps: list = field(default_factory=list)  # [(t, stage id)]
    amount: str = "0"
    id: str = ""


def build_contacts(ctx: Ctx) -> list[Contact]:
    cutoff = ctx.cutoff_t
    cs = []
    for p in ctx.pop.people:
        if p.crm_t < cutoff:
            cs.append(Contact(p.crm_t, p, False))
        if p.crm_dup_t < cutoff:
            cs.append(Contact(p.crm_dup_t, p, True))
    cs.sort(key=lambda c: (c.t, c.person.k, c.dup))
    for rank, c in enumerate(cs):
        c.id = str(100 + rank * 50 + c.person.k % 50)
    return cs


def _deals(
    ctx: Ctx, companies: dict[int, float], by_company: dict[int, list[Person]]
) -> list[Deal]:
    cutoff = ctx.cutoff_t
    deals = []
    for idx, created in companies.items():
        comp = ctx.pop.companies[idx]
        r = rng(ctx.seed, "deals", idx)
        t = created
        i = 0
        while True:
            t += 10 + r.expovariate(1 / 150)
            if t >= cutoff:
                break
            cands = [p for p in by_company[idx] if p.crm_t <= t]
            if not cands:
                continue
            contacts = [cands[int(r.random() * len(cands))]]
            if len(cands) > 1 and r.random() < 0.3:
                other = cands[int(r.random() * len(cands))]
                if other is not contacts[0]:
                    contacts.append(other)
            d = Deal(t, comp, i, contacts)
            d.amount = (
                f"{r.choice([1500, 4800, 12000, 25000, 60000]) * (0.8 + r.random() * 0.4):.2f}"
            )
            st = t
            d.steps = [(st, STAGES[0][0])]
            for s in STAGES[1:5]:
                if r.random() < 0.3:
                    break
                st += 2 + r.expovariate(1 / 20)
                d.steps.append((st, s[0]))
            if r.random() < 0.75:
                st += 3 + r.expovariate(1 / 25)
                won = r.random() < (0.25 + 0.1 * len(d.steps))
                d.steps.append((st, "closedwon" if won else "closedlost"))
            deals.append(d)
            i += 1
    deals.sort(key=lambda d: (d.t, d.company.idx, d.i))
    for rank, d in enumerate(deals):
        d.id = str(9000000 + rank * 13 + d.company.idx % 13)
    return deals


def _xlink_t(p: Person, other_t: float) -> float:
    return max(p.crm_t, other_t) + 0.1 + (p.k % 4) * 0.5


def write_hubspot(
    ctx: Ctx, out: Path, slack_ids: dict[int, str], discourse_ids: dict[int, int]
) -> dict:
    cutoff = ctx.cutoff_t
    contacts = build_contacts(ctx)
    ids = {(c.person.k, c.dup): c.id for c in contacts}
    companies: dict[int, float] = {}
    by_company: dict[int, list[Person]] = {}
    for c in contacts:
        idx = c.person.company
        if idx >= 0:
            if idx not in companies:
                companies[idx] = c.t
                by_company[idx] = []
            if not c.dup:
                by_company[idx].append(c.person)
    deals = _deals(ctx, companies, by_company)
    comp_rank = sorted(companies.items(), key=lambda x: (x[1], x[0]))
    comp_ids = {
        idx: str(5000000 + rank * 37 + idx % 37) for rank, (idx, _t) in enumerate(comp_rank)
    }
    accounts = []
    assoc = []
    stats = {}
    with JsonlWriter(out / "hubspot" / "contacts.jsonl") as w:
        for c in contacts:
            p = c.person
            absorbed = c.dup and p.crm_merge_t < cutoff
            if absorbed:
                continue
            obj, archived = _contact_obj(ctx, c, ids, slack_ids, discourse_ids)
            w.write(obj)
            if not archived:
                props = obj["properties"]
                links = []
                if props["commops_slack_user_id"]:
                    links.append(("slack", props["commops_slack_user_id"]))
                if props["commops_discourse_user_id"]:
                    links.append(("discourse", props["commops_discourse_user_id"]))
                accounts.append((c.id, p.pid, props["email"], links))
                if p.company >= 0:
                    assoc.append(
                        ("contacts", c.id, "companies", comp_ids[p.company], CONTACT_TO_COMPANY)
                    )
        stats["contacts"] = w.count
    last_deal: dict[int, float] = {}
    live_primary = {
        c.person.k for c in contacts if not c.dup and not c.person.crm_archive_t < cutoff
    }
    with JsonlWriter(out / "hubspot" / "deals.jsonl") as w:
        for d in deals:
            w.write(_deal_obj(ctx, d))
            vis = [s for s in d.steps if s[0] < cutoff]
            last_deal[d.company.idx] = max(last_deal.get(d.company.idx, -INF), vis[-1][0])
            for p in d.contacts:
                if p.k in live_primary:
                    assoc.append(("deals", d.id, "contacts", ids[(p.k, False)], DEAL_TO_CONTACT))
        stats["deals"] = w.count
    with JsonlWriter(out / "hubspot" / "companies.jsonl") as w:
        for idx, created in comp_rank:
            w.write(
                _company_obj(
                    ctx, ctx.pop.companies[idx], comp_ids[idx], created, last_deal.get(idx, created)
                )
            )
        stats["companies"] = w.count
    assoc.sort(key=lambda a: (a[0], int(a[1]), a[2], int(a[3])))
    with JsonlWriter(out / "hubspot" / "associations.jsonl") as w:
        for f_type, f_id, t_type, t_id, type_id in assoc:
            w.write(
                {
                    "from_type": f_type,
                    "from_id": f_id,
                    "to_type": t_type,
                    "to_id": t_id,
                    "type_id": type_id,
                }
            )
    stats["contact_companies"] = sum(1 for a in assoc if a[0] == "contacts")
    stats["deal_contacts"] = sum(1 for a in assoc if a[0] == "deals")
    write_json(out / "hubspot" / "pipelines.json", pipelines(ctx))
    stats["deal_stages"] = len(STAGES)
    stats["_accounts"] = accounts
    stats["_deals"] = deals
    return stats


def _contact_obj(ctx: Ctx, c: Contact, ids: dict, slack_ids: dict, discourse_ids: dict):
    cutoff = ctx.cutoff_t
    p = c.person
    events = [c.t]
    if c.dup:
        stage = "lead"
        email = p.crm_dup_email
        first = p.alt_first
    else:
        steps = [s for s in p.crm_lifecycle if s[0] < cutoff]
        stage = steps[-1][1] if steps else "subscriber"
        events += [s[0] for s in steps]
        email = p.crm_email
        first = p.first
    merged = None
    if not c.dup and p.crm_merge_t < cutoff:
        merged = ids[(p.k, True)]
        events.append(p.crm_merge_t)
    slack_link = discourse_link = None
    if not c.dup and p.xlink_slack and p.slack_id:
        xt = _xlink_t(p, p.slack_t)
        if xt < cutoff and p.k in slack_ids:
            slack_link = slack_ids[p.k]
            events.append(xt)
    if not c.dup and p.xlink_discourse:
        xt = _xlink_t(p, p.discourse_t)
        if xt < cutoff and p.k in discourse_ids:
            discourse_link = str(discourse_ids[p.k])
            events.append(xt)
    archived = (not c.dup) and p.crm_archive_t < cutoff
    if archived:
        events.append(p.crm_archive_t)
    modified = iso_ms(ctx.epoch(max(e for e in events if e < cutoff)))
    comp = ctx.pop.companies[p.company] if p.company >= 0 else None
    city = CITIES[p.city]
    props = {
        "createdate": iso_ms(ctx.epoch(c.t)),
        "email": email,
        "firstname": first,
        "lastname": p.last,
        "company": comp.name if comp else None,
        "jobtitle": p.title,
        "city": city[0] if p.k % 9 else None,
        "country": city[1],
        "lifecyclestage": stage,
        "hs_merged_object_ids": merged,
        "commops_slack_user_id": slack_link,
        "commops_discourse_user_id": discourse_link,
        "hs_object_id": c.id,
        "lastmodifieddate": modified,
        "hs_lastmodifieddate": modified,
    }
    obj = {
        "id": c.id,
        "properties": props,
        "createdAt": props["createdate"],
        "updatedAt": modified,
        "archived": archived,
    }
    if archived:
        obj["archivedAt"] = iso_ms(ctx.epoch(p.crm_archive_t))
    return obj, archived


def deal_state(d: Deal, cutoff: float) -> tuple[str, bool, bool, float]:
    vis = [s for s in d.steps if s[0] < cutoff]
    stage = vis[-1][1]
    closed = stage in ("closedwon", "closedlost")
    return stage, closed, stage == "closedwon", vis[-1][0]


def _deal_obj(ctx: Ctx, d: Deal) -> dict:
    stage, closed, won, modified_t = deal_state(d, ctx.cutoff_t)
    close_t = modified_t if closed else d.t + 60
    modified = iso_ms(ctx.epoch(modified_t))
    props = {
        "amount": d.amount,
        "closedate": iso_ms(ctx.epoch(close_t)),
        "createdate": iso_ms(ctx.epoch(d.t)),
        "dealname": f"{d.company.name} - {PRODUCTS[(d.company.idx + d.i) % len(PRODUCTS)]}",
        "dealstage": stage,
        "pipeline": "default",
        "hs_is_closed": "true" if closed else "false",
        "hs_is_closed_won": "true" if won else "false",
        "hs_lastmodifieddate": modified,
        "hs_object_id": d.id,
    }
    return {
        "id": d.id,
        "properties": props,
        "createdAt": props["createdate"],
        "updatedAt": modified,
        "archived": False,
    }


def _company_obj(ctx: Ctx, comp: Company, cid: str, created: float, modified_t: float) -> dict:
    city = CITIES[comp.city]
    modified = iso_ms(ctx.epoch(max(created, modified_t)))
    props = {
        "createdate": iso_ms(ctx.epoch(created)),
        "domain": comp.domain,
        "name": comp.name,
        "industry": comp.industry,
        "city": city[0],
        "country": city[1],
        "numberofemployees": str(comp.employees),
        "hs_lastmodifieddate": modified,
        "hs_object_id": cid,
    }
    return {
        "id": cid,
        "properties": props,
        "createdAt": props["createdate"],
        "updatedAt": modified,
        "archived": False,
    }


def pipelines(ctx: Ctx) -> dict:
    created = iso_ms(ctx.epoch(-500))
    stages = []
    for i, (sid, label, prob, closed) in enumerate(STAGES):
        stages.append(
            {
                "label": label,
                "displayOrder": i,
                "metadata": {"isClosed": "true" if closed else "false", "probability": prob},
                "id": sid,
                "createdAt": created,
                "updatedAt": created,
                "archived": False,
            }
        )
    return {
        "results": [
            {
                "label": "Sales Pipeline",
                "displayOrder": 0,
                "id": "default",
                "stages": stages,
                "createdAt": created,
                "updatedAt": created,
                "archived": False,
            }
        ]
    }
