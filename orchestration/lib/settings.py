"""Run-wide settings read from the environment (`COMMOPS_<NAME>`), parsed in one place."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

AS_OF_ENV = "COMMOPS_AS_OF"
FRESHNESS_DAYS_ENV = "COMMOPS_FRESHNESS_DAYS"
SCHEDULE_CRON_ENV = "COMMOPS_SCHEDULE_CRON"
SCHEDULE_TZ_ENV = "COMMOPS_SCHEDULE_TZ"
SLACK_WEBHOOK_ENV = "COMMOPS_SLACK_WEBHOOK_URL"

DEFAULT_SCHEDULE_CRON = "0 6 * * *"
DEFAULT_SCHEDULE_TZ = "UTC"
DEFAULT_FRESHNESS_DAYS = 3


@contextmanager
def scoped_env(name: str, value: str) -> Iterator[None]:
    """Set the environment variable `name` to `value` for the duration, then restore it (or
    remove it when it was unset)."""
    saved = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved


def as_of_date() -> date | None:
    """`COMMOPS_AS_OF` (YYYY-MM-DD): the day the data should be current at; None = today."""
    raw = os.environ.get(AS_OF_ENV, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError as exc:
        raise ValueError(f"{AS_OF_ENV} must be a date YYYY-MM-DD, got {raw!r}") from exc


def dbt_build_args() -> list[str]:
    """The daily `dbt build`.

    A run pinned to `COMMOPS_AS_OF` is pinned by the environment: it is checked here, so a
    malformed value stops the build with its name, and dbt reads it itself (macro
    `as_of_date`). Passed as `--vars`, a new day made dbt re-parse the whole project.

    Unit tests are left out: they check the models' SQL on fixed inputs, not the day's data,
    so they run in `make test` (tests/dbt), as dbt advises, not in every production build.
    (Here, not beside the dbt assets, so the benchmark's dbt stage runs the same build
    without importing Dagster.)
    """
    as_of_date()
    return ["build", "--exclude-resource-type", "unit_test"]


def freshness_reference() -> datetime | None:
    """The moment freshness is judged at: the end of the `COMMOPS_AS_OF` day, else None (now)."""
    day = as_of_date()
    if day is None:
        return None
    return datetime.combine(day, time(), tzinfo=UTC) + timedelta(days=1)


def freshness_max_age_days() -> int:
    raw = os.environ.get(FRESHNESS_DAYS_ENV, "").strip()
    if not raw:
        return DEFAULT_FRESHNESS_DAYS
    try:
        days = int(raw)
    except ValueError as exc:
        raise ValueError(f"{FRESHNESS_DAYS_ENV} must be a whole number of days") from exc
    if days < 0:
        raise ValueError(f"{FRESHNESS_DAYS_ENV} must not be negative")
    return days


def schedule_cron() -> str:
    return os.environ.get(SCHEDULE_CRON_ENV, "").strip() or DEFAULT_SCHEDULE_CRON


def schedule_timezone() -> str:
    return os.environ.get(SCHEDULE_TZ_ENV, "").strip() or DEFAULT_SCHEDULE_TZ


def slack_webhook_url() -> str | None:
    return os.environ.get(SLACK_WEBHOOK_ENV, "").strip() or None
