"""The sample server speaks each vendor's wire format over real HTTP.

Expected values are worked by hand from fixture_sample/ (see the comments in each test);
the last test pages a generated sample and compares with its expected_counts.json.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import pytest
import requests

from ingestion.sample.serve import Faults, make_server, write_env_file

SLACK_T0 = 1767225600  # fixture: general message i has ts T0 + i*3600 . (100 + i)
THREAD_TS = f"{SLACK_T0 + 5 * 3600}.000105"  # general message 5: 4 replies, reply 3 broadcast
HUBSPOT_AUTH = {"Authorization": "Bearer pat-na1-fixture"}
DISCOURSE_AUTH = {"Api-Key": "dk-fixture", "Api-Username": "system"}


def general_ts(i: int) -> str:
    return f"{SLACK_T0 + i * 3600}.{100 + i:06d}"


def no_private_keys(obj) -> bool:
    if isinstance(obj, dict):
        return all(not k.startswith("_") and no_private_keys(v) for k, v in obj.items())
    if isinstance(obj, list):
        return all(no_private_keys(v) for v in obj)
    return True


# --- env -------------------------------------------------------------------------------------


def test_env_points_every_source_at_the_server_with_manifest_credentials(fixture_server):
    env = fixture_server.env()
    base = f"http://127.0.0.1:{fixture_server.port}"
    assert fixture_server.base_url == base
    assert env == {
        "SOURCES__SLACK__BASE_URL": f"{base}/slack/api/",
        "SOURCES__SLACK__ACCESS_TOKEN": "xoxb-fixture-token",
        "SOURCES__DISCOURSE__BASE_URL": f"{base}/discourse",
        "SOURCES__DISCOURSE__API_KEY": "dk-fixture",
        "SOURCES__DISCOURSE__API_USERNAME": "system",
        "SOURCES__HUBSPOT__BASE_URL": f"{base}/hubspot",
        "SOURCES__HUBSPOT__API_KEY": "pat-na1-fixture",
        "SOURCES__LUMA__BASE_URL": f"{base}/luma",
        "SOURCES__LUMA__API_KEY": "luma-fixture",
    }


def test_write_env_file_writes_key_value_lines(fixture_server, tmp_path):
    path = write_env_file(tmp_path, fixture_server)
    assert path == tmp_path / "commops.env"
    lines = path.read_text().splitlines()
    assert dict(line.split("=", 1) for line in lines) == fixture_server.env()


# --- Slack -----------------------------------------------------------------------------------


def test_slack_users_list_pages_every_member_once(clients):
    pages = clients.slack_pages("users.list", "members", limit=2)
    ids = [u["id"] for page in pages for u in page]
    assert ids == ["USLACKBOT", "U01ALICE", "U02BOB", "U03CAROL", "U04BOT", "U05DAVE"]
    assert all(len(p) <= 2 for p in pages)


def test_slack_cursor_is_base64_of_the_next_item(clients):
    order = ["USLACKBOT", "U01ALICE", "U02BOB", "U03CAROL", "U04BOT", "U05DAVE"]
    body = clients.slack("users.list", limit=2)
    k = len(body["members"])
    assert [u["id"] for u in body["members"]] == order[:k]
    # like Slack's "dXNlcjpVMDYxTkZUVDI=" = base64("user:U061NFTT2")
    expected = base64.b64encode(f"user:{order[k]}".encode()).decode()
    assert body["response_metadata"]["next_cursor"] == expected


def test_slack_conversations_list_filters_types_and_archived(clients):
    default = clients.slack_all("conversations.list", "channels", limit=1)
    assert [c["id"] for c in default] == ["C01GENERAL", "C02HELP", "C03OLD"]
    live = clients.slack_all("conversations.list", "channels", exclude_archived="true")
    assert [c["id"] for c in live] == ["C01GENERAL", "C02HELP"]
    every = clients.slack_all(
        "conversations.list", "channels", types="public_channel,private_channel"
    )
    assert [c["id"] for c in every] == ["C01GENERAL", "C02HELP", "C03OLD", "G04PRIV"]
    assert all(no_private_keys(c) for c in every)


def test_slack_history_is_newest_first_hides_replies_but_not_broadcasts(clients):
    pages = clients.slack_pages("conversations.history", "messages", channel="C01GENERAL", limit=5)
    msgs = [m for page in pages for m in page]
    # 25 top-level messages + the broadcast reply 3; replies 1, 2, 4 are hidden.
    assert len(msgs) == 26
    assert len({m["ts"] for m in msgs}) == 26
    assert [m["ts"] for m in msgs] == sorted((m["ts"] for m in msgs), reverse=True)
    assert msgs[0]["ts"] == general_ts(24)
    texts = {m["text"] for m in msgs}
    assert "reply 3" in texts and not {"reply 1", "reply 2", "reply 4"} & texts
    assert all(no_private_keys(m) for m in msgs)


def test_slack_history_pages_can_be_short_while_more_remain(clients):
    limit = 5
    pages = clients.slack_pages(
        "conversations.history", "messages", channel="C01GENERAL", limit=limit
    )
    assert any(len(page) < limit for page in pages[:-1])


def test_slack_history_has_more_and_cursor_agree(clients):
    body = clients.slack("conversations.history", channel="C01GENERAL", limit=3)
    assert body["has_more"] is True and body["response_metadata"]["next_cursor"]
    last = clients.slack("conversations.history", channel="C03OLD", limit=3)
    assert last["has_more"] is False and last["response_metadata"]["next_cursor"] == ""
    assert [m["text"] for m in last["messages"]] == ["old news"]


def test_slack_history_oldest_latest_exclusive_by_default(clients):
    body = clients.slack(
        "conversations.history", channel="C01GENERAL", oldest=general_ts(2), latest=general_ts(6)
    )
    # strictly between messages 2 and 6: 5, the broadcast reply (5h03m), 4, 3 - newest first
    assert [m["text"] for m in body["messages"]] == [
        "reply 3",
        "general message 5",
        "general message 4",
        "general message 3",
    ]


def test_slack_history_inclusive_keeps_the_bounds(clients):
    body = clients.slack(
        "conversations.history",
        channel="C01GENERAL",
        oldest=general_ts(2),
        latest=general_ts(6),
        inclusive="true",
    )
    assert [m["text"] for m in body["messages"]] == [
        "general message 6",
        "reply 3",
        "general message 5",
        "general message 4",
        "general message 3",
        "general message 2",
    ]


def test_slack_replies_repeat_the_parent_on_every_page(clients):
    pages = clients.slack_pages(
        "conversations.replies", "messages", channel="C01GENERAL", ts=THREAD_TS, limit=2
    )
    assert len(pages) == 4
    assert all(page[0]["ts"] == THREAD_TS for page in pages)
    replies = [m["text"] for page in pages for m in page[1:]]
    assert replies == ["reply 1", "reply 2", "reply 3", "reply 4"]


def test_slack_replies_without_limit_return_parent_then_all_replies(clients):
    body = clients.slack("conversations.replies", channel="C01GENERAL", ts=THREAD_TS)
    assert [m["text"] for m in body["messages"]] == [
        "general message 5",
        "reply 1",
        "reply 2",
        "reply 3",
        "reply 4",
    ]
    assert body["has_more"] is False


def test_slack_every_message_once_via_history_and_replies(clients):
    msgs = clients.slack_messages(limit=4)
    # 29 in general (25 + 4 replies), 4 in help, 1 in old, 2 in the private channel
    assert len(msgs) == 36
    assert len({(c, m["ts"]) for c, m in msgs}) == 36
    reactions = sum(len(r["users"]) for _, m in msgs for r in m.get("reactions", []))
    assert reactions == 3


def test_slack_strips_private_keys_but_not_lookalike_text(clients):
    body = clients.slack(
        "conversations.history", channel="C01GENERAL", latest=general_ts(10), oldest=general_ts(8)
    )
    [msg] = body["messages"]
    assert msg["text"] == 'quotes "_channel": "X" and ,"_x":1 stay'
    assert "_channel" not in msg


def test_slack_accepts_form_post_and_token_parameter(fixture_server):
    url = fixture_server.env()["SOURCES__SLACK__BASE_URL"] + "conversations.history"
    resp = requests.post(url, data={"token": "xoxb-fixture-token", "channel": "C03OLD"}, timeout=10)
    assert resp.status_code == 200
    assert [m["text"] for m in resp.json()["messages"]] == ["old news"]


@pytest.mark.parametrize(
    ("headers", "error"),
    [({}, "not_authed"), ({"Authorization": "Bearer xoxb-wrong"}, "invalid_auth")],
)
def test_slack_auth_failures_are_http_200_with_ok_false(fixture_server, headers, error):
    url = fixture_server.env()["SOURCES__SLACK__BASE_URL"] + "users.list"
    resp = requests.get(url, headers=headers, timeout=10)
    assert resp.status_code == 200
    assert resp.json() == {"ok": False, "error": error}


def test_slack_unknown_channel_is_channel_not_found(fixture_server):
    url = fixture_server.env()["SOURCES__SLACK__BASE_URL"] + "conversations.history"
    resp = requests.get(
        url,
        params={"channel": "C999"},
        headers={"Authorization": "Bearer xoxb-fixture-token"},
        timeout=10,
    )
    assert resp.status_code == 200
    assert resp.json() == {"ok": False, "error": "channel_not_found"}


# --- Discourse ---------------------------------------------------------------------------------


def test_discourse_latest_pages_of_30_with_subfolder_more_topics_url(clients):
    first = clients.discourse("/latest.json")
    assert len(first["topic_list"]["topics"]) == 30
    assert first["topic_list"]["more_topics_url"] == "/discourse/latest?no_definitions=true&page=1"
    second = clients.discourse("/latest.json", page=1)
    assert len(second["topic_list"]["topics"]) == 5
    assert "more_topics_url" not in second["topic_list"]
    topics = clients.discourse_topics()
    assert sorted(t["id"] for t in topics) == list(range(1, 36))
    bumped = [t["bumped_at"] for t in topics]
    assert bumped == sorted(bumped, reverse=True)
    assert all(no_private_keys(t) for t in topics)


def test_discourse_admin_users_page_0_equals_page_1_and_empty_page_ends(clients):
    page0 = clients.discourse("/admin/users/list/active.json", page=0, show_emails="true")
    page1 = clients.discourse("/admin/users/list/active.json", page=1, show_emails="true")
    assert page0 == page1
    assert clients.discourse("/admin/users/list/active.json", page=2) == []
    users = clients.discourse_users()
    assert sorted(u["id"] for u in users) == [-2, -1, 1, 2, 3]
    assert {u["username"]: u["email"] for u in users}["alice"] == "alice@example.com"


def test_discourse_topic_view_has_20_posts_and_the_full_stream(clients):
    body = clients.discourse("/t/1.json")
    assert len(body["post_stream"]["posts"]) == 20
    assert len(body["post_stream"]["stream"]) == 23
    posts = clients.discourse_topic_posts(1)
    assert [p["post_number"] for p in posts] == list(range(1, 24))
    # the staff key sees the small-action post and the deleted post
    assert [p["post_number"] for p in posts if p["post_type"] == 3] == [10]
    assert [p["post_number"] for p in posts if p["deleted_at"]] == [12]
    assert all(no_private_keys(p) for p in posts)


def test_discourse_every_post_once_through_topics(clients):
    posts = [p for t in clients.discourse_topics() for p in clients.discourse_topic_posts(t["id"])]
    # topic 1: 23 posts, topic 2: 2, topics 3..35: 1 each
    assert len(posts) == 58 and len({p["id"] for p in posts}) == 58
    assert sum(p["post_type"] == 1 for p in posts) == 57


def test_discourse_solved_topic_carries_accepted_answer(clients):
    body = clients.discourse("/t/2.json")
    assert body["accepted_answer"]["post_number"] == 2
    assert body["accepted_answer"]["username"] == "bob"
    assert [p["accepted_answer"] for p in body["post_stream"]["posts"]] == [False, True]


def test_discourse_latest_posts_before_is_inclusive(clients):
    # post ids 1001..1058; 1010 is a small action, 1012 is deleted: 56 regular posts
    first = clients.discourse("/posts.json")["latest_posts"]
    assert [p["id"] for p in first[:2]] == [1058, 1057]
    assert clients.discourse("/posts.json", before=1013)["latest_posts"][0]["id"] == 1013
    assert clients.discourse("/posts.json", before=1012)["latest_posts"][0]["id"] == 1011
    seen, before = [], None
    while True:
        page = clients.discourse("/posts.json", **({"before": before} if before else {}))
        if not page["latest_posts"]:
            break
        seen += [p["id"] for p in page["latest_posts"]]
        before = min(p["id"] for p in page["latest_posts"]) - 1
    assert len(seen) == 56 and len(set(seen)) == 56
    assert 1010 not in seen and 1012 not in seen


def test_discourse_likers_of_a_post(clients):
    body = clients.discourse("/post_action_users.json", id=1002, post_action_type_id=2)
    assert [u["username"] for u in body["post_action_users"]] == ["bob", "carol"]
    assert body["total_rows_post_action_users"] == 2


def test_discourse_categories_top_level_with_subcategories_on_request(clients):
    plain = clients.discourse("/categories.json")["category_list"]["categories"]
    assert [c["id"] for c in plain] == [1, 2]
    assert plain[1]["subcategory_ids"] == [3]
    nested = clients.discourse("/categories.json", include_subcategories="true")
    support = nested["category_list"]["categories"][1]
    assert [c["name"] for c in support["subcategory_list"]] == ["Install"]


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "You are not permitted to view the requested resource."),
        (
            {"Api-Key": "wrong", "Api-Username": "system"},
            "You are not permitted to view the requested resource. "
            "The API username or key is invalid.",
        ),
    ],
)
def test_discourse_bad_key_is_403_invalid_access(fixture_server, headers, message):
    url = fixture_server.env()["SOURCES__DISCOURSE__BASE_URL"] + "/latest.json"
    resp = requests.get(url, headers=headers, timeout=10)
    assert resp.status_code == 403
    assert resp.json() == {"errors": [message], "error_type": "invalid_access"}


# --- HubSpot -----------------------------------------------------------------------------------


def test_hubspot_list_pages_live_and_archived_separately(clients):
    live = clients.hubspot_list("contacts", limit=10)
    # 25 contacts 101..125, the last two archived
    assert [c["id"] for c in live] == [str(i) for i in range(101, 124)]
    archived = clients.hubspot_list("contacts", archived="true")
    assert [(c["id"], c["archived"]) for c in archived] == [("124", True), ("125", True)]


def test_hubspot_list_paging_next_has_after_and_link(clients):
    resp = clients.hubspot("GET", "/crm/v3/objects/contacts", params={"limit": 10})
    nxt = resp.json()["paging"]["next"]
    assert nxt["after"] == "111"
    assert nxt["link"].startswith(clients.env["SOURCES__HUBSPOT__BASE_URL"] + "/crm/v3/objects")
    assert "after=111" in nxt["link"]


def test_hubspot_list_caps_limit_at_100(clients):
    resp = clients.hubspot("GET", "/crm/v3/objects/contacts", params={"limit": 500})
    assert len(resp.json()["results"]) == 23


def test_hubspot_default_properties_only_without_properties_param(clients):
    default = clients.hubspot("GET", "/crm/v3/objects/contacts", params={"limit": 1}).json()
    assert set(default["results"][0]["properties"]) == {
        "createdate",
        "email",
        "firstname",
        "hs_object_id",
        "lastmodifieddate",
        "lastname",
    }
    chosen = clients.hubspot(
        "GET",
        "/crm/v3/objects/contacts",
        params={"limit": 1, "properties": "company,hs_merged_object_ids"},
    )
    props = chosen.json()["results"][0]["properties"]
    assert props == {
        "company": "Acme",
        "hs_merged_object_ids": "130;131",
        "createdate": "2026-01-01T09:00:00.000Z",
        "hs_object_id": "101",
        "lastmodifieddate": "2026-01-02T09:00:00.000Z",
    }


@pytest.mark.parametrize("value", ["2026-01-20T00:00:00Z", "1768867200000"])
def test_hubspot_search_filters_on_lastmodifieddate_and_skips_archived(clients, value):
    body = {
        "filterGroups": [
            {"filters": [{"propertyName": "lastmodifieddate", "operator": "GTE", "value": value}]}
        ],
        "sorts": [{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
        "limit": 2,
    }
    results = clients.hubspot_search("contacts", body)
    # contact 101+i was modified on Jan (i+2): i >= 18 -> 119..125, minus archived 124, 125
    assert [r["id"] for r in results] == ["119", "120", "121", "122", "123"]
    first = clients.hubspot("POST", "/crm/v3/objects/contacts/search", json=body).json()
    assert first["total"] == 5 and first["paging"]["next"]["after"] == "2"


def test_hubspot_search_sorts_descending(clients):
    body = {
        "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "DESCENDING"}],
        "limit": 200,
    }
    deals = clients.hubspot("POST", "/crm/v3/objects/deals/search", json=body).json()
    assert [d["id"] for d in deals["results"]] == ["304", "303", "302", "301"]
    assert "paging" not in deals


def test_hubspot_search_refuses_paging_beyond_10000_and_limit_over_200(clients):
    ok = clients.hubspot("POST", "/crm/v3/objects/contacts/search", json={"after": 9999})
    assert ok.status_code == 200 and ok.json()["results"] == []
    beyond = clients.hubspot("POST", "/crm/v3/objects/contacts/search", json={"after": 10000})
    assert beyond.status_code == 400
    assert beyond.json()["category"] == "VALIDATION_ERROR"
    too_big = clients.hubspot("POST", "/crm/v3/objects/contacts/search", json={"limit": 201})
    assert too_big.status_code == 400


def test_hubspot_associations_207_with_errors_for_ids_without_any(clients):
    resp = clients.hubspot(
        "POST",
        "/crm/v4/associations/contacts/companies/batch/read",
        json={"inputs": [{"id": "101"}, {"id": "102"}, {"id": "120"}]},
    )
    assert resp.status_code == 207
    body = resp.json()
    to = {r["from"]["id"]: r["to"] for r in body["results"]}
    assert to["101"] == [
        {
            "toObjectId": 201,
            "associationTypes": [
                {"category": "HUBSPOT_DEFINED", "typeId": 1, "label": "Primary"},
                {"category": "HUBSPOT_DEFINED", "typeId": 279, "label": None},
            ],
        }
    ]
    assert to["102"][0]["toObjectId"] == 202
    assert body["numErrors"] == 1
    assert body["errors"][0]["context"] == {"fromObjectId": ["120"]}


def test_hubspot_associations_200_when_every_input_has_some(clients):
    resp = clients.hubspot(
        "POST",
        "/crm/v4/associations/deals/contacts/batch/read",
        json={"inputs": [{"id": "301"}, {"id": "302"}]},
    )
    assert resp.status_code == 200
    assert "errors" not in resp.json()
    pairs = clients.hubspot_associations("deals", "contacts", ["301", "302", "303", "304"])
    assert pairs == {("301", "101"), ("301", "102"), ("302", "103")}


def test_hubspot_associations_read_in_reverse(clients):
    pairs = clients.hubspot_associations("companies", "contacts", ["201"])
    # contacts 101+i with i % 3 == 0 for i < 10 belong to company 201
    assert pairs == {("201", "101"), ("201", "104"), ("201", "107"), ("201", "110")}


def test_hubspot_deal_pipelines(clients):
    resp = clients.hubspot("GET", "/crm/v3/pipelines/deals")
    stages = [s["id"] for p in resp.json()["results"] for s in p["stages"]]
    assert stages == ["appointmentscheduled", "closedwon"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}])
def test_hubspot_bad_token_is_401_invalid_authentication(fixture_server, headers):
    url = fixture_server.env()["SOURCES__HUBSPOT__BASE_URL"] + "/crm/v3/objects/contacts"
    resp = requests.get(url, headers=headers, timeout=10)
    assert resp.status_code == 401
    body = resp.json()
    assert set(body) == {"status", "message", "correlationId", "category"}
    assert body["status"] == "error" and body["category"] == "INVALID_AUTHENTICATION"


# --- Luma ------------------------------------------------------------------------------------


def test_luma_list_events_by_start_with_cursor_absent_at_the_end(clients):
    events = clients.luma_all("/public/v1/calendar/list-events", pagination_limit=2)
    # evt-B starts Jan 10, evt-A Jan 20, evt-C Jan 30
    assert [e["api_id"] for e in events] == ["evt-B", "evt-A", "evt-C"]
    assert all(e["event"]["api_id"] == e["api_id"] for e in events)


def test_luma_list_events_after_and_before(clients):
    after = clients.luma_all("/public/v1/calendar/list-events", after="2026-01-15T00:00:00Z")
    assert [e["api_id"] for e in after] == ["evt-A", "evt-C"]
    before = clients.luma_all("/public/v1/calendar/list-events", before="2026-01-25T00:00:00Z")
    assert [e["api_id"] for e in before] == ["evt-B", "evt-A"]


def test_luma_guests_page_per_event_without_private_keys(clients):
    guests = {
        ev: clients.luma_all("/public/v1/event/get-guests", event_api_id=ev, pagination_limit=3)
        for ev in ("evt-A", "evt-B", "evt-C")
    }
    assert {ev: len(g) for ev, g in guests.items()} == {"evt-A": 2, "evt-B": 7, "evt-C": 0}
    everyone = [g for gs in guests.values() for g in gs]
    assert len({g["api_id"] for g in everyone}) == 9
    assert all(no_private_keys(g) and g["guest"]["api_id"] == g["api_id"] for g in everyone)


def test_luma_bad_key_is_401(fixture_server):
    url = fixture_server.env()["SOURCES__LUMA__BASE_URL"] + "/public/v1/calendar/list-events"
    resp = requests.get(url, headers={"x-luma-api-key": "wrong"}, timeout=10)
    assert resp.status_code == 401
    assert "message" in resp.json()


# --- faults, stats, reload ---------------------------------------------------------------------


def _slack_get(server, method="users.list"):
    return requests.get(
        server.env()["SOURCES__SLACK__BASE_URL"] + method,
        headers={"Authorization": "Bearer xoxb-fixture-token"},
        timeout=10,
    )


def _hubspot_get(server):
    return requests.get(
        server.env()["SOURCES__HUBSPOT__BASE_URL"] + "/crm/v3/pipelines/deals",
        headers=HUBSPOT_AUTH,
        timeout=10,
    )


def test_faults_rate_limit_every_nth_request_per_vendor(fixture_dir):
    server = make_server(fixture_dir, faults=Faults(rate_limit_every=3, retry_after=7)).start()
    try:
        slack = [_slack_get(server) for _ in range(6)]
        hubspot = [_hubspot_get(server) for _ in range(3)]
    finally:
        server.stop()
    assert [r.status_code for r in slack] == [200, 200, 429, 200, 200, 429]
    assert slack[2].headers["Retry-After"] == "7"
    assert slack[2].json() == {"ok": False, "error": "ratelimited"}
    # counted per vendor: hubspot's own third request is the limited one
    assert [r.status_code for r in hubspot] == [200, 200, 429]
    assert hubspot[2].json()["category"] == "RATE_LIMITS"
    assert hubspot[2].headers["Retry-After"] == "7"


def test_faults_server_errors_and_truncated_bodies(fresh_server):
    resp = requests.post(
        fresh_server.base_url + "/_admin/faults", json={"server_error_every": 2}, timeout=10
    )
    assert resp.json()["server_error_every"] == 2
    codes = [_slack_get(fresh_server).status_code for _ in range(4)]
    assert codes == [200, 503, 200, 503]
    requests.post(
        fresh_server.base_url + "/_admin/faults",
        json={"server_error_every": 0, "truncate_every": 2},
        timeout=10,
    )
    # slack requests 5 and 6: the 6th is truncated
    fifth = _slack_get(fresh_server, "conversations.list")
    sixth = _slack_get(fresh_server, "conversations.list")
    assert fifth.json()["ok"] is True
    assert sixth.status_code == 200
    with pytest.raises(ValueError):
        json.loads(sixth.content)
    assert sixth.content == fifth.content[: len(sixth.content)]


def test_admin_faults_rejects_unknown_settings(fresh_server):
    resp = requests.post(fresh_server.base_url + "/_admin/faults", json={"explode": 1}, timeout=10)
    assert resp.status_code == 400


def test_admin_stats_count_requests_per_vendor_and_route(fresh_server):
    _slack_get(fresh_server)
    _slack_get(fresh_server, "conversations.list")
    _hubspot_get(fresh_server)
    stats = requests.get(fresh_server.base_url + "/_admin/stats", timeout=10).json()
    assert stats["requests"] == {"slack": 2, "discourse": 0, "hubspot": 1, "luma": 0}
    assert stats["routes"]["slack"] == {"users.list": 1, "conversations.list": 1}
    assert stats["routes"]["hubspot"] == {"/crm/v3/pipelines/deals": 1}


def test_reload_serves_the_rewritten_directory(tmp_path, fixture_dir, make_clients):
    root = tmp_path / "sample"
    shutil.copytree(fixture_dir, root)
    server = make_server(root).start()
    try:
        clients = make_clients(server.env())
        before = clients.slack_all("conversations.history", "messages", channel="C03OLD")
        with (root / "slack" / "messages.jsonl").open("a") as fh:
            fh.write(
                json.dumps(
                    {
                        "type": "message",
                        "user": "U02BOB",
                        "text": "new day",
                        "ts": f"{SLACK_T0 + 99}.000001",
                        "_channel": "C03OLD",
                    }
                )
                + "\n"
            )
        # keep the file sorted by (channel, ts) as the contract requires
        lines = (root / "slack" / "messages.jsonl").read_text().splitlines()
        lines.sort(key=lambda line: (json.loads(line)["_channel"], json.loads(line)["ts"]))
        (root / "slack" / "new.jsonl").write_text("\n".join(lines) + "\n")
        os.replace(root / "slack" / "new.jsonl", root / "slack" / "messages.jsonl")  # as advance
        server.reload()
        after = clients.slack_all("conversations.history", "messages", channel="C03OLD")
    finally:
        server.stop()
    assert [m["text"] for m in before] == ["old news"]
    assert [m["text"] for m in after] == ["new day", "old news"]


def test_unknown_prefix_is_404(fixture_server):
    assert requests.get(fixture_server.base_url + "/nope", timeout=10).status_code == 404


# --- a generated sample ------------------------------------------------------------------------


def test_generated_sample_serves_exactly_the_expected_counts(sample_dir: Path, make_clients):
    expected = json.loads((sample_dir / "expected_counts.json").read_text())
    server = make_server(sample_dir).start()
    try:
        c = make_clients(server.env())
        got_slack_users = len(c.slack_all("users.list", "members", limit=200))
        channels = c.slack_all(
            "conversations.list",
            "channels",
            types="public_channel,private_channel,mpim,im",
            limit=200,
        )
        msgs = c.slack_messages(limit=200)
        reactions = sum(len(r["users"]) for _, m in msgs for r in m.get("reactions", []))
        topics = c.discourse_topics()
        posts = [p for t in topics for p in c.discourse_topic_posts(t["id"])]
        site_categories = c.discourse("/site.json")["categories"]
        contacts = c.hubspot_list("contacts") + c.hubspot_list("contacts", archived="true")
        companies = c.hubspot_list("companies") + c.hubspot_list("companies", archived="true")
        deals = c.hubspot_list("deals") + c.hubspot_list("deals", archived="true")
        pipelines = c.hubspot("GET", "/crm/v3/pipelines/deals").json()["results"]
        contact_companies = c.hubspot_associations(
            "contacts", "companies", [x["id"] for x in contacts]
        )
        deal_contacts = c.hubspot_associations("deals", "contacts", [x["id"] for x in deals])
        events = c.luma_all("/public/v1/calendar/list-events", pagination_limit=100)
        guests = [
            g
            for e in events
            for g in c.luma_all(
                "/public/v1/event/get-guests", event_api_id=e["api_id"], pagination_limit=100
            )
        ]
        got = {
            "slack": {
                "users": got_slack_users,
                "channels": len(channels),
                "messages": len(msgs),
                "reactions": reactions,
            },
            "discourse": {
                "users": len(c.discourse_users()),
                "categories": len(site_categories),
                "topics": len(topics),
                "posts": sum(p["post_type"] == 1 for p in posts),
            },
            "hubspot": {
                "contacts": len(contacts),
                "companies": len(companies),
                "deals": len(deals),
                "deal_stages": sum(len(p["stages"]) for p in pipelines),
                "contact_companies": len(contact_companies),
                "deal_contacts": len(deal_contacts),
            },
            "luma": {"events": len(events), "guests": len(guests)},
        }
    finally:
        server.stop()
    assert got == expected


def test_slack_conversations_members_pages_member_ids(clients):
    pages = clients.slack_pages("conversations.members", "members", channel="C01GENERAL", limit=2)
    assert [m for page in pages for m in page] == [
        "U01ALICE",
        "U02BOB",
        "U03CAROL",
        "U04BOT",
        "U05DAVE",
    ]
    assert clients.slack("conversations.members", channel="C02HELP")["members"] == []


def test_hubspot_search_stops_at_10000_results_then_400(tmp_path, fixture_dir, make_clients):
    root = tmp_path / "sample"
    shutil.copytree(fixture_dir, root)
    with (root / "hubspot" / "contacts.jsonl").open("w") as fh:
        for i in range(10_050):
            when = "2026-01-02T00:00:00.000Z"
            props = {
                "createdate": when,
                "email": f"p{i}@example.com",
                "hs_object_id": str(i + 1),
                "lastmodifieddate": when,
            }
            fh.write(
                json.dumps(
                    {
                        "id": str(i + 1),
                        "properties": props,
                        "createdAt": when,
                        "updatedAt": when,
                        "archived": False,
                    }
                )
                + "\n"
            )
    server = make_server(root).start()
    try:
        c = make_clients(server.env())
        seen, after, last = [], None, None
        while True:
            body = {"limit": 200, **({"after": after} if after else {})}
            last = c.hubspot("POST", "/crm/v3/objects/contacts/search", json=body)
            if last.status_code != 200:
                break
            page = last.json()
            assert page["total"] == 10_050
            seen += [r["id"] for r in page["results"]]
            after = page.get("paging", {}).get("next", {}).get("after")
            assert after, "10,050 matches: paging must continue up to the cap"
    finally:
        server.stop()
    assert len(seen) == 10_000 and len(set(seen)) == 10_000
    assert after == "10000"
    assert last.status_code == 400 and last.json()["category"] == "VALIDATION_ERROR"


@pytest.mark.parametrize(
    "obj",
    [
        {"_a": 1, "b": 2},
        {"b": "x", "_a": "y"},
        {"_only": None},
        {"a": 'he said "_x": 1, "_y": [2]', "_c": [1, "two", None], "d": {"_e": True, "f": 1}},
        {"a": "ends with backslash \\", "_b": "c", "list": [{"_k": 1}, {"k": 2}]},
        {"a": 1, "_nested": {"x": [1, 2]}, "z": "]}"},
        {"t": "emoji ✓ and \n newline", "_channel": "C1", "_likers": [], "_at": ["a,b", "c]"]},
    ],
)
def test_private_keys_are_stripped_exactly(obj):
    from ingestion.sample.server.wire import strip_private

    def without_private(value):
        if isinstance(value, dict):
            return {k: without_private(v) for k, v in value.items() if not k.startswith("_")}
        if isinstance(value, list):
            return [without_private(v) for v in value]
        return value

    for separators in ((",", ":"), (", ", ": ")):
        line = json.dumps(obj, separators=separators, ensure_ascii=False).encode()
        assert json.loads(strip_private(line)) == without_private(obj)


def test_single_object_routes(clients):
    user = clients.discourse("/u/Alice.json")["user"]
    assert (user["id"], user["location"]) == (1, "Berlin")
    contact = clients.hubspot("GET", "/crm/v3/objects/contacts/105").json()
    assert contact["properties"]["email"] == "person4@example.com"
    assert clients.hubspot("GET", "/crm/v3/objects/contacts/125").status_code == 404  # archived
    resp = clients.http.get(
        clients.env["SOURCES__LUMA__BASE_URL"] + "/public/v1/event/get",
        params={"api_id": "evt-C"},
        headers={"x-luma-api-key": "luma-fixture"},
        timeout=10,
    )
    assert resp.json()["event"]["name"] == "Meetup C"


def test_hubspot_list_with_associations_option(clients):
    resp = clients.hubspot(
        "GET", "/crm/v3/objects/deals", params={"limit": 2, "associations": "contacts"}
    )
    first, second = resp.json()["results"]
    assert first["associations"]["contacts"]["results"] == [
        {"id": "101", "type": "deal_to_contact"},
        {"id": "102", "type": "deal_to_contact"},
    ]
    assert second["associations"]["contacts"]["results"] == [
        {"id": "103", "type": "deal_to_contact"}
    ]
    plain = clients.hubspot("GET", "/crm/v3/objects/deals", params={"limit": 1}).json()
    assert "associations" not in plain["results"][0]


# --- page recording (the benchmark's read_json floor) ----------------------------------------


def test_record_to_writes_each_successful_page_body_and_stops_when_unset(fresh_server, tmp_path):
    folder = tmp_path / "pages"
    url = f"{fresh_server.base_url}/slack/api/users.list"
    fresh_server.record_to(folder)
    first = requests.get(url, headers={"Authorization": "Bearer xoxb-fixture-token"}, timeout=10)
    denied = requests.get(url, headers={"Authorization": "Bearer wrong"}, timeout=10)
    missing = requests.get(
        f"{fresh_server.base_url}/slack/api/no.such.method",
        headers={"Authorization": "Bearer xoxb-fixture-token"},
        timeout=10,
    )
    written = fresh_server.record_to(None)
    requests.get(url, headers={"Authorization": "Bearer xoxb-fixture-token"}, timeout=10)
    assert missing.status_code == 404
    assert written == 2
    assert fresh_server.record_to(None) is None
    assert [f.name for f in folder.iterdir()] == ["pages.json"]
    lines = (folder / "pages.json").read_bytes().split(b"\n")
    # Slack answers a bad token with HTTP 200 too: both bodies are pages the client read; the
    # 404 is not a page, and nothing is written once recording stops. (Slack's bodies are
    # compact: a line each.)
    assert lines == [first.content, denied.content, b""]
    assert json.loads(lines[0])["ok"] is True
    assert json.loads(lines[1])["ok"] is False
