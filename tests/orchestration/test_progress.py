"""The CLI's progress lines: short, and naming what did not run and why."""

from __future__ import annotations

from types import SimpleNamespace

from orchestration.run.progress import describe_message, error_line


def test_skipped_steps_become_one_short_line() -> None:
    message = "Dependencies for step dbt_models failed: ['dlt_slack']. Not executing."
    assert describe_message(message) == (
        "-- dbt_models not run (an upstream step or blocking check failed)"
    )


def test_other_warnings_pass_through() -> None:
    assert describe_message("disk almost full") == "   disk almost full"


def test_error_line_reports_the_innermost_cause() -> None:
    inner = SimpleNamespace(message="KeyError: 'access_token'\ntraceback...", cause=None)
    outer = SimpleNamespace(message="Error occurred while executing op", cause=inner)
    assert error_line(outer) == "KeyError: 'access_token'"


def test_dagster_dbt_source_test_notes_are_dropped() -> None:
    note = (
        "This test was not included in Dagster's asset check selection, and was likely "
        "executed due to dbt indirect selection."
    )
    assert describe_message(note) is None
