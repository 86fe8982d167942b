"""Execute the daily job in this process and report what happened."""

from __future__ import annotations

import os
import sys
import warnings
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dagster as dg
from dagster import DagsterEventType

from expectations.validate import build_data_docs, default_docs_dir
from orchestration.defs.schedules import DAILY_JOB
from orchestration.lib.warehouse import ENV_VAR, PROJECT_ROOT
from orchestration.run.instance import cli_instance
from orchestration.run.progress import error_line, progress_logger, set_progress_stream

if TYPE_CHECKING:
    from dagster._core.definitions.reconstruct import ReconstructableJob


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


def run_log_path(warehouse: Path) -> Path:
    """Where the tools' own output (dbt's log lines, dlt's warnings) goes during a CLI run."""
    return Path(warehouse).parent / "logs" / "last_run.log"


# The code location `make dev` (and a Dagster deployment) loads: `-m orchestration.definitions`.
LOCATION_MODULE = "orchestration.definitions"


def daily_job_in_location() -> ReconstructableJob:
    """The daily job as Dagster's daemon and UI launch it: from the code location, so
    `dg.execute_job` runs it with the definitions' executor (and could rebuild it in another
    process), unlike `execute_in_process` below. For the benchmark and the tests."""
    from dagster._core.definitions.reconstruct import ReconstructableRepository

    location = ReconstructableRepository.for_module(
        LOCATION_MODULE, "defs", working_directory=str(PROJECT_ROOT)
    )
    return location.get_reconstructable_job(DAILY_JOB)


def run_daily_job(warehouse: Path, *, progress: bool = True) -> RunReport:
    """Build the definitions against `warehouse` and run the daily job in-process.

    Progress lines go to stdout; what dbt and dlt print goes to `run_log_path(warehouse)`.
    """
    quiet_dagster_warnings()
    warehouse = Path(warehouse).resolve()
    os.environ[ENV_VAR] = str(warehouse)
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "ERROR")  # dlt: warnings go to the log only
    from orchestration.defs import build_definitions

    defs = dg.Definitions.merge(
        build_definitions(),
        dg.Definitions(loggers={"progress": progress_logger, "console": dg.colored_console_logger}),
    )
    job = defs.resolve_job_def(DAILY_JOB)
    loggers = {"progress": {}} if progress else {"console": {"config": {"log_level": "CRITICAL"}}}
    log_path = run_log_path(warehouse)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    set_progress_stream(sys.stdout)
    try:
        with (
            cli_instance(warehouse) as instance,
            log_path.open("w", encoding="utf-8") as log,
            redirect_stdout(log),
        ):
            result = job.execute_in_process(
                instance=instance, raise_on_error=False, run_config={"loggers": loggers}
            )
            build_data_docs(default_docs_dir(warehouse))  # what the checks stored, rendered once
            return report_from_events(result.success, result.run_id, result.all_events)
    finally:
        set_progress_stream(None)


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
            report.failed_steps[event.step_key or "?"] = error_line(event.event_specific_data.error)
    return report
