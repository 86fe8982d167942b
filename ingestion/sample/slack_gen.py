"""Slack: users.list members, conversations.list channels and message objects.

Messages are generated channel by channel and day by day, each (channel, day) from its own RNG
stream. A day's stream also decides the thread replies, reactions, edits and deletions of the
messages started that day (replies land up to three days later); what `today` shows is the part
that happened before the cutoff. Output is streamed through a heap, so messages.jsonl is sorted
by (_channel, ts) without holding a channel in memory.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from pathlib import Path

from .context import Ctx
from .luma_gen import Event
from .population import CITIES, INF, OLD_ANNOUNCEMENTS_ARCHIVED_DAY, Person, ascii_fold
from .texts import ANSWERS, CHATTER, INTROS, QUESTIONS, REACTIONS, WELCOMES, fill
from .util import DAY, JsonlWriter, code36, poisson, rng, uuid4

SEASON = [1.0, 1.08, 1.08, 1.0, 0.85, 0.35, 0.3]  # Monday..Sunday
LOCAL_HOURS = [
    (h, w)
    for h, w in zip(
        range(24),
        [1, 0, 0, 0, 0, 0, 1, 2, 5, 8, 9, 9, 7, 8, 9, 9, 8, 7, 5, 4, 4, 3, 2, 1],
        strict=True,
    )
]
MAX_REPLY_DELAY = int(2.9 * DAY)


@dataclass(frozen=True)
class Channel:
    key: str
    name: str
    is_private: bool
    is_general: bool
    kind: str  # chat | help | intro | events | announce
    rate: float  # top-level messages per unit of member weight per day
    created_d: int
    archive_d: int | None
    purpose: str


CHANNELS = [
    Channel(
        "general",
        "general",
        False,
        True,
        "chat",
        0.013,
        -420,
        None,
        "Announcements and community-wide chat",
    ),
    Channel(
        "help",
        "help",
        False,
        False,
        "help",
        0.02,
        -420,
        None,
        "Ask questions about the product; the community and the team answer",
    ),
    Channel(
        "introductions",
        "introductions",
        False,
        False,
        "intro",
        0.0,
        -420,
        None,
        "Say hi! Tell us who you are and what you work on",
    ),
    Channel(
        "events",
        "events",
        False,
        False,
        "events",
        0.006,
        -400,
        None,
        "Meetups, webinars, workshops and office hours",
    ),
    Channel(
        "random",
        "random",
        False,
        False,
        "chat",
        0.016,
        -420,
        None,
        "Non-work banter and water cooler conversation",
    ),
    Channel(
        "ambassadors",
        "ambassadors",
        True,
        False,
        "chat",
        0.05,
        -200,
        None,
        "Private channel for community ambassadors",
    ),
    Channel(
        "office-hours",
        "office-hours",
        False,
        False,
        "help",
        0.03,
        -300,
        None,
        "Questions for the weekly office hours",
    ),
    Channel(
        "old-announcements",
        "announcements-2024",
        False,
        False,
        "announce",
        0.0,
        -420,
        OLD_ANNOUNCEMENTS_ARCHIVED_DAY,
        "Old announcements (archived)",
    ),
]
BOTS = [  # (key, user name, real name, app name, deleted)
    ("github", "github", "GitHub", "GitHub", False),
    ("luma", "luma", "Luma", "Luma", False),
    ("zapier", "zapier", "Zapier", "Zapier", True),
]


def channel_id(c: Channel) -> str:
    return "C" + code36(500_000_000 + CHANNELS.index(c) * 7919, 8)


def bot_user_id(i: int) -> str:
    return "U" + code36(10_000_000 + i, 8)


def bot_id(i: int) -> str:
    return "B" + code36(20_000_000 + i, 8)


def _sample_hour(r, tz_offset: int) -> int:
    total = 100
    x = r.random() * total
    hour = 12
    for h, w in LOCAL_HOURS:
        x -= w
        if x < 0:
            hour = h
            break
    return (hour * 3600 + int(r.random() * 3600) - tz_offset) % DAY


class _ChannelGen:
    def __init__(
        self,
        ctx: Ctx,
        ch: Channel,
        events_by_day: dict[int, list[Event]],
        writer: JsonlWriter,
        stats: dict,
    ) -> None:
        self.ctx = ctx
        self.ch = ch
        self.cid = channel_id(ch)
        self.team = ctx.pop.team_id
        self.people = ctx.pop.people
        self.events_by_day = events_by_day
        self.writer = writer
        self.stats = stats
        self.cutoff = ctx.cutoff_epoch
        members = [
            (p.channels[ch.key], p.k)
            for p in self.people
            if ch.key in p.channels and p.slack_t < INF
        ]
        members.sort()
        self.members = members
        self.tickets: list[int] = []
        self.staff = [p.k for p in self.people if p.is_staff and ch.key in p.channels]
        self.heap: list = []

    # ---- helpers -------------------------------------------------------------------------
    def _active(self, p: Person, d: int) -> bool:
        return p.leave_t > d + 1 and p.slack_deleted_t > d + 1

    def _pick(self, r, d: int, exclude: int = -1) -> Person | None:
        if not self.tickets:
            return None
        for _ in range(12):
            k = self.tickets[int(r.random() * len(self.tickets))]
            p = self.people[k]
            if k != exclude and self._active(p, d):
                return p
        return None

    def _pick_staff(self, r, exclude: int) -> Person | None:
        cands = [k for k in self.staff if k != exclude]
        return self.people[r.choice(cands)] if cands else None

    def _reactions(self, r, d: int, author: int) -> list[dict]:
        if r.random() > 0.35:
            return []
        out = []
        for name in r.sample(REACTIONS, 1 + int(r.random() * 2.2)):
            users: list[str] = []
            for _ in range(1 + int(r.random() * 4)):
                p = self._pick(r, d, author)
                if p and p.slack_id not in users:
                    users.append(p.slack_id)
            if users:
                out.append({"name": name, "users": users, "count": len(users)})
        return out

    def _push(self, sec: int, micro: int, obj: dict) -> None:
        ts = f"{sec}.{micro:06d}"
        obj["ts"] = ts
        heapq.heappush(self.heap, (ts, obj))

    def _user_msg(self, r, p: Person, text: str, sec: int, d: int) -> dict:
        return {
            "type": "message",
            "text": text,
            "user": p.slack_id,
            "client_msg_id": uuid4(r),
            "team": self.team,
        }

    # ---- one message with its thread ---------------------------------------------------
    def _post(self, r, d: int, j: int, p: Person, sec: int, text: str, kind: str) -> None:
        base = (d % 10) * 100000 + j * 10
        msg = self._user_msg(r, p, text, sec, d)
        # replies (decided now, shown once they happened)
        n = 0
        if kind == "help":
            if r.random() < 0.85:
                n = 1 + min(7, poisson(r, 1.3))
        elif kind == "intro":
            n = poisson(r, 1.2)
        elif r.random() < 0.25:
            n = 1 + min(7, poisson(r, 1.0))
        replies = []
        t = sec
        for i in range(1, n + 1):
            if i == 1 and kind == "help":
                delay = int(r.lognormvariate(8.0, 1.3))  # median ~50 min
            else:
                delay = int(r.lognormvariate(7.5, 1.4))
            t += max(5, delay)
            if t - sec > MAX_REPLY_DELAY:
                break
            if kind in ("help", "intro") and i == 1 and r.random() < 0.35:
                who = self._pick_staff(r, p.k)
            elif i > 1 and r.random() < 0.3:
                who = p
            else:
                who = self._pick(r, d, p.k)
            if who is None:
                continue
            if kind == "intro":
                body = fill(r.choice(WELCOMES), r, first=p.first)
            else:
                body = fill(r.choice(ANSWERS), r)
            rep = self._user_msg(r, who, body, t, d)
            deleted_at = t + int(r.random() * 2 * DAY) if r.random() < 0.01 else None
            edited_at = t + 60 + int(r.random() * DAY) if r.random() < 0.04 else None
            broadcast = r.random() < 0.03
            reacts = self._reactions(r, d, who.k) if r.random() < 0.4 else []
            replies.append((t, base + i, who, rep, deleted_at, edited_at, broadcast, reacts))
        deleted_at = (
            sec + 60 + int(r.random() * 2 * DAY) if (not replies and r.random() < 0.012) else None
        )
        edited_at = sec + 60 + int(r.random() * DAY) if r.random() < 0.05 else None
        reacts = self._reactions(r, d, p.k)
        cutoff = self.cutoff
        visible = [x for x in replies if x[0] < cutoff and not (x[4] and x[4] < cutoff)]
        if deleted_at is not None and deleted_at < cutoff:
            return
        if edited_at is not None and edited_at < cutoff:
            msg["edited"] = {"user": p.slack_id, "ts": f"{edited_at}.000000"}
        ts = f"{sec}.{base:06d}"
        if visible:
            users: list[str] = []
            for x in visible:
                if x[2].slack_id not in users:
                    users.append(x[2].slack_id)
            msg["thread_ts"] = ts
            msg["reply_count"] = len(visible)
            msg["reply_users_count"] = len(users)
            msg["latest_reply"] = f"{visible[-1][0]}.{visible[-1][1]:06d}"
            msg["reply_users"] = users
            msg["is_locked"] = False
            msg["subscribed"] = False
        if reacts:
            msg["reactions"] = reacts
        self._push(sec, base, msg)
        for t, micro, who, rep, _del, edit, broadcast, rx in visible:
            if broadcast:
                rep = {
                    "type": "message",
                    "subtype": "thread_broadcast",
                    **{k: v for k, v in rep.items() if k != "type"},
                }
            if edit is not None and edit < cutoff:
                rep["edited"] = {"user": who.slack_id, "ts": f"{edit}.000000"}
            rep["thread_ts"] = ts
            rep["parent_user_id"] = p.slack_id
            if rx:
                rep["reactions"] = rx
            self._push(t, micro, rep)

    def _bot_post(self, r, j: int, d: int, sec: int, bot_i: int, text: str) -> None:
        msg = {
            "type": "message",
            "subtype": "bot_message",
            "text": text,
            "bot_id": bot_id(bot_i),
            "username": BOTS[bot_i][2],
        }
        if bot_i == 0:
            msg["user"] = bot_user_id(bot_i)
        self._push(sec, (d % 10) * 100000 + j * 10, msg)

    # ---- the day loop --------------------------------------------------------------------
    def run(self) -> None:
        ctx, ch = self.ctx, self.ch
        start_wd = ctx.start.weekday()
        day0 = ctx.start_epoch
        add_ptr = 0
        leaves: list[tuple[float, int]] = []
        active_w = 0
        members = self.members
        for d in range(0, ctx.today_d + 1):
            if ch.archive_d is not None and d >= ch.archive_d:
                break
            while add_ptr < len(members) and members[add_ptr][0] < d:
                p = self.people[members[add_ptr][1]]
                self.tickets.extend([p.k] * p.weight)
                active_w += p.weight
                heapq.heappush(leaves, (min(p.leave_t, p.slack_deleted_t), p.weight))
                add_ptr += 1
            while leaves and leaves[0][0] <= d:
                active_w -= heapq.heappop(leaves)[1]
            r = rng(ctx.seed, "slack", ch.key, d)
            j = 0
            day_sec = day0 + d * DAY
            # joins (and introductions) of people who join the channel today
            i = add_ptr
            while i < len(members) and members[i][0] < d + 1:
                t, k = members[i]
                p = self.people[k]
                sec = day_sec + min(DAY - 600, int((t - d) * DAY))
                self._push(
                    sec,
                    (d % 10) * 100000 + j * 10,
                    {
                        "type": "message",
                        "subtype": "channel_join",
                        "user": p.slack_id,
                        "text": f"<@{p.slack_id}> has joined the channel",
                    },
                )
                j += 1
                if ch.kind == "intro" and r.random() < 0.45 and j < 9999:
                    city = CITIES[p.city][0]
                    text = fill(r.choice(INTROS), r, first=p.first, city=city, title=p.title)
                    self._post(r, d, j, p, sec + 30 + int(r.random() * 500), text, "intro")
                    j += 1
                i += 1
            season = SEASON[(start_wd + d) % 7]
            if ch.kind in ("chat", "help", "events"):
                n = poisson(r, ch.rate * active_w * season * (1 + 0.1 * (r.random() - 0.5)))
                for _ in range(min(n, 9990 - j)):
                    p = self._pick(r, d)
                    if p is None:
                        break
                    sec = day_sec + _sample_hour(r, CITIES[p.city][4])
                    if ch.kind == "help":
                        text = fill(r.choice(QUESTIONS), r)
                    else:
                        text = fill(r.choice(CHATTER), r, city=CITIES[p.city][0])
                    self._post(r, d, j, p, sec, text, ch.kind)
                    j += 1
            if ch.kind == "events":
                for ev in self.events_by_day.get(d, []):
                    sec = day_sec + min(DAY - 1, int((ev.created_t - d) * DAY) + 120)
                    self._bot_post(r, j, d, sec, 1, f"New event: {ev.name} — register on Luma")
                    j += 1
            if ch.is_general and (start_wd + d) % 7 == 1:
                self._bot_post(
                    r,
                    j,
                    d,
                    day_sec + 15 * 3600 + int(r.random() * 3600),
                    0,
                    f"Release v1.{d // 7}.0 published",
                )
                j += 1
            if ch.kind == "announce" and (start_wd + d) % 7 in (0, 3) and self.staff:
                p = self.people[self.staff[d % len(self.staff)]]
                self._post(
                    r,
                    d,
                    j,
                    p,
                    day_sec + 14 * 3600 + int(r.random() * 7200),
                    "Announcement: " + fill(r.choice(CHATTER), r, city="our HQ"),
                    "chat",
                )
                j += 1
            self._flush(day0 + (d + 1) * DAY)
        self._flush(self.cutoff)

    def _flush(self, until_sec: int) -> None:
        limit = f"{until_sec}.000000"
        w = self.writer
        heap = self.heap
        while heap and heap[0][0] < limit:
            _, obj = heapq.heappop(heap)
            obj["_channel"] = self.cid
            for rx in obj.get("reactions", ()):
                self.stats["reactions"] += rx["count"]
            w.write(_ordered(obj))


_ORDER = [
    "type",
    "subtype",
    "text",
    "user",
    "bot_id",
    "username",
    "ts",
    "client_msg_id",
    "team",
    "edited",
    "thread_ts",
    "reply_count",
    "reply_users_count",
    "latest_reply",
    "reply_users",
    "is_locked",
    "subscribed",
    "parent_user_id",
    "reactions",
    "_channel",
]


def _ordered(obj: dict) -> dict:
    return {k: obj[k] for k in _ORDER if k in obj}


def write_messages(ctx: Ctx, out: Path, events: list[Event]) -> dict:
    by_day: dict[int, list[Event]] = {}
    for ev in events:
        by_day.setdefault(int(ev.created_t // 1), []).append(ev)
    stats = {"reactions": 0}
    with JsonlWriter(out / "slack" / "messages.jsonl") as w:
        for ch in sorted(CHANNELS, key=channel_id):
            _ChannelGen(ctx, ch, by_day, w, stats).run()
        stats["messages"] = w.count
    return stats


# ---- users and channels ----------------------------------------------------------------
def _profile(
    real: str,
    display: str,
    title: str,
    email: str | None,
    first: str,
    last: str,
    bot: str | None,
    team: str,
    avatar: str,
) -> dict:
    prof = {
        "title": title,
        "phone": "",
        "skype": "",
        "real_name": real,
        "real_name_normalized": real,
        "display_name": display,
        "display_name_normalized": display,
        "fields": None,
        "status_text": "",
        "status_emoji": "",
        "status_expiration": 0,
        "avatar_hash": avatar,
    }
    if email:
        prof["email"] = email
    if bot:
        prof["bot_id"] = bot
        prof["api_app_id"] = "A" + bot[1:]
        prof["always_active"] = False
    prof["first_name"] = first
    prof["last_name"] = last
    prof["image_72"] = f"https://avatars.slack-edge.com/{avatar}_72.png"
    prof["team"] = team
    return prof


def _user(
    uid: str,
    team: str,
    name: str,
    deleted: bool,
    real: str,
    tz: tuple,
    profile: dict,
    admin: bool,
    owner: bool,
    restricted: int,
    is_bot: bool,
    updated: int,
) -> dict:
    return {
        "id": uid,
        "team_id": team,
        "name": name,
        "deleted": deleted,
        "color": "9f69e7",
        "real_name": real,
        "tz": tz[0],
        "tz_label": tz[1],
        "tz_offset": tz[2],
        "profile": profile,
        "is_admin": admin,
        "is_owner": owner,
        "is_primary_owner": False,
        "is_restricted": restricted > 0,
        "is_ultra_restricted": restricted == 2,
        "is_bot": is_bot,
        "is_app_user": False,
        "updated": updated,
        "is_email_confirmed": bool(profile.get("email")),
        "who_can_share_contact_card": "EVERYONE",
    }


def slack_users(ctx: Ctx) -> list[tuple[dict, str]]:
    """(users.list member, person_id) for every account that exists at `today`."""
    team = ctx.pop.team_id
    la = ("America/Los_Angeles", "Pacific Standard Time", -28800)
    out = [
        (
            _user(
                "USLACKBOT",
                team,
                "slackbot",
                False,
                "Slackbot",
                la,
                _profile(
                    "Slackbot", "Slackbot", "", None, "slackbot", "", None, team, "sv41d8cd98f0"
                ),
                False,
                False,
                0,
                False,
                0,
            ),
            "bot:slack:USLACKBOT",
        )
    ]
    for i, (_key, name, real, _app, deleted) in enumerate(BOTS):
        uid = bot_user_id(i)
        prof = _profile(real, "", "", None, real, "", bot_id(i), team, code36(i, 12).lower())
        out.append(
            (
                _user(
                    uid,
                    team,
                    name,
                    deleted,
                    real,
                    la,
                    prof,
                    False,
                    False,
                    0,
                    True,
                    int(ctx.start_epoch - 300 * DAY + i * 3600),
                ),
                f"bot:slack:{uid}",
            )
        )
    cutoff = ctx.cutoff_t
    joined = [p for p in ctx.pop.people if p.slack_t < cutoff]
    # Handles are handed out in join order, as Slack does: a member who joins later never
    # renames an earlier one, so a user's `name` only changes with its `updated` stamp.
    handles: dict[int, str] = {}
    taken: set[str] = set()
    for p in sorted(joined, key=lambda p: (p.slack_t, p.k)):
        first = p.alt_first if p.k % 5 == 0 else p.first
        base = ascii_fold(first.split("-")[0] + p.last[:1]) or "user"
        handle, n = base, 1
        while handle in taken:
            n += 1
            handle = f"{base}{n}"
        taken.add(handle)
        handles[p.k] = handle
    for p in joined:
        c = CITIES[p.city]
        first = p.alt_first if p.k % 5 == 0 else p.first
        real = f"{first} {p.last}"
        handle = handles[p.k]
        deleted = p.slack_deleted_t < cutoff
        updated_t = p.slack_deleted_t if deleted else p.slack_t
        display = "" if p.k % 3 == 0 else first.lower()
        prof = _profile(
            real,
            display,
            p.title,
            p.slack_email,
            first,
            p.last,
            None,
            team,
            code36(p.k, 12, 7, 3).lower(),
        )
        out.append(
            (
                _user(
                    p.slack_id,
                    team,
                    handle,
                    deleted,
                    real,
                    (c[2], c[3], c[4]),
                    prof,
                    p.slack_admin,
                    p.k == 0,
                    p.slack_guest,
                    False,
                    int(ctx.epoch(updated_t)),
                ),
                p.pid,
            )
        )
    return out


def slack_channels(ctx: Ctx) -> list[dict]:
    cutoff = ctx.cutoff_t
    creator = ctx.pop.people[0].slack_id
    out = []
    for ch in sorted(CHANNELS, key=channel_id):
        members = [
            p.slack_id
            for p in ctx.pop.people
            if p.channels.get(ch.key, INF) < cutoff and p.slack_deleted_t >= cutoff
        ]
        created = int(ctx.epoch(ch.created_d))
        archived = ch.archive_d is not None and ch.archive_d < cutoff
        out.append(
            {
                "id": channel_id(ch),
                "name": ch.name,
                "is_channel": not ch.is_private,
                "is_group": ch.is_private,
                "is_im": False,
                "is_mpim": False,
                "is_private": ch.is_private,
                "created": created,
                "is_archived": archived,
                "is_general": ch.is_general,
                "unlinked": 0,
                "name_normalized": ch.name,
                "is_shared": False,
                "is_org_shared": False,
                "is_pending_ext_shared": False,
                "pending_shared": [],
                "context_team_id": ctx.pop.team_id,
                "updated": int(ctx.epoch(ch.archive_d)) * 1000 if archived else created * 1000,
                "parent_conversation": None,
                "creator": creator,
                "is_ext_shared": False,
                "shared_team_ids": [ctx.pop.team_id],
                "pending_connected_team_ids": [],
                "is_member": True,
                "topic": {"value": "", "creator": "", "last_set": 0},
                "purpose": {"value": ch.purpose, "creator": creator, "last_set": created},
                "previous_names": [],
                "num_members": len(members),
                "_members": members,
            }
        )
    return out
