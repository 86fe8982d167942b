"""Watching the runs: a failed run is recorded beside the warehouse and posted to Slack, and
the Data Docs site is rendered over the GX results of every finished run (checks only store
their results: rendering costs about a second, so it happens once per run, not per check).

The record is one JSON line per failure in `<warehouse folder>/run_failures.jsonl`. When
`COMMOPS_SLACK_WEBHOOK_URL` is set, a short message goes to that Slack incoming webhook; the
URL is a secret and never appears in logs or errors.
"""

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import RunFailureSensorContext

from expectations.validate import build_data_docs, default_docs_dir
from orchestration.lib.settings import slack_webhook_url
from orchestration.lib.warehouse import warehouse_path

FAILURES_FILE = "run_failures.jsonl"


def make_failure_record(
    run_id: str, job: str, failed_steps: list[str], message: str
) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "job": job,
        "failed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "failed_steps": sorted(failed_steps),
        "message": message,
    }


def failure_record(context: RunFailureSensorContext) -> dict[str, Any]:
    run = context.dagster_run
    steps = {e.step_key for e in context.get_step_failure_events() if e.step_key}
    return make_failure_record(
        run.run_id, run.job_name, list(steps), context.failure_event.message or ""
    )


def slack_message(record: dict[str, Any]) -> dict[str, str]:
    steps = ", ".join(record["failed_steps"]) or "no step (the run itself)"
    return {
        "text": (
            f":rotating_light: commops run `{record['job']}` failed "
            f"(run {record['run_id'][:8]}). Failed steps: {steps}."
        )
    }


def post_to_slack(url: str, payload: dict[str, str], timeout: float = 10.0) -> int:
    """POST the payload as JSON; returns the HTTP status. Errors never include the URL."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"Slack webhook answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RuntimeError(f"Slack webhook unreachable: {type(reason).__name__}") from None


def record_failure(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record, sort_keys=True) + "\n")


def notify_failure(record: dict[str, Any], failures_file: Path) -> list[str]:
    """Record the failure and post it to Slack when configured; returns lines worth logging."""
    record_failure(failures_file, record)
    lines = [f"run {record['run_id']} of {record['job']} failed: {record['failed_steps']}"]
    url = slack_webhook_url()
    if url:
        try:
            status = post_to_slack(url, slack_message(record))
            lines.append(f"posted the failure to Slack (HTTP {status})")
        except RuntimeError as exc:
            lines.append(str(exc))
    return lines


@dg.run_failure_sensor(
    name="run_failure_sensor",
    description="Records every failed run and posts it to Slack (COMMOPS_SLACK_WEBHOOK_URL).",
    monitor_all_code_locations=False,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def run_failure_sensor(context: RunFailureSensorContext) -> None:
    record = failure_record(context)
    for line in notify_failure(record, warehouse_path().parent / FAILURES_FILE):
        context.log.error(line)
    render_data_docs(context)


@dg.run_status_sensor(
    name="data_docs_sensor",
    run_status=dg.DagsterRunStatus.SUCCESS,
    description="Renders the Great Expectations Data Docs after every successful run "
    "(the failure sensor does it after a failed one).",
    monitor_all_code_locations=False,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def data_docs_sensor(context: dg.RunStatusSensorContext) -> None:
    render_data_docs(context)


def render_data_docs(context: Any) -> None:
    index = build_data_docs(default_docs_dir(warehouse_path()))
    if index is not None:
        context.log.info(f"Data Docs: {index}")


def build_defs() -> dg.Definitions:
    return dg.Definitions(sensors=[run_failure_sensor, data_docs_sensor])
