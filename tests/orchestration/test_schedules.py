"""One daily job over everything; its schedule's time comes from the environment."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import dagster as dg
import pytest

from orchestration.defs.schedules import DAILY_JOB, build_daily_schedule


def test_daily_schedule_targets_the_daily_job_at_six_utc(clean_env) -> None:
    schedule = build_daily_schedule()
    assert schedule.job_name == DAILY_JOB
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "UTC"


def test_schedule_time_and_zone_come_from_the_environment(clean_env) -> None:
    os.environ["COMMOPS_SCHEDULE_CRON"] = "30 7 * * 1-5"
    os.environ["COMMOPS_SCHEDULE_TZ"] = "Europe/Berlin"
    schedule = build_daily_schedule()
    assert (schedule.cron_schedule, schedule.execution_timezone) == (
        "30 7 * * 1-5",
        "Europe/Berlin",
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [("COMMOPS_SCHEDULE_CRON", "every morning"), ("COMMOPS_SCHEDULE_TZ", "Mars/Olympus")],
)
def test_a_bad_schedule_setting_names_the_variable(clean_env, variable, value) -> None:
    os.environ[variable] = value
    with pytest.raises(ValueError, match=variable):
        build_daily_schedule()


def test_schedule_requests_one_run_for_a_tick(clean_env) -> None:
    schedule = build_daily_schedule()
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
    )
    result = schedule.evaluate_tick(context)
    assert len(result.run_requests or []) == 1
    assert result.skip_message is None


def test_daily_job_selects_every_asset_and_retries(definitions) -> None:
    job = definitions.resolve_job_def(DAILY_JOB)
    graph = definitions.resolve_asset_graph()
    assert job.tags["dagster/max_retries"] == "2"
    selected = job.asset_layer.asset_graph.get_all_asset_keys()
    materializable = {k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable}
    assert materializable <= set(selected)
