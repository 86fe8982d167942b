"""Execute the daily job in this process and report what happened."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import DagsterEventType

from orchestration.defs.schedules import DAILY_JOB
from orchestration.lib.warehouse import ENV_VAR
from orchestration.run.instance import cli_instance
from orchestration.run.progress import progress_logger


@dataclass(frozen=True)
class CheckOutcome:
    asset: str
    check: str
    passed: bool
    severity: str


@dataclass
class RunReport:
    """What a run did: assets built (with row counts), checks, failed steps."""

    success: bool
    run_id: str
    materialized: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: list[CheckOutcome] = field(default_factory=list)
    failed_steps: dict[str, str] = field(default_factory=dict)

    @property
    def checks_failed(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed]


def quiet_dagster_warnings() -> None:
    for category in (dg.BetaWarning, dg.PreviewWarning, DeprecationWarning, FutureWarning):
        warnings.filterwarnings("ignore", category=category)
    warnings.filterwarnings("ignore", message=".*SupersessionWarning.*")
    warnings.filterwarnings("ignore", module="dagster.*")


def run_daily_job(warehouse: Path, *, progress: bool = True) -> RunReport:
    """Build the definitions against `warehouse` and run the daily job in-process."""
    quiet_dagster_warnings()
    os.environ[ENV_VAR] = str(Path(warehouse).resolve())
    from orchestration.defs import build_definitions

    defs = dg.Definitions.merge(
        build_definitions(), dg.Definitions(loggers={"progress": progress_logger})
    )
    job = defs.resolve_job_def(DAILY_JOB)
    loggers = {"progress": {}} if progress else {"console": {"config": {"log_level": "CRITICAL"}}}
    with cli_instance(Path(warehouse)) as instance:
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config={"loggers": loggers}
        )
        return report_from_events(result.success, result.run_id, result.all_events)


def report_from_events(success: bool, run_id: str, events: list[dg.DagsterEvent]) -> RunReport:
    report = RunReport(success=success, run_id=run_id)
    for event in events:
        kind = event.event_type
        if kind == DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.event_specific_data.materialization
            metadata = materialization.metadata or {}
            report.materialized[materialization.asset_key.to_user_string()] = {
                name: metadata[name].value
                for name in ("dagster/row_count", "new_rows")
                if name in metadata
            }
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            report.checks.append(
                CheckOutcome(
                    asset=evaluation.asset_key.to_user_string(),
                    check=evaluation.check_name,
                    passed=evaluation.passed,
                    severity=evaluation.severity.value if evaluation.severity else "ERROR",
                )
            )
        elif kind == DagsterEventType.STEP_FAILURE:
            error = event.event_specific_data.error
            report.failed_steps[event.step_key or "?"] = (
                (error.message.strip().splitlines() or [""])[0] if error else ""
            )
    return report
