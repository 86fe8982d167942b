"""The vocabulary suites are written in: expectations that say which rule they guard and why.

Every expectation a suite builds goes through `blocking` or `warning`, so its `notes` name the
rule (a DESIGN.md contract or metric definition) and its `meta` says whether a failure must stop
downstream assets (blocking) or only be reported (warning). `validate.py` reads that `meta` to
decide a check's severity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation

PLATFORMS = ("slack", "discourse", "hubspot", "luma")
ORBIT_LEVELS = (1, 2, 3, 4)
LIFECYCLE_STATUSES = ("new", "active", "at_risk", "dormant", "churned")


@dataclass(frozen=True)
class SuiteParams:
    """What a suite needs to know beyond the table: the run's reference time and history.

    as_of: the moment data should be fresh at (default: now, UTC).
    previous_row_count: the table's row count at the previous validation (None: first run).
    freshness_max_age_days: how old the newest record may be, relative to `as_of`.
    max_volume_drop: the largest tolerated fall in row count since the previous run (share).
    """

    as_of: datetime | None = None
    previous_row_count: int | None = None
    freshness_max_age_days: int = 3
    max_volume_drop: float = 0.5

    def reference_time(self) -> datetime:
        return self.as_of or datetime.now(UTC)


def blocking(expectation: Expectation, rule: str) -> Expectation:
    """Tag an expectation whose failure must stop downstream assets (severity ERROR)."""
    return _tag(expectation, rule, is_blocking=True)


def warning(expectation: Expectation, rule: str) -> Expectation:
    """Tag an expectation whose failure is reported but lets the run go on (severity WARN)."""
    return _tag(expectation, rule, is_blocking=False)


def _tag(expectation: Expectation, rule: str, *, is_blocking: bool) -> Expectation:
    expectation.notes = f"{'Blocking' if is_blocking else 'Warning'}: {rule}"
    expectation.meta = {**(expectation.meta or {}), "rule": rule, "blocking": is_blocking}
    return expectation


def is_blocking(meta: dict | None) -> bool:
    return bool((meta or {}).get("blocking", False))


# --- building blocks shared by the suites -------------------------------------------------


def columns_present(columns: list[str], rule: str) -> Expectation:
    return blocking(
        gxe.ExpectTableColumnsToMatchSet(column_set=columns, exact_match=False),
        f"{rule}: columns {', '.join(columns)} are present",
    )


def key_unique(columns: list[str], rule: str) -> list[Expectation]:
    """Key integrity: every key column non-null and the key unique."""
    not_null = [
        blocking(gxe.ExpectColumnValuesToNotBeNull(column=c), f"{rule}: {c} is never null")
        for c in columns
    ]
    if len(columns) == 1:
        unique: Expectation = gxe.ExpectColumnValuesToBeUnique(column=columns[0])
    else:
        unique = gxe.ExpectCompoundColumnsToBeUnique(column_list=columns)
    return [*not_null, blocking(unique, f"{rule}: ({', '.join(columns)}) is unique")]


def accepted_values(column: str, values: tuple, rule: str, *, block: bool = True) -> Expectation:
    expectation = gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(values))
    return (blocking if block else warning)(expectation, f"{rule}: {column} in {list(values)}")


def non_negative(column: str, rule: str) -> Expectation:
    return warning(
        gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0),
        f"{rule}: {column} is never negative",
    )


def share(column: str, rule: str) -> Expectation:
    """A rate or share lies in [0, 1]."""
    return warning(
        gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=1),
        f"{rule}: {column} is a share in [0, 1]",
    )


def plausible_dates(column: str, params: SuiteParams, rule: str) -> Expectation:
    """Timestamps after 2000-01-01 and not in the future (one day of clock skew allowed)."""
    latest = params.reference_time() + timedelta(days=1)
    return warning(
        gxe.ExpectColumnValuesToBeBetween(
            column=column,
            min_value=datetime(2000, 1, 1, tzinfo=UTC),
            max_value=latest.replace(microsecond=0),
        ),
        f"{rule}: {column} is a plausible date (after 2000, not in the future)",
    )


def fresh(column: str, params: SuiteParams, rule: str, *, block: bool) -> Expectation:
    """The newest value of a timestamp column is at most `freshness_max_age_days` old."""
    oldest_ok = params.reference_time() - timedelta(days=params.freshness_max_age_days)
    expectation = gxe.ExpectColumnMaxToBeBetween(
        column=column, min_value=oldest_ok.replace(microsecond=0)
    )
    why = f"{rule}: newest {column} at most {params.freshness_max_age_days} days old"
    return (blocking if block else warning)(expectation, why)


def volume(params: SuiteParams, rule: str, *, block_empty: bool = True) -> list[Expectation]:
    """Rows never vanish wholesale: the table is not empty (blocking unless `block_empty` is
    False), and its row count has not dropped by more than `max_volume_drop` since the
    previous run (warning)."""
    not_empty = gxe.ExpectTableRowCountToBeBetween(min_value=1)
    tag = blocking if block_empty else warning
    expectations = [tag(not_empty, f"{rule}: the table is not empty")]
    previous = params.previous_row_count
    if previous:
        floor = max(1, math.floor(previous * (1 - params.max_volume_drop)))
        why = (
            f"{rule}: at least {floor} rows (previous run {previous}, "
            f"at most a {params.max_volume_drop:.0%} drop)"
        )
        expectations.append(warning(gxe.ExpectTableRowCountToBeBetween(min_value=floor), why))
    return expectations
