"""Fixtures for the ingestion tests: a tiny scripted HTTP server, dlt pipelines on temp files."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dlt
import duckdb
import pytest


@dataclass
class Scripted:
    """One canned answer: status, JSON body (or raw bytes), headers."""

    status: int = 200
    body: object = None
    raw: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # a Content-Length larger than the body sent: the connection drops mid-body
    declared_length: int | None = None


@dataclass
class ScriptedServer:
    """Answers each path from a queue of `Scripted` answers (the last one repeats)."""

    base_url: str
    routes: dict[str, list[Scripted]]
    requests: list[tuple[str, dict[str, str]]]

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p.split("?")[0] == path)


@pytest.fixture
def answer() -> type[Scripted]:
    """The `Scripted` answer class, for tests to build scripts with."""
    return Scripted


@pytest.fixture
def scripted_server() -> Iterator[Callable[[dict[str, list[Scripted]]], ScriptedServer]]:
    servers: list[ThreadingHTTPServer] = []

    def _start(routes: dict[str, list[Scripted]]) -> ScriptedServer:
        seen: list[tuple[str, dict[str, str]]] = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                seen.append((self.path, dict(self.headers)))
                queue = routes.get(self.path.split("?")[0])
                if not queue:
                    self.send_response(404)
                    self.end_headers()
                    return
                answer = queue.pop(0) if len(queue) > 1 else queue[0]
                payload = answer.raw if answer.raw is not None else json.dumps(answer.body).encode()
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(answer.declared_length or len(payload)))
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        host, port = server.server_address[:2]
        return ScriptedServer(f"http://{host}:{port}", routes, seen)

    yield _start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backoff in milliseconds (servers that send Retry-After still get it honoured)."""
    monkeypatch.setenv("RUNTIME__REQUEST_BACKOFF_FACTOR", "0.01")
    monkeypatch.setenv("RUNTIME__REQUEST_MAX_RETRY_DELAY", "2")


@pytest.fixture
def temp_pipeline(tmp_path: Path) -> Callable[[str], dlt.Pipeline]:
    """A dlt pipeline into a DuckDB file of its own (dataset `raw_<name>`)."""

    def _make(name: str) -> dlt.Pipeline:
        return dlt.pipeline(
            pipeline_name=f"test_{name}",
            destination=dlt.destinations.duckdb(str(tmp_path / f"{name}.duckdb")),
            dataset_name=f"raw_{name}",
            pipelines_dir=str(tmp_path / "pipelines"),
            dev_mode=False,
        )

    return _make


@pytest.fixture
def sql() -> Callable[..., list[tuple]]:
    """`sql(pipeline_or_path, query)`: rows from a pipeline's (or a file's) DuckDB."""

    def _sql(target: dlt.Pipeline | Path, query: str) -> list[tuple]:
        if isinstance(target, dlt.Pipeline):
            with target.sql_client() as client:
                with client.execute_query(query) as cursor:
                    return list(cursor.fetchall())
        with duckdb.connect(str(target), read_only=True) as con:
            return con.execute(query).fetchall()

    return _sql
