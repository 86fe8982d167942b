"""The shared HTTP client: retries, Retry-After, truncated bodies, auth errors without secrets."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator
from requests import HTTPError
from urllib3.exceptions import MaxRetryError

from ingestion.common import BearerAuth, SourceAPIError, SourceAuthError, make_client
from ingestion.common.http import PooledJSONClient, TruncatedResponseError

SECRET = "xoxb-top-secret-value-123"


def _client(base_url: str, **kwargs):
    return make_client(
        base_url,
        source="demo",
        auth_config_key="SOURCES__DEMO__ACCESS_TOKEN",
        auth=BearerAuth(SECRET),
        **kwargs,
    )


def _pooled(base_url: str):
    return PooledJSONClient(
        base_url,
        source="demo",
        auth_config_key="SOURCES__DEMO__ACCESS_TOKEN",
        headers={"Authorization": f"Bearer {SECRET}"},
    )


# the two clients that must give the same outcomes (retries, Retry-After, auth errors)
BOTH = pytest.mark.parametrize("make", [_client, _pooled], ids=["vendor", "pooled"])


@BOTH
def test_rate_limit_is_retried_after_the_retry_after_delay(
    scripted_server, fast_retries, answer, make
):
    server = scripted_server(
        {
            "/items": [
                answer(429, {"error": "ratelimited"}, headers={"Retry-After": "1"}),
                answer(200, {"items": [1, 2]}),
            ]
        }
    )
    started = time.monotonic()
    body = make(server.base_url).get_json("/items")
    assert body == {"items": [1, 2]}
    assert server.hits("/items") == 2
    # the client waited the second the server asked for (backoff alone would be ~10 ms)
    assert time.monotonic() - started >= 0.9


def test_server_errors_and_truncated_bodies_are_retried(scripted_server, fast_retries, answer):
    server = scripted_server(
        {
            "/items": [
                answer(503, {"error": "unavailable"}),
                answer(200, raw=b'{"items": [1, 2'),
                answer(500, {"error": "boom"}),
                answer(200, {"items": [3]}),
            ]
        }
    )
    assert _client(server.base_url).get_json("/items") == {"items": [3]}
    assert server.hits("/items") == 4


@BOTH
def test_persistent_server_error_raises_after_max_attempts(
    scripted_server, fast_retries, monkeypatch, answer, make
):
    monkeypatch.setenv("RUNTIME__REQUEST_MAX_ATTEMPTS", "3")
    server = scripted_server({"/items": [answer(502, {"error": "bad gateway"})]})
    with pytest.raises(HTTPError, match="502"):
        make(server.base_url).get_json("/items")
    assert server.hits("/items") == 3


@BOTH
def test_rejected_credential_names_source_and_key_but_not_the_secret(
    scripted_server, fast_retries, caplog, answer, make
):
    server = scripted_server({"/items": [answer(401, {"message": "bad token"})]})
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SourceAuthError) as info:
        make(server.base_url).get_json("/items")
    text = str(info.value)
    assert "demo" in text and "SOURCES__DEMO__ACCESS_TOKEN" in text
    assert SECRET not in text and SECRET not in repr(info.value)
    assert SECRET not in caplog.text
    assert server.hits("/items") == 1  # a bad credential is not retried
    # the secret did reach the server, as a bearer header
    assert server.requests[0][1]["Authorization"] == f"Bearer {SECRET}"


def test_other_client_errors_raise_http_error(scripted_server, fast_retries, answer):
    server = scripted_server({"/items": [answer(404, {"error": "not found"})]})
    client = make_client(server.base_url, source="demo", auth_config_key="K")
    with pytest.raises(HTTPError, match="404"):
        client.get_json("/items")


def test_paginate_applies_the_vendor_check_to_every_page(scripted_server, fast_retries, answer):
    def ok_check(response, body):
        if not body.get("ok"):
            raise SourceAPIError("demo", body.get("error", "?"))

    server = scripted_server(
        {
            "/list": [
                answer(200, {"ok": True, "items": [1], "next": "c2"}),
                answer(200, {"ok": True, "items": [], "next": "c3"}),  # short page, more follow
                answer(200, {"ok": True, "items": [2, 3], "next": ""}),
            ]
        }
    )
    client = _client(
        server.base_url,
        check=ok_check,
        paginator=JSONResponseCursorPaginator(cursor_path="next", cursor_param="cursor"),
        data_selector="items",
    )
    assert [item for page in client.paginate("/list") for item in page] == [1, 2, 3]
    assert server.hits("/list") == 3

    failing = scripted_server({"/list": [answer(200, {"ok": False, "error": "fatal_error"})]})
    client = _client(failing.base_url, check=ok_check, data_selector="items")
    with pytest.raises(SourceAPIError, match="fatal_error"):
        list(client.paginate("/list"))


def test_pooled_client_retries_server_errors_and_reports_a_cut_off_body(
    scripted_server, fast_retries, answer
):
    server = scripted_server(
        {
            "/items": [answer(503, {"error": "unavailable"}), answer(200, {"items": [3]})],
            "/cut": [answer(200, raw=b'{"items": [1, 2')],
        }
    )
    client = _pooled(server.base_url)
    assert client.get_json("/items", {"page": "2"}) == {"items": [3]}
    assert server.hits("/items") == 2
    # a cut-off body is the caller's to retry (the Slack replies fall back to VendorClient)
    with pytest.raises(TruncatedResponseError, match="unparsable JSON body"):
        client.get_json("/cut")
    assert SECRET not in repr(client)


def test_pooled_client_retries_a_dropped_body_and_gives_up_on_a_refused_connection(
    scripted_server, fast_retries, monkeypatch, answer
):
    # the connection closes 10 bytes into a body announced as 100: no whole response, so it
    # is retried (as a dropped connection), and the next answer is the one returned
    server = scripted_server(
        {
            "/items": [
                answer(200, raw=b'{"items": [', declared_length=100),
                answer(200, {"items": [4]}),
            ]
        }
    )
    assert _pooled(server.base_url).get_json("/items") == {"items": [4]}
    assert server.hits("/items") == 2

    # nothing listens on the port: retried up to the attempts, then raised
    monkeypatch.setenv("RUNTIME__REQUEST_MAX_ATTEMPTS", "3")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = _pooled(f"http://127.0.0.1:{port}")
    with pytest.raises(MaxRetryError) as info:
        client.get_json("/items")
    assert len(info.value.reason.args) and SECRET not in str(info.value)
    assert len(client._retry.history) == 0  # the policy is per call, not worn down by one
