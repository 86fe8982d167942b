"""The HTTP layer: one ThreadingHTTPServer routing vendor prefixes to the vendor APIs."""

from __future__ import annotations

import gc
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

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
    """Writes every successful response body to `<dir>/<n>.json` (the benchmark's floor reads
    the very pages the sources fetched with DuckDB's read_json)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._count = 0
        self._lock = threading.Lock()

    def write(self, body: bytes) -> None:
        with self._lock:
            self._count += 1
            n = self._count
        (self.folder / f"{n:09d}.json").write_bytes(body)


class SampleHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], data: SampleData, injector: FaultInjector, on_reload
    ) -> None:
        super().__init__(address, SampleRequestHandler)
        self.data = data
        self.injector = injector
        self.on_reload = on_reload
        self.recorder: PageRecorder | None = None

    @property
    def origin(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class SampleRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server_version = "commops-sample/1"
    server: SampleHTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        path = url.path
        if path.startswith("/_admin/"):
            self._send(self._admin(method, path, body))
            return
        for vendor, prefix in PREFIXES:
            if path == prefix or path.startswith(prefix + "/"):
                self._vendor(vendor, prefix, method, url, body)
                return
        self._send(json_response(404, {"error": "not_found", "path": path}))

    def _vendor(self, vendor: str, prefix: str, method: str, url: Any, body: bytes) -> None:
        server = self.server
        fault = server.injector.next(vendor)
        if fault == "rate_limit":
            response = rate_limit_response(vendor, server.injector.faults.retry_after)
        elif fault == "server_error":
            response = server_error_response(vendor)
        else:
            api = server.data.apis[vendor]  # stays valid even if a reload swaps it
            req = Request(
                method=method,
                path=url.path[len(prefix) :] or "/",
                query=parse_qs(url.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                base_url=server.origin + prefix,
            )
            try:
                response = api.handle(req)
            except Exception:  # a bug must not kill the connection silently
                log.exception("sample server error on %s %s", method, url.path)
                response = json_response(500, {"error": "internal_error"})
            server.injector.record_route(vendor, response.route)
            if fault == "truncate" and response.status < 300:
                response.body = response.body[: max(1, len(response.body) // 2)]
            elif server.recorder is not None and response.status < 300:
                server.recorder.write(response.body)
        self._send(response)

    def _admin(self, method: str, path: str, body: bytes) -> Response:
        injector = self.server.injector
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
        if path == "/_admin/reload" and method == "POST":
            self.server.on_reload()
            return json_response(200, {"reloaded": True})
        return json_response(404, {"error": "not_found", "path": path})

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)


def start_thread(server: SampleHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="sample-server", daemon=True)
    thread.start()
    return thread
