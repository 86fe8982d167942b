"""Building blocks the newer suites share (not a suite: `load_suites()` skips `_` modules).

Candidates for `expectations/rules.py`; kept here so the suites do not repeat them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation

from expectations.rules import (
    SuiteParams,
    accepted_values,
    blocking,
    columns_present,
    plausible_dates,
    warning,
)


def at_most(smaller: str, larger: str, rule: str, *, strict: bool = False) -> Expectation:
    """`smaller` <= `larger` (or < when strict) on every row where both are set (warning)."""
    return warning(
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=larger,
            column_B=smaller,
            or_equal=not strict,
            ignore_row_if="either_value_is_missing",
        ),
        rule,
    )


def always_true(column: str, rule: str, *, block: bool) -> Expectation:
    """A boolean column (usually a `DERIVED_COLUMNS` entry) is true on every row."""
    expectation = gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[True])
    return (blocking if block else warning)(expectation, rule)


def equal(
    column_a: str, column_b: str, rule: str, *, block: bool, ignore_missing: bool = False
) -> Expectation:
    """Two columns agree on every row (reconciliation of a count with its source); with
    `ignore_missing`, rows where either is null are skipped."""
    expectation = gxe.ExpectColumnPairValuesToBeEqual(
        column_A=column_a,
        column_B=column_b,
        ignore_row_if="either_value_is_missing" if ignore_missing else "both_values_are_missing",
    )
    return (blocking if block else warning)(expectation, rule)


def never_shrinks(params: SuiteParams, rule: str) -> list[Expectation]:
    """An append-only table keeps every row: a warning when its row count fell below the
    previous run's at all (nothing on a first run). An empty table is fine."""
    previous = params.previous_row_count
    if not previous:
        return []
    why = f"{rule}: at least {previous} rows (append-only, previous run had {previous})"
    return [warning(gxe.ExpectTableRowCountToBeBetween(min_value=previous), why)]


REJECTS_COLUMNS = ["source", "resource", "record_key", "reason", "raw_record", "rejected_at"]
REJECTS_CONTRACT = "CONTRACTS.md raw _rejects"


def rejects_expectations(
    table: str, sources: tuple[str, ...], params: SuiteParams
) -> list[Expectation]:
    """The rules of a raw schema's `_rejects` (ingestion/common/rejects.py): every rejected
    record is kept with where it came from and why, nothing lost; rows are only ever added.
    No not-empty rule: a run that rejected nothing is the normal case."""
    kept = f"{REJECTS_CONTRACT}: a rejected record is kept with its reason, nothing lost"
    # rejected_at is the loader's wall clock, not a vendor time: when `as_of` replays an
    # earlier day (COMMOPS_AS_OF), a reject made today is not "in the future".
    stamped = replace(params, as_of=max(params.reference_time(), datetime.now(UTC)))
    return [
        columns_present(REJECTS_COLUMNS, REJECTS_CONTRACT),
        *[
            blocking(gxe.ExpectColumnValuesToNotBeNull(column=c), f"{kept}: {c} is never null")
            for c in ("source", "resource", "reason", "raw_record")
        ],
        accepted_values("source", sources, f"{REJECTS_CONTRACT} of {table}", block=False),
        plausible_dates("rejected_at", stamped, REJECTS_CONTRACT),
        *never_shrinks(params, f"Volume: {table}"),
    ]
