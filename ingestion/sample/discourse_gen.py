"""Discourse: admin users list, categories, latest.json topics and /t/{id}.json posts.

Each day's topics (with their whole future: replies, likes, accepted answers, closes,
deletions) come from that day's RNG stream; `today` shows what happened before the cutoff.
Topic and post ids are ranks by creation time, so later days only append ids.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from pathlib import Path

from .context import Ctx
from .population import CITIES, INF, Person, ascii_fold
from .texts import ANSWERS, CHATTER, QUESTIONS, fill
from .util import DAY, JsonlWriter, iso_ms, poisson, rng

SEASON = [1.0, 1.08, 1.08, 1.0, 0.85, 0.4, 0.35]
TOPIC_RATE = 0.0016  # topics per unit of member weight per day

# id, name, slug, color, parent, kind, share of new topics, read_restricted
CATEGORIES = [
    (1, "Uncategorized", "uncategorized", "0088CC", None, "chat", 0.02, False),
    (2, "Site Feedback", "site-feedback", "808281", None, "chat", 0.05, False),
    (3, "Staff", "staff", "E45735", None, "staff", 0.0, True),
    (4, "Lounge", "lounge", "A461EF", None, "chat", 0.15, False),
    (5, "Support", "support", "0E76BD", None, "support", 0.43, False),
    (6, "Announcements", "announcements", "F7941D", None, "announce", 0.0, False),
    (7, "Show and Tell", "show-and-tell", "3AB54A", None, "chat", 0.12, False),
    (8, "Events", "events", "BF1E2E", None, "chat", 0.08, False),
    (9, "Installation", "installation", "12A89D", 5, "support", 0.15, False),
]
SYSTEM = {"id": -1, "username": "system", "name": "system"}
DISCOBOT = {"id": -2, "username": "discobot", "name": "discobot"}


@dataclass
class Post:
    t: float  # created (days from start)
    author: Person | None  # None: system
    raw: str
    post_type: int = 1
    reply_to: int = -1  # index into topic posts
    deleted_t: float = INF
    edited_t: float = INF
    likes: list = field(default_factory=list)  # [(t, Person)]
    action_code: str | None = None
    id: int = 0
    number: int = 0


@dataclass
class Topic:
    t: float
    author: Person
    title: str
    category: int
    posts: list
    accepted: int = -1  # index of accepted post
    accepted_t: float = INF
    closed_t: float = INF
    id: int = 0


def _slug(title: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", title.lower())).strip("-")[:80] or "topic"


def _roster_day(ctx: Ctx, d: int, r, roster, staff) -> list[Topic]:
    tickets, active_w = roster
    people = ctx.pop.people

    def pick(exclude: int = -1) -> Person | None:
        if not tickets:
            return None
        for _ in range(12):
            p = people[tickets[int(r.random() * len(tickets))]]
            if p.k != exclude and p.leave_t > d + 1 and p.discourse_suspended_t > d + 1:
                return p
        return None

    topics = []
    season = SEASON[(ctx.start.weekday() + d) % 7]
    n = poisson(r, TOPIC_RATE * active_w * season)
    cats = [c for c in CATEGORIES if c[6] > 0]
    for _ in range(n):
        author = pick()
        if author is None:
            break
        x = r.random() * sum(c[6] for c in cats)
        cat = cats[-1]
        for c in cats:
            x -= c[6]
            if x < 0:
                cat = c
                break
        t = d + r.random()
        topics.append(_topic(r, t, author, cat, pick, staff))
    if (ctx.start.weekday() + d) % 7 == 2 and staff:  # weekly staff announcement
        author = staff[d % len(staff)]
        topics.append(_topic(r, d + 0.6 + r.random() * 0.1, author, CATEGORIES[5], pick, staff))
    if d % 30 == 5 and len(staff) > 1:
        topics.append(_topic(r, d + 0.4, staff[1], CATEGORIES[2], pick, staff))
    return topics


def _topic(r, t: float, author: Person, cat, pick, staff) -> Topic:
    kind = cat[5]
    if kind == "support":
        title = fill(r.choice(QUESTIONS), r)
        n = 1 + min(10, poisson(r, 1.6)) if r.random() < 0.8 else 0
    elif kind == "announce":
        title = "Announcing: " + fill("new docs for {thing} in {tool}", r)
        n = poisson(r, 2.0)
    else:
        title = fill(r.choice(CHATTER), r, city=CITIES[author.city][0])
        n = poisson(r, 1.5)
    posts = [Post(t, author, f"{title}\n\nDetails: " + fill(r.choice(CHATTER), r, city="here"))]
    tt = t
    for i in range(n):
        tt += r.lognormvariate(0.5, 1.4) / 24  # hours
        if tt - t > 30:
            break
        if i == 0 and kind == "support" and staff and r.random() < 0.3:
            who = r.choice(staff)
        elif i > 0 and r.random() < 0.25:
            who = author
        else:
            who = pick(author.k if i == 0 else -1)
        if who is None:
            continue
        post = Post(tt, who, fill(r.choice(ANSWERS), r))
        if len(posts) > 1 and r.random() < 0.3:
            post.reply_to = 1 + int(r.random() * (len(posts) - 1))
        if r.random() < 0.015:
            post.deleted_t = tt + 0.01 + r.random() * 3
        if r.random() < 0.1:
            post.edited_t = tt + 0.01 + r.random() * 2
        posts.append(post)
    for post in posts:
        for _ in range(poisson(r, 1.2 if post is posts[0] else 0.7)):
            who = pick(post.author.k)
            if who is not None and all(w is not who for _, w in post.likes):
                post.likes.append((post.t + r.lognormvariate(1.0, 1.5) / 24, who))
        post.likes.sort(key=lambda x: (x[0], x[1].k))
    topic = Topic(t, author, title, cat[0], posts)
    if kind == "support":
        answers = [
            i
            for i, p in enumerate(posts)
            if i > 0 and p.author is not author and p.deleted_t == INF
        ]
        if answers and r.random() < 0.6:
            topic.accepted = answers[0] if r.random() < 0.7 else answers[-1]
            topic.accepted_t = posts[topic.accepted].t + 0.05 + r.random() * 4
    if r.random() < 0.08 and staff:
        topic.closed_t = posts[-1].t + 3 + r.random() * 5
        closer = r.choice(staff)
        posts.append(Post(topic.closed_t, closer, "", post_type=3, action_code="closed.enabled"))
    return topic


def build_topics(ctx: Ctx) -> list[Topic]:
    """Every topic created before the cutoff, with ids and post numbers assigned."""
    people = ctx.pop.people
    members = sorted((p.discourse_t, p.k) for p in people if p.discourse_t < ctx.cutoff_t)
    staff = [p for p in people if p.is_staff and p.discourse_t < INF]
    tickets: list[int] = []
    active = [0]
    leaves: list = []
    ptr = 0
    topics: list[Topic] = []
    for d in range(ctx.today_d + 1):
        while ptr < len(members) and members[ptr][0] < d:
            p = people[members[ptr][1]]
            w = p.weight if not p.discourse_staged else 1
            tickets.extend([p.k] * w)
            active[0] += w
            heapq.heappush(leaves, (min(p.leave_t, p.discourse_suspended_t), w))
            ptr += 1
        while leaves and leaves[0][0] <= d:
            active[0] -= heapq.heappop(leaves)[1]
        r = rng(ctx.seed, "discourse", d)
        day_staff = [s for s in staff if s.discourse_t < d]
        topics.extend(_roster_day(ctx, d, r, (tickets, active[0]), day_staff))
    cutoff = ctx.cutoff_t
    topics = [tp for tp in topics if tp.t < cutoff]
    topics.sort(key=lambda tp: (tp.t, tp.author.k))
    all_posts = []
    for ti, tp in enumerate(topics):
        tp.id = ti + 10
        vis = [p for p in tp.posts if p.t < cutoff]
        vis.sort(key=lambda p: p.t)
        for n, p in enumerate(vis, start=1):
            p.number = n
            all_posts.append((p.t, tp.id, n, p))
        tp.posts = [p for p in tp.posts if p.t < cutoff]
    all_posts.sort(key=lambda x: (x[0], x[1], x[2]))
    for i, (_t, _tid, _n, p) in enumerate(all_posts):
        p.id = i + 1
    return topics


def discourse_user_ids(ctx: Ctx) -> dict[int, int]:
    """person k -> Discourse user id (rank of sign-up time)."""
    accts = sorted((p.discourse_t, p.k) for p in ctx.pop.people if p.discourse_t < ctx.cutoff_t)
    return {k: i + 1 for i, (_t, k) in enumerate(accts)}


def _username(p: Person, used: set[str]) -> str:
    first = p.alt_first if p.k % 7 == 3 else p.first
    base = f"{ascii_fold(first)}_{ascii_fold(p.last)}"[:20] if p.k % 2 else ascii_fold(first)[:20]
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base}{n}"
    used.add(name.lower())
    return name


def write_discourse(ctx: Ctx, out: Path) -> dict:
    topics = build_topics(ctx)
    uids = discourse_user_ids(ctx)
    people = ctx.pop.people
    cutoff = ctx.cutoff_t
    used: set[str] = {"system", "discobot"}
    usernames: dict[int, str] = {}
    for k in sorted(uids, key=lambda k: uids[k]):
        usernames[k] = _username(people[k], used)
    stats = {"topics": 0, "posts": 0}
    last_seen: dict[int, float] = {}
    post_count: dict[int, int] = {}
    cat_topics: dict[int, int] = {}
    cat_posts: dict[int, int] = {}

    def seen(p: Person | None, t: float) -> None:
        if p is not None and t < cutoff and t > last_seen.get(p.k, -INF):
            last_seen[p.k] = t

    post_lines = []
    with JsonlWriter(out / "discourse" / "topics.jsonl") as tw:
        for tp in topics:
            tw.write(_topic_obj(ctx, tp, usernames, uids))
            cat_topics[tp.category] = cat_topics.get(tp.category, 0) + 1
            for p in tp.posts:
                post_lines.append((p.id, tp, p))
                seen(p.author, p.t)
                for lt, who in p.likes:
                    seen(who, lt)
                if p.post_type == 1:
                    if p.deleted_t >= cutoff:
                        cat_posts[tp.category] = cat_posts.get(tp.category, 0) + 1
                    if p.author is not None:
                        post_count[p.author.k] = post_count.get(p.author.k, 0) + 1
        stats["topics"] = tw.count
    post_lines.sort(key=lambda x: x[0])
    with JsonlWriter(out / "discourse" / "posts.jsonl") as pw:
        for _id, tp, p in post_lines:
            pw.write(_post_obj(ctx, tp, p, usernames, uids))
            if p.post_type == 1:
                stats["posts"] += 1
    with JsonlWriter(out / "discourse" / "categories.jsonl") as cw:
        for c in CATEGORIES:
            cw.write(_category_obj(c, cat_topics.get(c[0], 0), cat_posts.get(c[0], 0)))
        stats["categories"] = cw.count
    accounts = []
    with JsonlWriter(out / "discourse" / "users.jsonl") as uw:
        for bot in (SYSTEM, DISCOBOT):
            uw.write(_bot_user(ctx, bot))
            accounts.append((str(bot["id"]), f"bot:discourse:{bot['username']}"))
        for k in sorted(uids, key=lambda k: uids[k]):
            p = people[k]
            uw.write(
                _user_obj(ctx, p, uids[k], usernames[k], last_seen.get(k), post_count.get(k, 0))
            )
            accounts.append((str(uids[k]), p.pid))
        stats["users"] = uw.count
    stats["_accounts"] = accounts
    stats["_topics"] = topics
    return stats


def _bot_user(ctx: Ctx, bot: dict) -> dict:
    created = iso_ms(ctx.epoch(-420))
    return {
        "id": bot["id"],
        "username": bot["username"],
        "name": bot["name"],
        "avatar_template": f"/user_avatar/forum/{bot['username']}/{{size}}/1_2.png",
        "email": f"no_email_{bot['username']}",
        "secondary_emails": [],
        "active": True,
        "admin": True,
        "moderator": True,
        "last_seen_at": None,
        "last_emailed_at": None,
        "created_at": created,
        "trust_level": 4,
        "manual_locked_trust_level": None,
        "flag_level": 0,
        "title": None,
        "time_read": 0,
        "staged": False,
        "days_visited": 0,
        "posts_read_count": 0,
        "topics_entered": 0,
        "post_count": 0,
        "location": None,
        "suspended_at": None,
        "suspended_till": None,
        "silenced_till": None,
    }


def _location(p: Person) -> str | None:
    c = CITIES[p.city]
    style = p.k % 6
    if style in (0, 1):
        return None
    if style == 2:
        return c[0]
    if style == 3:
        return f"{c[0]}, {c[1]}"
    if style == 4:
        return c[0].lower()
    return c[1]


def _user_obj(
    ctx: Ctx, p: Person, uid: int, username: str, last_seen: float | None, posts: int
) -> dict:
    cutoff = ctx.cutoff_t
    first = p.alt_first if p.k % 7 == 3 else p.first
    tl = 0 if posts == 0 else 1 if posts < 5 else 2 if posts < 30 else 3
    suspended = p.discourse_suspended_t < cutoff
    days_visited = min(int(cutoff - p.discourse_t) + 1, posts * 2 + 1)
    return {
        "id": uid,
        "username": username,
        "name": f"{first} {p.last}",
        "avatar_template": f"/user_avatar/forum/{username.lower()}/{{size}}/{uid}_2.png",
        "email": p.discourse_email,
        "secondary_emails": [],
        "active": not p.discourse_staged,
        "admin": p.is_staff and p.k < 2,
        "moderator": p.is_staff and p.k >= 2,
        "last_seen_at": iso_ms(ctx.epoch(last_seen))
        if last_seen is not None and not p.discourse_staged
        else None,
        "last_emailed_at": None,
        "created_at": iso_ms(ctx.epoch(p.discourse_t)),
        "trust_level": 4 if p.is_staff else tl,
        "manual_locked_trust_level": None,
        "flag_level": 0,
        "title": p.title if p.is_staff else None,
        "time_read": posts * 600,
        "staged": p.discourse_staged,
        "days_visited": days_visited,
        "posts_read_count": posts * 7,
        "topics_entered": posts * 2,
        "post_count": posts,
        "location": _location(p),
        "suspended_at": iso_ms(ctx.epoch(p.discourse_suspended_t)) if suspended else None,
        "suspended_till": "3000-01-01T00:00:00.000Z" if suspended else None,
        "silenced_till": None,
    }


def _category_obj(c, topics: int, posts: int) -> dict:
    cid, name, slug, color, parent, _kind, _share, restricted = c
    obj = {
        "id": cid,
        "name": name,
        "color": color,
        "text_color": "FFFFFF",
        "slug": slug,
        "topic_count": topics,
        "post_count": posts,
        "position": cid,
        "description": f"<p>{name} discussions.</p>",
        "description_text": f"{name} discussions.",
        "description_excerpt": f"{name} discussions.",
        "topic_url": f"/t/about-the-{slug}-category/{cid}",
        "read_restricted": restricted,
        "permission": 1,
        "notification_level": 1,
        "can_edit": True,
        "topic_template": None,
        "has_children": cid == 5,
        "sort_order": None,
        "sort_ascending": None,
        "show_subcategory_list": False,
        "num_featured_topics": 3,
        "default_view": None,
        "subcategory_list_style": "rows_with_featured_topics",
        "default_top_period": "all",
        "default_list_filter": "all",
        "minimum_required_tags": 0,
        "navigate_to_first_post_after_read": False,
        "uploaded_logo": None,
        "uploaded_background": None,
    }
    if parent is not None:
        obj["parent_category_id"] = parent
    if cid == 5:
        obj["subcategory_ids"] = [9]
    return obj


def _uname(p: Person | None, usernames: dict[int, str]) -> str:
    return "system" if p is None else usernames[p.k]


def _uid(p: Person | None, uids: dict[int, int]) -> int:
    return -1 if p is None else uids[p.k]


def _topic_obj(ctx: Ctx, tp: Topic, usernames: dict, uids: dict) -> dict:
    cutoff = ctx.cutoff_t
    regular = [p for p in tp.posts if p.post_type == 1 and p.deleted_t >= cutoff]
    last = regular[-1] if regular else tp.posts[0]
    likes = sum(1 for p in regular for lt, _ in p.likes if lt < cutoff)
    accepted = tp.accepted >= 0 and tp.accepted_t < cutoff and tp.accepted < len(tp.posts)
    closed = tp.closed_t < cutoff
    age = cutoff - tp.t
    views = 3 + len(regular) * 4 + likes + int(min(age, 60) * 1.5)
    posters = [
        {
            "extras": None,
            "description": "Original Poster",
            "user_id": _uid(tp.author, uids),
            "primary_group_id": None,
            "flair_group_id": None,
        }
    ]
    seen = {tp.author.k}
    for p in regular[1:]:
        if p.author is not None and p.author.k not in seen and len(posters) < 5:
            seen.add(p.author.k)
            posters.append(
                {
                    "extras": None,
                    "description": "Frequent Poster",
                    "user_id": uids[p.author.k],
                    "primary_group_id": None,
                    "flair_group_id": None,
                }
            )
    if len(posters) > 1 or last.author is tp.author:
        posters[-1 if last.author is not tp.author else 0]["extras"] = "latest"
        if last.author is not tp.author:
            posters[-1]["description"] = "Most Recent Poster"
    return {
        "id": tp.id,
        "title": tp.title,
        "fancy_title": tp.title,
        "slug": _slug(tp.title),
        "posts_count": len(regular),
        "reply_count": max(0, len(regular) - 1),
        "highest_post_number": max(p.number for p in tp.posts),
        "image_url": None,
        "created_at": iso_ms(ctx.epoch(tp.t)),
        "last_posted_at": iso_ms(ctx.epoch(last.t)),
        "bumped": True,
        "bumped_at": iso_ms(ctx.epoch(last.t)),
        "archetype": "regular",
        "unseen": False,
        "pinned": False,
        "unpinned": None,
        "visible": True,
        "closed": closed,
        "archived": False,
        "bookmarked": None,
        "liked": None,
        "tags": [],
        "tags_descriptions": {},
        "views": views,
        "like_count": likes,
        "has_summary": False,
        "last_poster_username": _uname(last.author, usernames),
        "category_id": tp.category,
        "pinned_globally": False,
        "featured_link": None,
        "has_accepted_answer": accepted,
        "can_have_answer": tp.category in (5, 9) and not accepted,
        "posters": posters,
        "_accepted_post_id": tp.posts[tp.accepted].id if accepted else None,
    }


def _post_obj(ctx: Ctx, tp: Topic, p: Post, usernames: dict, uids: dict) -> dict:
    cutoff = ctx.cutoff_t
    people_first = p.author
    username = _uname(p.author, usernames)
    name = (
        None
        if p.author is None
        else (
            f"{people_first.alt_first if people_first.k % 7 == 3 else people_first.first} "
            f"{people_first.last}"
        )
    )
    likes = [(lt, w) for lt, w in p.likes if lt < cutoff]
    edited = p.edited_t < cutoff
    deleted = p.deleted_t < cutoff
    reply_to = tp.posts[p.reply_to] if p.reply_to >= 0 and p.reply_to < len(tp.posts) else None
    replies = sum(
        1
        for q in tp.posts
        if q.reply_to >= 0 and q.reply_to < len(tp.posts) and tp.posts[q.reply_to] is p
    )
    accepted = tp.accepted >= 0 and tp.accepted_t < cutoff and tp.posts[tp.accepted] is p
    staff = p.author is not None and p.author.is_staff
    obj = {
        "id": p.id,
        "name": name,
        "username": username,
        "avatar_template": f"/user_avatar/forum/{username.lower()}/{{size}}/1_2.png",
        "created_at": iso_ms(ctx.epoch(p.t)),
        "cooked": "" if p.post_type == 3 else "<p>" + p.raw.replace("\n\n", "</p>\n<p>") + "</p>",
        "raw": p.raw,
        "post_number": p.number,
        "post_type": p.post_type,
        "updated_at": iso_ms(ctx.epoch(p.edited_t if edited else p.t)),
        "reply_count": replies,
        "reply_to_post_number": reply_to.number if reply_to else None,
        "quote_count": 0,
        "incoming_link_count": 0,
        "reads": 1 + len(likes) * 3,
        "readers_count": len(likes) * 3,
        "score": len(likes) * 15.0 + 0.2,
        "yours": False,
        "topic_id": tp.id,
        "topic_slug": _slug(tp.title),
        "display_username": name,
        "primary_group_name": None,
        "flair_name": None,
        "version": 2 if edited else 1,
        "can_edit": True,
        "can_delete": True,
        "can_recover": deleted,
        "can_wiki": True,
        "user_title": None,
        "bookmarked": False,
        "actions_summary": [{"id": 2, "count": len(likes)}] if likes else [],
        "moderator": staff,
        "admin": staff and p.author.k < 2,
        "staff": staff,
        "user_id": _uid(p.author, uids),
        "hidden": False,
        "trust_level": 4 if staff else 1,
        "deleted_at": iso_ms(ctx.epoch(p.deleted_t)) if deleted else None,
        "user_deleted": False,
        "edit_reason": None,
        "can_view_edit_history": True,
        "wiki": False,
    }
    if p.action_code:
        obj["action_code"] = p.action_code
    obj["accepted_answer"] = accepted
    obj["can_accept_answer"] = False
    obj["can_unaccept_answer"] = False
    if reply_to is not None:
        ra = reply_to.author
        obj["reply_to_user"] = {
            "id": _uid(ra, uids),
            "username": _uname(ra, usernames),
            "name": None if ra is None else f"{ra.first} {ra.last}",
            "avatar_template": "/user_avatar/forum/x/{size}/1_2.png",
        }
    obj["_likers"] = [uids[w.k] for _, w in likes]
    obj["_liked_at"] = [iso_ms(ctx.epoch(lt)) for lt, _ in likes]
    return obj


def epoch_days(ctx: Ctx, t: float) -> int:
    return int(ctx.start_epoch + t * DAY)
