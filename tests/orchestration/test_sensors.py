"""A failed run is recorded beside the warehouse and posted to a Slack incoming webhook."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import dagster as dg
import pytest

from orchestration.defs.sensors import FAILURES_FILE, post_to_slack, run_failure_sensor


class _Receiver:
    """A local stand-in for Slack's incoming webhook: records every POST."""

    def __init__(self, status: int = 200) -> None:
        self.posts: list[tuple[str, dict]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append((self.path, json.loads(body)))
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/services/T000/B000/secret-token"


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    rec = _Receiver()
    rec.thread.start()
    yield rec
    rec.server.shutdown()
    rec.server.server_close()


@dg.op
def explode() -> None:
    raise RuntimeError("boom")


@dg.job
def exploding_job() -> None:
    explode()


def _failure_context() -> dg.RunFailureSensorContext:
    instance = dg.DagsterInstance.ephemeral()
    result = exploding_job.execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    return dg.build_run_status_sensor_context(
        sensor_name="run_failure_sensor",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(),
    ).for_run_failure()


def test_failed_run_is_posted_to_the_webhook_and_recorded(clean_env, receiver) -> None:
    os.environ["COMMOPS_SLACK_WEBHOOK_URL"] = receiver.url
    context = _failure_context()
    run_failure_sensor(context)
    assert len(receiver.posts) == 1
    path, payload = receiver.posts[0]
    assert path == "/services/T000/B000/secret-token"
    assert "exploding_job" in payload["text"] and "explode" in payload["text"]
    lines = (clean_env.parent / FAILURES_FILE).read_text().splitlines()
    record = json.loads(lines[0])
    assert len(lines) == 1
    assert record["run_id"] == context.dagster_run.run_id
    assert record["failed_steps"] == ["explode"]


def test_without_a_webhook_the_failure_is_only_recorded(clean_env, receiver) -> None:
    run_failure_sensor(_failure_context())
    assert receiver.posts == []
    assert (clean_env.parent / FAILURES_FILE).exists()


def test_webhook_errors_never_reveal_the_url() -> None:
    failing = _Receiver(status=500)
    failing.thread.start()
    try:
        with pytest.raises(RuntimeError) as raised:
            post_to_slack(failing.url, {"text": "x"})
    finally:
        failing.server.shutdown()
        failing.server.server_close()
    assert "500" in str(raised.value)
    assert "secret-token" not in str(raised.value)
    with pytest.raises(RuntimeError) as unreachable:
        post_to_slack("http://127.0.0.1:9/services/secret-token", {"text": "x"}, timeout=2)
    assert "secret-token" not in str(unreachable.value)


@dg.op
def succeed() -> None:
    pass


@dg.job
def quiet_job() -> None:
    succeed()


def test_finished_runs_render_the_data_docs(clean_env) -> None:
    """Checks only store their GX results; the sensors render the site when a run ends,
    after a failed run (failure sensor) and after a successful one (data docs sensor)."""
    import duckdb
    import great_expectations as gx
    import great_expectations.expectations as gxe

    from expectations.validate import default_docs_dir, validate_table
    from orchestration.defs.sensors import data_docs_sensor

    with duckdb.connect(str(clean_env)) as con:
        con.execute("create schema marts; create table marts.t as select 1 as id")
    suite = gx.ExpectationSuite(
        name="t_suite", expectations=[gxe.ExpectColumnValuesToNotBeNull(column="id")]
    )
    validate_table(clean_env, "marts.t", suite, docs_dir=default_docs_dir(clean_env))
    index = default_docs_dir(clean_env) / "index.html"
    assert not index.exists()

    run_failure_sensor(_failure_context())
    assert "t_suite" in index.read_text()

    index.unlink()
    instance = dg.DagsterInstance.ephemeral()
    result = quiet_job.execute_in_process(instance=instance)
    success = next(e for e in result.all_events if e.event_type_value == "PIPELINE_SUCCESS")
    data_docs_sensor(
        dg.build_run_status_sensor_context(
            sensor_name="data_docs_sensor",
            dagster_instance=instance,
            dagster_run=result.dagster_run,
            dagster_event=success,
        )
    )
    assert "t_suite" in index.read_text()
