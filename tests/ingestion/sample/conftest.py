"""Fixtures for the sample server tests: a server over the hand-written fixture sample,
and small vendor clients that page through every collection the way a correct client must
(follow cursors, never stop on a short page, de-duplicate repeated thread parents)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from ingestion.sample.serve import SampleServer, make_server

FIXTURE_DIR = Path(__file__).parent / "fixture_sample"


@pytest.fixture(scope="module")
def fixture_server() -> Iterator[SampleServer]:
    server = make_server(FIXTURE_DIR, port=0).start()
    yield server
    server.stop()


@pytest.fixture
def fresh_server() -> Iterator[SampleServer]:
    """A private server, for tests that change faults."""
    server = make_server(FIXTURE_DIR, port=0).start()
    yield server
    server.stop()


class Clients:
    """Thin vendor clients over one server's env()."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.http = requests.Session()

    # Slack -----------------------------------------------------------------------------
    def slack(self, method: str, **params: Any) -> dict[str, Any]:
        resp = self.http.get(
            self.env["SOURCES__SLACK__BASE_URL"] + method,
            params=params,
            headers={"Authorization": f"Bearer {self.env['SOURCES__SLACK__ACCESS_TOKEN']}"},
            timeout=30,
        )
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["ok"], body
        return body

    def slack_pages(self, method: str, key: str, **params: Any) -> list[list[dict[str, Any]]]:
        pages, cursor = [], ""
        while True:
            body = self.slack(method, **params, **({"cursor": cursor} if cursor else {}))
            pages.append(body[key])
            cursor = body.get("response_metadata", {}).get("next_cursor", "")
            if not cursor:
                return pages

    def slack_all(self, method: str, key: str, **params: Any) -> list[dict[str, Any]]:
        return [item for page in self.slack_pages(method, key, **params) for item in page]

    def slack_messages(self, limit: int = 200) -> list[tuple[str, dict[str, Any]]]:
        """Every message of every channel: history plus replies, de-duplicated on ts."""
        channels = self.slack_all(
            "conversations.list", "channels", types="public_channel,private_channel,mpim,im"
        )
        out: list[tuple[str, dict[str, Any]]] = []
        for ch in channels:
            seen: set[str] = set()
            history = self.slack_all(
                "conversations.history", "messages", channel=ch["id"], limit=limit
            )
            for msg in history:
                if msg["ts"] not in seen:
                    seen.add(msg["ts"])
                    out.append((ch["id"], msg))
                if msg.get("thread_ts") == msg["ts"] and msg.get("reply_count"):
                    for reply in self.slack_all(
                        "conversations.replies",
                        "messages",
                        channel=ch["id"],
                        ts=msg["ts"],
                        limit=limit,
                    ):
                        if reply["ts"] not in seen:
                            seen.add(reply["ts"])
                            out.append((ch["id"], reply))
        return out

    # Discourse ---------------------------------------------------------------------------
    def discourse(self, path: str, **params: Any) -> Any:
        resp = self.http.get(
            self.env["SOURCES__DISCOURSE__BASE_URL"] + path,
            params=params,
            headers={
                "Api-Key": self.env["SOURCES__DISCOURSE__API_KEY"],
                "Api-Username": self.env["SOURCES__DISCOURSE__API_USERNAME"],
            },
            timeout=30,
        )
        assert resp.status_code == 200, resp.text
        return resp.json()

    def discourse_topics(self) -> list[dict[str, Any]]:
        topics, page = [], 0
        while True:
            body = self.discourse("/latest.json", page=page)
            topics += body["topic_list"]["topics"]
            if "more_topics_url" not in body["topic_list"]:
                return topics
            page += 1

    def discourse_users(self) -> list[dict[str, Any]]:
        users, page = [], 1
        while True:
            batch = self.discourse("/admin/users/list/active.json", page=page, show_emails="true")
            if not batch:
                return users
            users += batch
            page += 1

    def discourse_topic_posts(self, topic_id: int) -> list[dict[str, Any]]:
        body = self.discourse(f"/t/{topic_id}.json")
        posts = list(body["post_stream"]["posts"])
        have = {p["id"] for p in posts}
        rest = [i for i in body["post_stream"]["stream"] if i not in have]
        for start in range(0, len(rest), 20):
            chunk = rest[start : start + 20]
            more = self.discourse(f"/t/{topic_id}/posts.json", **{"post_ids[]": chunk})
            posts += more["post_stream"]["posts"]
        return posts

    # HubSpot -----------------------------------------------------------------------------
    def hubspot(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        token = self.env["SOURCES__HUBSPOT__API_KEY"]
        return self.http.request(
            method,
            self.env["SOURCES__HUBSPOT__BASE_URL"] + path,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
            **kwargs,
        )

    def hubspot_list(self, kind: str, **params: Any) -> list[dict[str, Any]]:
        out, after = [], None
        while True:
            query = {"limit": 100, **params, **({"after": after} if after else {})}
            resp = self.hubspot("GET", f"/crm/v3/objects/{kind}", params=query)
            assert resp.status_code == 200, resp.text
            body = resp.json()
            out += body["results"]
            after = body.get("paging", {}).get("next", {}).get("after")
            if not after:
                return out

    def hubspot_search(self, kind: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        out, after = [], None
        while True:
            resp = self.hubspot(
                "POST",
                f"/crm/v3/objects/{kind}/search",
                json={**body, **({"after": after} if after else {})},
            )
            assert resp.status_code == 200, resp.text
            page = resp.json()
            out += page["results"]
            after = page.get("paging", {}).get("next", {}).get("after")
            if not after:
                return out

    def hubspot_associations(self, src: str, dst: str, ids: list[str]) -> set[tuple[str, str]]:
        pairs: set[tuple[str, str]] = set()
        for start in range(0, len(ids), 1000):
            inputs = [{"id": i} for i in ids[start : start + 1000]]
            resp = self.hubspot(
                "POST", f"/crm/v4/associations/{src}/{dst}/batch/read", json={"inputs": inputs}
            )
            assert resp.status_code in (200, 207), resp.text
            for result in resp.json()["results"]:
                for to in result["to"]:
                    pairs.add((result["from"]["id"], str(to["toObjectId"])))
        return pairs

    # Luma --------------------------------------------------------------------------------
    def luma_all(self, path: str, **params: Any) -> list[dict[str, Any]]:
        out, cursor = [], None
        while True:
            resp = self.http.get(
                self.env["SOURCES__LUMA__BASE_URL"] + path,
                params={**params, **({"pagination_cursor": cursor} if cursor else {})},
                headers={"x-luma-api-key": self.env["SOURCES__LUMA__API_KEY"]},
                timeout=30,
            )
            assert resp.status_code == 200, resp.text
            body = resp.json()
            out += body["entries"]
            if not body["has_more"]:
                assert "next_cursor" not in body
                return out
            cursor = body["next_cursor"]


@pytest.fixture
def clients(fixture_server: SampleServer) -> Clients:
    return Clients(fixture_server.env())


@pytest.fixture
def make_clients() -> type[Clients]:
    return Clients


@pytest.fixture
def fixture_dir() -> Path:
    return FIXTURE_DIR
