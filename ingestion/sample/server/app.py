"""The HTTP layer: one raw ASGI app routing vendor prefixes to the vendor APIs, served by
uvicorn (httptools parser, uvloop event loop)."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import socket
import sys
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import uvicorn

from ingestion.sample.server.discourse import DiscourseApi
from ingestion.sample.server.faults import (
    FaultInjector,
    rate_limit_response,
    server_error_response,
)
from ingestion.sample.server.hubspot import HubspotApi
from ingestion.sample.server.luma import LumaApi
from ingestion.sample.server.slack import SlackApi
from ingestion.sample.server.wire import Request, Response, json_response

log = logging.getLogger(__name__)

VENDORS = ("slack", "discourse", "hubspot", "luma")
PREFIXES = (
    ("slack", "/slack/api"),
    ("discourse", "/discourse"),
    ("hubspot", "/hubspot"),
    ("luma", "/luma"),
)


@dataclass
class Credentials:
    slack_token: str
    discourse_api_key: str
    discourse_api_username: str
    hubspot_token: str
    luma_api_key: str

    @classmethod
    def from_manifest(cls, root: Path) -> Credentials:
        manifest = json.loads((root / "manifest.json").read_text())
        creds = manifest["credentials"]
        return cls(**{k: str(creds[k]) for k in cls.__dataclass_fields__})


def _settle() -> None:
    """Move the (millions of) loaded objects out of the garbage collector's sight, so a
    full collection does not pause a request for half a second."""
    gc.collect()
    gc.freeze()


class SampleData:
    """Everything one sample directory serves."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.credentials = Credentials.from_manifest(root)
        # Slack's big file is read by DuckDB (no GIL) while Python parses the others.
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {name: pool.submit(self._make, name) for name in VENDORS}
            self.apis: dict[str, Any] = {name: f.result() for name, f in futures.items()}
        _settle()

    def _make(self, vendor: str) -> Any:
        root, c = self.root, self.credentials
        if vendor == "slack":
            return SlackApi(root, c.slack_token)
        if vendor == "discourse":
            return DiscourseApi(root, c.discourse_api_key, c.discourse_api_username)
        if vendor == "hubspot":
            return HubspotApi(root, c.hubspot_token)
        return LumaApi(root, c.luma_api_key)

    def reload(self) -> None:
        """Re-read the directory one vendor at a time, swapping each when ready, so memory
        holds at most one vendor twice. Old objects are left to the garbage collector:
        a request still running may be reading the old Slack file."""
        self.credentials = Credentials.from_manifest(self.root)
        for vendor in VENDORS:
            self.apis[vendor] = self._make(vendor)
        _settle()

    def close(self) -> None:
        for api in self.apis.values():
            api.close()


class PageRecorder:
    """Appends every successful response body, newline after each, to `<dir>/pages.json` (the
    benchmark's floor reads the very pages the sources fetched with DuckDB's read_json).

    One file, appended through a buffer: the recording runs on the server's event loop,
    inside the ingest stage the benchmark times. A file per page cost about 90 us a page, 49 s
    of a 100,000-person Slack stage's 194 s (530,000 pages). Most bodies are compact JSON, a
    line each, but some vendors' are pretty-printed (HubSpot's): the file is a sequence of
    JSON documents, as DuckDB's read_json_objects(format='unstructured') reads it."""

    FILE_NAME = "pages.json"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._file = (self.folder / self.FILE_NAME).open("ab", buffering=1 << 20)
        self._lock = threading.Lock()
        self.pages = 0  # bodies written (a pretty-printed body spans several lines)

    def write(self, body: bytes) -> None:
        with self._lock:
            if not self._file.closed:  # a response that finished after recording stopped
                self._file.write(body)
                self._file.write(b"\n")
                self.pages += 1

    def close(self) -> None:
        with self._lock:
            self._file.close()


SERVER_HEADER = "commops-sample/1 Python/" + sys.version.split()[0]
# Idle client connections stay open: uvicorn's default (close after 5 s) races with clients
# that pool connections and reuse one just as the server closes it.
KEEP_ALIVE_SECONDS = 3600


