"""A validation outcome becomes a Dagster check result: blocking failures are ERROR."""

from __future__ import annotations

import dagster as dg

from expectations.validate import FailedExpectation, ValidationOutcome
from orchestration.defs.expectations.checks import check_result


def _outcome(*failures: FailedExpectation) -> ValidationOutcome:
    return ValidationOutcome("s", "marts.t", row_count=7, evaluated=5, failures=failures)


def _failure(blocking: bool) -> FailedExpectation:
    return FailedExpectation("expect_x", "c", "rule text", blocking, "observed")


def test_passing_suite_passes() -> None:
    result = check_result(_outcome())
    assert result.passed
    assert result.metadata["row_count"].value == 7


def test_a_blocking_failure_is_an_error() -> None:
    result = check_result(_outcome(_failure(False), _failure(True)))
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.ERROR
    assert result.metadata["blocking_failures"].value == 1
    assert "[BLOCKING] rule text" in result.metadata["failures"].value


def test_warning_failures_only_warn() -> None:
    result = check_result(_outcome(_failure(False)))
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.WARN
