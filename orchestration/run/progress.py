"""A Dagster logger printing one short line per thing a user cares about while a run goes."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any, TextIO

import dagster as dg
from dagster import DagsterEventType


def error_line(error: Any) -> str:
    """The first line of the innermost cause: Dagster's wrappers say only where it happened."""
    if error is None:
        return ""
    while getattr(error, "cause", None) is not None:
        error = error.cause
    lines = (error.message or "").strip().splitlines()
    return lines[0] if lines else error.cls_name or ""


def describe_event(event: Any) -> str | None:
    """One line for a Dagster event, or None when the event is not worth a line."""
    kind = event.event_type
    step = event.step_key or ""
    if kind == DagsterEventType.STEP_START:
        return f"-> {step}"
    if kind == DagsterEventType.ASSET_MATERIALIZATION:
        materialization = event.event_specific_data.materialization
        key = materialization.asset_key.to_user_string()
        metadata = materialization.metadata or {}
        rows = metadata.get("dagster/row_count")
        new = metadata.get("new_rows")
        if rows is None:
            return f"   built {key}"
        added = f", {new.value:+,} this run" if new is not None else ""
        return f"   built {key}: {rows.value:,} rows{added}"
    if kind == DagsterEventType.ASSET_CHECK_EVALUATION:
        evaluation = event.event_specific_data
        if evaluation.passed:
            return None
        severity = evaluation.severity.value if evaluation.severity else "ERROR"
        return (
            f"   check {evaluation.check_name} on {evaluation.asset_key.to_user_string()} "
            f"FAILED ({severity})"
        )
    if kind == DagsterEventType.STEP_FAILURE:
        return f"!! {step} failed: {error_line(event.event_specific_data.error)}"
    if kind == DagsterEventType.STEP_SKIPPED:
        return f"-- {step} skipped (an upstream step or blocking check failed)"
    return None


_stream: TextIO | None = None
_NOT_EXECUTING = re.compile(r"Dependencies for step (\S+?)(?: failed| were not executed)")


def set_progress_stream(stream: TextIO | None) -> None:
    """Where progress lines go (None: the current sys.stdout)."""
    global _stream
    _stream = stream


def describe_message(message: str) -> str | None:
    """A warning or error logged without an event; Dagster's 'not executing' is shortened."""
    if "dbt indirect selection" in message or "instead of an `AssetCheckResult`" in message:
        return None  # dagster-dbt's note on dbt source tests (run by dbt build, not checks)
    skipped = _NOT_EXECUTING.match(message)
    if skipped:
        return f"-- {skipped.group(1)} not run (an upstream step or blocking check failed)"
    return f"   {message}"


class _ProgressHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)

    @property
    def stream(self) -> TextIO:
        return _stream or sys.stdout

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        line = describe_event(event) if event is not None else None
        if line is None and event is None and record.levelno >= logging.WARNING:
            line = describe_message(str(meta.get("orig_message") or record.getMessage()))
        if line:
            self.stream.write(line + "\n")
            self.stream.flush()


@dg.logger(description="Short progress lines on stdout (used by the commops CLI).")
def progress_logger(_init_context) -> logging.Logger:
    log = logging.getLogger("commops.progress")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    if not log.handlers:
        log.addHandler(_ProgressHandler())
    return log
