"""Discourse (`/discourse/...`), as a login-required forum seen with an admin API key.

Routes: /latest.json, /t/{id}.json, /t/{id}/posts.json, /posts.json, /categories.json,
/site.json, /admin/users/list/{active|all|new|staff}.json, /post_action_users.json,
/u/{username}.json.

`more_topics_url` is a site path without `.json` that includes the subfolder the forum is
served under, as Discourse builds it with Rails path helpers under a subfolder install:
`/discourse/latest?no_definitions=true&page=1`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ingestion.sample.server.store import Row, read_rows
from ingestion.sample.server.wire import Request, Response, dumps, json_response, raw_json_list

TOPICS_PER_PAGE = 30
POSTS_CHUNK = 20
LATEST_POSTS = 50
USERS_PER_PAGE = 100
LIKERS_PER_PAGE = 200
SUBFOLDER = "/discourse"

NOT_FOUND = {
    "errors": ["The requested URL or resource could not be found."],
    "error_type": "not_found",
}
NOT_PERMITTED = {
    "errors": ["You are not permitted to view the requested resource."],
    "error_type": "invalid_access",
}
BAD_KEY = {
    "errors": [
        "You are not permitted to view the requested resource. The API username or key is invalid."
    ],
    "error_type": "invalid_access",
}

_TOPIC = re.compile(r"^/t/(?:[^/]+/)?(\d+)\.json$")
_TOPIC_POSTS = re.compile(r"^/t/(\d+)/posts\.json$")
_USER = re.compile(r"^/u/([^/]+)\.json$")
_ADMIN_USERS = re.compile(r"^/admin/users/list/(\w+)\.json$")


def _user_summary(user: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": user.get("id"),
        "username": user.get("username"),
        "name": user.get("name"),
        "avatar_template": user.get("avatar_template"),
        "trust_level": user.get("trust_level"),
    }


class DiscourseApi:
    prefix = "/discourse"

    def __init__(self, root: Path, api_key: str, api_username: str) -> None:
        self.api_key, self.api_username = api_key, api_username
        base = root / "discourse"
        self.users = read_rows(base / "users.jsonl")
        self.categories = read_rows(base / "categories.jsonl")
        self.topics = read_rows(
            base / "topics.jsonl",
            keep=lambda o: {
                k: o.get(k)
                for k in (
                    "id",
                    "title",
                    "slug",
                    "category_id",
                    "bumped_at",
                    "posters",
                    "_accepted_post_id",
                    "accepted_answer",
                )
                if k in o
            },
        )
        self.posts = read_rows(
            base / "posts.jsonl",
            keep=lambda o: {
                k: o.get(k)
                for k in (
                    "id",
                    "topic_id",
                    "post_number",
                    "post_type",
                    "deleted_at",
                    "_likers",
                    "topic_title",
                )
                if k in o
            },
        )
        self.user_by_id = {r.obj["id"]: r.obj for r in self.users}
        self.user_by_name = {str(r.obj.get("username", "")).lower(): r for r in self.users}
        self.users_sorted = sorted(
            self.users,
            key=lambda r: (str(r.obj.get("created_at") or ""), r.obj["id"]),
            reverse=True,
        )
        self.topic_by_id = {r.obj["id"]: r for r in self.topics}
        self.latest = sorted(
            self.topics,
            key=lambda r: (str(r.obj.get("bumped_at") or ""), r.obj["id"]),
            reverse=True,
        )
        self.post_by_id = {r.obj["id"]: r for r in self.posts}
        self.posts_by_topic: dict[int, list[Row]] = {}
        for r in self.posts:
            self.posts_by_topic.setdefault(r.obj["topic_id"], []).append(r)
        for rows in self.posts_by_topic.values():
            rows.sort(key=lambda r: (r.obj.get("post_number") or 0, r.obj["id"]))
        self.regular_posts = sorted(
            (r for r in self.posts if r.obj.get("post_type") == 1 and not r.obj.get("deleted_at")),
            key=lambda r: r.obj["id"],
        )
        self.regular_ids = [r.obj["id"] for r in self.regular_posts]

    def close(self) -> None:
        pass

    def handle(self, req: Request) -> Response:
        path = req.path
        key, username = req.headers.get("api-key"), req.headers.get("api-username")
        if not key:
            return json_response(403, NOT_PERMITTED, path)
        if key != self.api_key or (username or "") != self.api_username:
            return json_response(403, BAD_KEY, path)
        if path in ("/latest.json", "/latest"):
            return self.latest_topics(req)
        if path == "/categories.json":
            return self.categories_list(req)
        if path == "/site.json":
            return self.site(req)
        if path == "/posts.json":
            return self.latest_posts(req)
        if path == "/post_action_users.json":
            return self.post_action_users(req)
        if m := _TOPIC_POSTS.match(path):
            return self.topic_posts(req, int(m.group(1)))
        if m := _TOPIC.match(path):
            return self.topic(int(m.group(1)))
        if m := _ADMIN_USERS.match(path):
            return self.admin_users(req, m.group(1))
        if m := _USER.match(path):
            return self.user(m.group(1))
        return json_response(404, NOT_FOUND, "not_found")

    # -- topics ----------------------------------------------------------------------
    def latest_topics(self, req: Request) -> Response:
        route = "/latest.json"
        page = max(req.int_arg("page", 0), 0)
        start = page * TOPICS_PER_PAGE
        rows = self.latest[start : start + TOPICS_PER_PAGE]
        user_ids: list[int] = []
        for r in rows:
            for poster in r.obj.get("posters") or []:
                uid = poster.get("user_id") if isinstance(poster, dict) else None
                if uid is not None and uid not in user_ids:
                    user_ids.append(uid)
        users = [_user_summary(self.user_by_id[u]) for u in user_ids if u in self.user_by_id]
        topic_list: dict[str, Any] = {"can_create_topic": True}
        if start + TOPICS_PER_PAGE < len(self.latest):
            topic_list["more_topics_url"] = (
                f"{SUBFOLDER}/latest?no_definitions=true&page={page + 1}"
            )
        topic_list["per_page"] = TOPICS_PER_PAGE
        topic_list["top_tags"] = []
        head = dumps({"users": users, "primary_groups": [], "flair_groups": []})[:-1]
        body = (
            head
            + b',"topic_list":'
            + dumps(topic_list)[:-1]
            + b',"topics":'
            + raw_json_list([r.raw for r in rows])
            + b"}}"
        )
        return Response(200, body, {}, route)

    def _accepted_answer(self, topic: dict[str, Any]) -> dict[str, Any] | None:
        post_id = topic.get("_accepted_post_id")
        post = self.post_by_id.get(post_id) if post_id is not None else None
        if post is None:
            return None
        p = json.loads(post.raw)
        excerpt = str(p.get("cooked") or p.get("raw") or "")[:200]
        return {
            "post_number": p.get("post_number"),
            "username": p.get("username"),
            "excerpt": excerpt,
            "name": p.get("name"),
        }

    def topic(self, topic_id: int) -> Response:
        route = "/t/{id}.json"
        row = self.topic_by_id.get(topic_id)
        if row is None:
            return json_response(404, NOT_FOUND, route)
        posts = self.posts_by_topic.get(topic_id, [])
        stream = [r.obj["id"] for r in posts]
        post_stream = (
            b'{"posts":'
            + raw_json_list([r.raw for r in posts[:POSTS_CHUNK]])
            + b',"stream":'
            + dumps(stream)
            + b"}"
        )
        extra = b""
        if "accepted_answer" not in row.obj:
            accepted = self._accepted_answer(row.obj)
            if accepted is not None:
                extra = b',"accepted_answer":' + dumps(accepted)
        body = row.raw[:-1] + extra + b',"post_stream":' + post_stream + b"}"
        return Response(200, body, {}, route)

    def topic_posts(self, req: Request, topic_id: int) -> Response:
        route = "/t/{id}/posts.json"
        if topic_id not in self.topic_by_id:
            return json_response(404, NOT_FOUND, route)
        wanted = set()
        for value in req.args("post_ids[]") + req.args("post_ids"):
            if value.isdigit():
                wanted.add(int(value))
        rows = [r for r in self.posts_by_topic.get(topic_id, []) if r.obj["id"] in wanted]
        body = (
            b'{"post_stream":{"posts":'
            + raw_json_list([r.raw for r in rows])
            + b'},"id":'
            + str(topic_id).encode()
            + b"}"
        )
        return Response(200, body, {}, route)

    def latest_posts(self, req: Request) -> Response:
        """Latest regular, undeleted posts with id <= before (inclusive), newest first."""
        import bisect

        route = "/posts.json"
        before = req.arg("before")
        end = len(self.regular_ids)
        if before not in (None, "") and before.isdigit():
            end = bisect.bisect_right(self.regular_ids, int(before))
        rows = self.regular_posts[max(0, end - LATEST_POSTS) : end][::-1]
        items = []
        for r in rows:
            topic = self.topic_by_id.get(r.obj["topic_id"])
            t = topic.obj if topic else {}
            extra = dumps(
                {
                    "topic_title": t.get("title"),
                    "topic_slug": t.get("slug"),
                    "category_id": t.get("category_id"),
                }
            )
            items.append(r.raw[:-1] + b"," + extra[1:] if "topic_title" not in r.obj else r.raw)
        return Response(200, b'{"latest_posts":' + raw_json_list(items) + b"}", {}, route)

    # -- categories ----------------------------------------------------------------------
    def categories_list(self, req: Request) -> Response:
        route = "/categories.json"
        include_sub = (req.arg("include_subcategories") or "").lower() == "true"
        children: dict[Any, list[Row]] = {}
        for r in self.categories:
            parent = r.obj.get("parent_category_id")
            if parent is not None:
                children.setdefault(parent, []).append(r)
        items = []
        for r in self.categories:
            if r.obj.get("parent_category_id") is not None:
                continue
            subs = children.get(r.obj["id"], [])
            extra: dict[str, Any] = {}
            if "subcategory_ids" not in r.obj:
                extra["subcategory_ids"] = [s.obj["id"] for s in subs]
            raw = r.raw
            if extra:
                raw = raw[:-1] + b"," + dumps(extra)[1:]
            if include_sub:
                raw = (
                    raw[:-1] + b',"subcategory_list":' + raw_json_list([s.raw for s in subs]) + b"}"
                )
            items.append(raw)
        body = (
            b'{"category_list":{"can_create_category":true,"can_create_topic":true,'
            b'"categories":' + raw_json_list(items) + b"}}"
        )
        return Response(200, body, {}, route)

    def site(self, req: Request) -> Response:
        body = b'{"categories":' + raw_json_list([r.raw for r in self.categories]) + b"}"
        return Response(200, body, {}, "/site.json")

    # -- users --------------------------------------------------------------------------
    def admin_users(self, req: Request, flag: str) -> Response:
        route = "/admin/users/list/{flag}.json"
        if flag not in ("active", "all", "new", "staff", "suspended", "blocked", "staged"):
            return json_response(404, NOT_FOUND, route)
        # AdminUserIndexQuery: page = params[:page].to_i - 1, never below 0.
        page = max(req.int_arg("page", 1) - 1, 0)
        show_emails = (req.arg("show_emails") or "").lower() == "true"
        rows = self.users_sorted[page * USERS_PER_PAGE : (page + 1) * USERS_PER_PAGE]
        items = [
            r.raw
            if show_emails
            else dumps(
                {
                    k: v
                    for k, v in r.obj.items()
                    if k not in ("email", "secondary_emails") and not k.startswith("_")
                }
            )
            for r in rows
        ]
        return Response(200, raw_json_list(items), {}, route)

    def user(self, username: str) -> Response:
        route = "/u/{username}.json"
        row = self.user_by_name.get(username.lower())
        if row is None:
            return json_response(404, NOT_FOUND, route)
        return Response(200, b'{"user_badges":[],"user":' + row.raw + b"}", {}, route)

    def post_action_users(self, req: Request) -> Response:
        route = "/post_action_users.json"
        post_id = req.int_arg("id", -1)
        post = self.post_by_id.get(post_id)
        if post is None:
            return json_response(404, NOT_FOUND, route)
        action_type = req.int_arg("post_action_type_id", 2)
        likers = post.obj.get("_likers") or [] if action_type == 2 else []
        users = []
        for liker in likers:
            if isinstance(liker, dict):
                user = {**self.user_by_id.get(liker.get("id"), {}), **liker}
            elif isinstance(liker, int):
                user = self.user_by_id.get(liker, {"id": liker})
            else:
                found = self.user_by_name.get(str(liker).lower())
                user = found.obj if found else {"username": liker}
            summary = _user_summary(user)
            summary["username_lower"] = str(summary.get("username") or "").lower()
            summary["post_url"] = None
            if isinstance(liker, dict) and "created_at" in liker:
                summary["created_at"] = liker["created_at"]
            users.append(summary)
        page = max(req.int_arg("page", 0), 0)
        limit = min(max(req.int_arg("limit", LIKERS_PER_PAGE), 1), LIKERS_PER_PAGE)
        body = {
            "post_action_users": users[page * limit : (page + 1) * limit],
            "total_rows_post_action_users": len(users),
        }
        return json_response(200, body, route)