class SampleApp:
    """The whole server as one raw ASGI callable: `/_admin/*` hooks, the vendor prefixes
    (with fault injection and page recording), and a JSON 404 for everything else. Vendor
    handlers are synchronous and CPU-bound, so they run right on the event loop."""

    def __init__(
        self,
        data: SampleData,
        injector: FaultInjector,
        on_reload: Callable[[], None],
        origin: str,
    ) -> None:
        self.data = data
        self.injector = injector
        self.on_reload = on_reload
        self.origin = origin  # http://host:port, for the paging links the vendors build
        self.recorder: PageRecorder | None = None

    async def __call__(
        self,
        scope: dict[str, Any],
        receive: Callable[[], Awaitable[dict[str, Any]]],
        send: Callable[[dict[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            return
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
        method = scope["method"]
        path = scope["raw_path"].decode("latin-1")  # as sent, not percent-decoded
        if method == "POST" and path == "/_admin/reload":
            # Re-reading a big sample takes seconds: other connections keep being served.
            await asyncio.to_thread(self.on_reload)
            response = json_response(200, {"reloaded": True})
        else:
            response = self.respond(
                method, path, scope["query_string"].decode("latin-1"), scope["headers"], body
            )
        headers = [
            (b"content-type", response.content_type.encode("latin-1")),
            (b"content-length", str(len(response.body)).encode()),
        ]
        headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()]
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})

    def respond(
        self,
        method: str,
        path: str,
        query: str,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
    ) -> Response:
        """The response to one request (`path` and `query` as they were sent). `POST
        /_admin/reload` is answered by `__call__`, which runs it off the event loop."""
        if method not in ("GET", "POST"):
            return json_response(501, {"error": "unsupported_method", "method": method})
        if path.startswith("/_admin/"):
            return self._admin(method, path, body)
        for vendor, prefix in PREFIXES:
            if path == prefix or path.startswith(prefix + "/"):
                return self._vendor(vendor, prefix, method, path, query, headers, body)
        return json_response(404, {"error": "not_found", "path": path})

    def _vendor(
        self,
        vendor: str,
        prefix: str,
        method: str,
        path: str,
        query: str,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
    ) -> Response:
        injector = self.injector
        fault = injector.next(vendor)
        if fault == "rate_limit":
            return rate_limit_response(vendor, injector.faults.retry_after)
        if fault == "server_error":
            return server_error_response(vendor)
        api = self.data.apis[vendor]  # stays valid even if a reload swaps it
        req = Request(
            method=method,
            path=path[len(prefix) :] or "/",
            query=parse_qs(query, keep_blank_values=True),
            headers={k.decode("latin-1"): v.decode("latin-1") for k, v in headers},  # lower-case
            body=body,
            base_url=self.origin + prefix,
        )
        try:
            response = api.handle(req)
        except Exception:  # a bug must answer 500, not drop the connection
            log.exception("sample server error on %s %s", method, path)
            response = json_response(500, {"error": "internal_error"})
        injector.record_route(vendor, response.route)
        if fault == "truncate" and response.status < 300:
            response.body = response.body[: max(1, len(response.body) // 2)]
        elif (recorder := self.recorder) is not None and response.status < 300:
            recorder.write(response.body)  # read once: record_to may swap it meanwhile
        return response

    def _admin(self, method: str, path: str, body: bytes) -> Response:
        injector = self.injector
        if path == "/_admin/stats" and method == "GET":
            return json_response(200, injector.stats())
        if path == "/_admin/faults" and method == "POST":
            try:
                injector.faults.update(json.loads(body or b"{}"))
            except (ValueError, TypeError) as exc:
                return json_response(400, {"error": str(exc)})
            return json_response(200, injector.faults.as_dict())
        if path == "/_admin/faults" and method == "GET":
            return json_response(200, injector.faults.as_dict())
        if path == "/_admin/reset" and method == "POST":
            injector.reset()
            return json_response(200, injector.stats())
        return json_response(404, {"error": "not_found", "path": path})


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on `host:port` (0 = a free port), bound before serving starts
    so the real port is known at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


class Uvicorn(uvicorn.Server):
    """uvicorn (httptools parser, uvloop) serving `app` on an already bound socket; `ready`
    is set once the socket is being served."""

    def __init__(self, app: SampleApp) -> None:
        config = uvicorn.Config(
            app,
            loop="uvloop",
            http="httptools",
            ws="none",
            lifespan="off",
            interface="asgi3",
            log_config=None,  # leave the host's logging alone
            log_level="warning",
            access_log=False,
            proxy_headers=False,
            server_header=False,
            headers=[("Server", SERVER_HEADER)],
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            timeout_graceful_shutdown=5,
        )
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.ready.set()
