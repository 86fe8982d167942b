"""Serve a generated sample directory over HTTP in each vendor's wire format.

One port, four prefixes (CONTRACTS.md section 2):

    /slack/api/<method>   Slack Web API: users.list, conversations.list/history/replies/members
    /discourse/...        Discourse, as an admin key sees a login-required forum
    /hubspot/...          HubSpot CRM v3 objects (list/read/search), v4 associations, pipelines
    /luma/...             Luma public API v1: calendar/list-events, event/get-guests, event/get

Choices where the vendors leave room (each vendor module documents its own details):
- Slack pages are sometimes shorter than `limit` while more remain (one page in four, chosen
  by a hash of where the page starts, is cut to two thirds); conversations.list filters after
  paging, so a page can even be empty. history: default 100, max 999; replies: 1000.
- Discourse `more_topics_url` carries the subfolder, as Rails builds it under a subfolder
  install: `/discourse/latest?no_definitions=true&page=1`.
- Every key starting with `_` is stripped from served objects.

HTTP: uvicorn (httptools parser, uvloop) serves one raw ASGI app (server/app.py) over
HTTP/1.1 keep-alive; vendor handlers run synchronously on its event loop.

Test hooks: `GET /_admin/stats` (request counts per vendor and route), `POST /_admin/faults`
(JSON with any `Faults` field), `POST /_admin/reset` (zero the counts), `POST /_admin/reload`.
"""

from __future__ import annotations

import gc
import logging
import threading
from pathlib import Path

from ingestion.sample.server.app import (
    PageRecorder,
    SampleApp,
    SampleData,
    Uvicorn,
    bind_socket,
)
from ingestion.sample.server.faults import FaultInjector, Faults

__all__ = ["Faults", "SampleServer", "make_server", "serve_forever", "write_env_file"]

log = logging.getLogger(__name__)


class SampleServer:
    """A running (or ready) sample API server over one sample directory: the port is bound
    at construction, `start()` serves it from a background thread (uvicorn on its own
    event loop), `serve_forever()` from the calling one."""

    def __init__(self, root: Path, host: str, port: int, faults: Faults | None) -> None:
        self.root = Path(root)
        self.injector = FaultInjector(faults)
        self._socket = bind_socket(host, port)
        try:
            data = SampleData(self.root)
        except BaseException:
            self._socket.close()
            raise
        self._address = self._socket.getsockname()[:2]
        self.app = SampleApp(data, self.injector, self.reload, self.base_url)
        self._uvicorn: Uvicorn | None = None
        self._thread: threading.Thread | None = None
        self._reload_lock = threading.Lock()

    @property
    def faults(self) -> Faults:
        return self.injector.faults

    @property
    def host(self) -> str:
        return str(self._address[0])

    @property
    def port(self) -> int:
        return int(self._address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def env(self) -> dict[str, str]:
        """The SOURCES__* variables that point every dlt source at this server."""
        c = self.app.data.credentials
        base = self.base_url
        return {
            "SOURCES__SLACK__BASE_URL": f"{base}/slack/api/",
            "SOURCES__SLACK__ACCESS_TOKEN": c.slack_token,
            "SOURCES__DISCOURSE__BASE_URL": f"{base}/discourse",
            "SOURCES__DISCOURSE__API_KEY": c.discourse_api_key,
            "SOURCES__DISCOURSE__API_USERNAME": c.discourse_api_username,
            "SOURCES__HUBSPOT__BASE_URL": f"{base}/hubspot",
            "SOURCES__HUBSPOT__API_KEY": c.hubspot_token,
            "SOURCES__LUMA__BASE_URL": f"{base}/luma",
            "SOURCES__LUMA__API_KEY": c.luma_api_key,
        }

    def start(self) -> SampleServer:
        """Serve from a background thread; returns once the port is being served."""
        if self._thread is None:
            server = self._uvicorn = Uvicorn(self.app)
            self._thread = threading.Thread(
                target=server.run, args=([self._socket],), name="sample-server", daemon=True
            )
            self._thread.start()
            while not server.ready.wait(0.05):
                if not self._thread.is_alive():
                    self._thread = None
                    raise RuntimeError(f"the sample server on {self.base_url} did not start")
        return self

    def stop(self) -> None:
        if self._thread is not None and self._uvicorn is not None:
            self._uvicorn.should_exit = True  # seen within 0.1 s; open connections are closed
            self._thread.join(timeout=10)
            self._thread = None
        self.record_to(None)
        self._socket.close()
        self.app.data.close()
        gc.unfreeze()  # the loaded data was frozen out of the collector's sight (app._settle)

    def reload(self) -> None:
        """Re-read the sample directory (after `commops sample advance`)."""
        with self._reload_lock:
            self.app.data.reload()

    def record_to(self, folder: Path | None) -> int | None:
        """Append every successful response body to `folder`/pages.json, one after another (None
        stops recording and closes the file). Returns how many pages the recording this ends
        wrote (None when none was on)."""
        previous = self.app.recorder
        self.app.recorder = PageRecorder(folder) if folder is not None else None
        if previous is None:
            return None
        previous.close()
        return previous.pages

    def serve_forever(self) -> None:
        """Serve from the calling thread until interrupted (SIGINT/SIGTERM in the main
        thread end it gracefully; Ctrl+C then surfaces as KeyboardInterrupt)."""
        try:
            Uvicorn(self.app).run([self._socket])
        finally:
            self._socket.close()

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def make_server(
    dir: Path,  # noqa: A002 - the contract's name
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Faults | None = None,
) -> SampleServer:
    """Load `dir` and bind `host:port` (0 = a free port). Call `.start()` to serve."""
    return SampleServer(Path(dir), host, port, faults)


def write_env_file(dir: Path, server: SampleServer) -> Path:  # noqa: A002
    """Write `DIR/commops.env` (KEY=value lines) pointing the pipeline at `server`."""
    path = Path(dir) / "commops.env"
    lines = [f"{key}={value}" for key, value in server.env().items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def serve_forever(dir: Path, port: int, host: str = "127.0.0.1") -> None:  # noqa: A002
    """CLI entry (`commops sample serve`): write commops.env, then serve until interrupted."""
    server = make_server(Path(dir), host=host, port=port)
    env_path = write_env_file(dir, server)
    print(f"Serving {dir} at {server.base_url} (environment in {env_path})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
