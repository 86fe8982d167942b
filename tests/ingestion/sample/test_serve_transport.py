"""The sample server's HTTP transport: concurrent keep-alive connections, bodies cut by the
truncate fault with a matching Content-Length, and a port released by stop()."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

from ingestion.sample.serve import SampleServer, make_server

THREADS = 8
CALLS_PER_THREAD = 50

# The fixture's C01GENERAL thread 1767243600.000105 has reply_count 4 (messages.jsonl line 6).
REPLIES = "/slack/api/conversations.replies?channel=C01GENERAL&ts=1767243600.000105"


def _requests(server: SampleServer) -> list[tuple[str, str, dict[str, str], bytes]]:
    """(method, target, headers, body) over every vendor; none of these bodies depends on
    the clock."""
    env = server.env()
    slack = {"Authorization": f"Bearer {env['SOURCES__SLACK__ACCESS_TOKEN']}"}
    discourse = {
        "Api-Key": env["SOURCES__DISCOURSE__API_KEY"],
        "Api-Username": env["SOURCES__DISCOURSE__API_USERNAME"],
    }
    hubspot = {"Authorization": f"Bearer {env['SOURCES__HUBSPOT__API_KEY']}"}
    luma = {"x-luma-api-key": env["SOURCES__LUMA__API_KEY"]}
    search = json.dumps({"limit": 3, "after": "1"}).encode()
    return [
        ("GET", REPLIES, slack, b""),
        (
            "GET",
            "/slack/api/conversations.replies?channel=C02HELP&ts=1767225700.000001",
            slack,
            b"",
        ),
        ("GET", "/slack/api/conversations.history?channel=C01GENERAL&limit=7", slack, b""),
        ("GET", "/slack/api/conversations.list", slack, b""),
        ("GET", "/discourse/latest.json", discourse, b""),
        ("GET", "/discourse/t/1.json", discourse, b""),
        ("GET", "/hubspot/crm/v3/objects/contacts?limit=5", hubspot, b""),
        (
            "POST",
            "/hubspot/crm/v3/objects/contacts/search",
            {**hubspot, "Content-Type": "application/json"},
            search,
        ),
        ("GET", "/luma/public/v1/calendar/list-events", luma, b""),
        ("GET", "/nope", {}, b""),
    ]


def _connect(server: SampleServer) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(server.host, server.port, timeout=30)


def _call(conn: http.client.HTTPConnection, request) -> tuple[int, bytes, http.client.HTTPResponse]:
    method, target, headers, body = request
    conn.request(method, target, body=body or None, headers=headers)
    resp = conn.getresponse()
    return resp.status, resp.read(), resp


def test_concurrent_keep_alive_connections_get_the_sequential_answers(fresh_server):
    requests = _requests(fresh_server)
    conn = _connect(fresh_server)
    expected = {}
    for request in requests:
        status, body, _ = _call(conn, request)
        expected[request[1]] = (status, body)
    conn.close()
    replies = json.loads(expected[REPLIES][1])
    assert replies["ok"] is True
    assert len(replies["messages"]) == 1 + 4  # the parent, then its four replies
    assert expected["/nope"][0] == 404
    start = threading.Barrier(THREADS)

    def worker(k: int) -> tuple[set[tuple[str, int]], list[tuple[str, int, bytes]]]:
        conn = _connect(fresh_server)
        local_ends: set[tuple[str, int]] = set()
        answers = []
        start.wait()
        for i in range(CALLS_PER_THREAD):
            request = requests[(k + i) % len(requests)]
            status, body, resp = _call(conn, request)
            assert not resp.will_close
            local_ends.add(conn.sock.getsockname()[:2])
            answers.append((request[1], status, body))
        conn.close()
        return local_ends, answers

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))
    for local_ends, answers in results:
        assert len(local_ends) == 1  # every call of a thread went over one connection
        assert len(answers) == CALLS_PER_THREAD
        for target, status, body in answers:
            assert (status, body) == expected[target], target
    sent = [r[1] for r in requests] + [
        requests[(k + i) % len(requests)][1]
        for k in range(THREADS)
        for i in range(CALLS_PER_THREAD)
    ]
    per_vendor = dict.fromkeys(("slack", "discourse", "hubspot", "luma"), 0)
    for target in sent:
        vendor = target.split("/")[1]
        if vendor in per_vendor:
            per_vendor[vendor] += 1
    stats = json.loads(_call(_connect(fresh_server), ("GET", "/_admin/stats", {}, b""))[1])
    assert stats["requests"] == per_vendor


def test_truncated_body_has_a_matching_content_length_and_the_connection_lives_on(fresh_server):
    request = _requests(fresh_server)[3]  # conversations.list
    conn = _connect(fresh_server)
    status, body, _ = _call(
        conn,
        ("POST", "/_admin/faults", {"Content-Type": "application/json"}, b'{"truncate_every": 2}'),
    )
    assert status == 200
    _, full, _ = _call(conn, request)  # slack request 1
    status, cut, resp = _call(conn, request)  # slack request 2: cut in half
    assert status == 200
    assert int(resp.headers["Content-Length"]) == len(cut) == len(full) // 2
    assert cut == full[: len(full) // 2]
    _, again, resp = _call(conn, request)  # slack request 3, same connection
    assert again == full
    assert json.loads(again)["ok"] is True
    assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
    assert resp.headers["Server"].startswith("commops-sample/1")
    conn.close()


def test_port_zero_reports_the_bound_port_and_stop_releases_it(fixture_dir):
    server = make_server(fixture_dir, port=0)
    port = server.port
    assert port != 0
    assert server.base_url == f"http://127.0.0.1:{port}"
    server.start()
    conn = _connect(server)
    status, _, _ = _call(conn, ("GET", "/nope", {}, b""))
    assert status == 404
    server.stop()  # with a keep-alive connection still open
    conn.sock.settimeout(10)
    assert conn.sock.recv(1) == b""  # the server closed the idle connection
    conn.close()
    # Nothing listens on the port any more ...
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    # ... and a new server can take it (as a restarted server would, SO_REUSEADDR included).
    again = make_server(fixture_dir, port=port).start()
    try:
        assert again.port == port
        conn = _connect(again)
        assert _call(conn, ("GET", "/nope", {}, b""))[0] == 404
        conn.close()
    finally:
        again.stop()
