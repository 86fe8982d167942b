"""Building blocks the newer suites share (not a suite: `load_suites()` skips `_` modules).

Candidates for `expectations/rules.py`; kept here so the suites do not repeat them.
"""

from __future__ import annotations

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation

from expectations.rules import blocking, warning


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
