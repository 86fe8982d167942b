"""The fct_community_monthly suite: passes on hand-made good months, fails on each violation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))
SUITE = "fct_community_monthly"

# The dbt unit test's case worked by hand: m1 active Jan, Feb, Apr; m2 Jan only; m3 Feb, Mar.
GOOD = [
    "create schema marts",
    """create table marts.fct_community_monthly as select * from (values
        (date '2026-01-01', 2, 0, 0, null, 2, 0.5, 0.0, null),
        (date '2026-02-01', 2, 2, 1, 0.5, 1, 1.0, null, null),
        (date '2026-03-01', 1, 2, 1, 0.5, 0, null, null, null),
        (date '2026-04-01', 1, 1, 0, 0.0, 0, null, null, null)
    ) t(activity_month, active_members, previous_active_members, retained_members,
        retention_rate, new_members, new_member_retention_m1, new_member_retention_m2,
        new_member_retention_m3)""",
]


def _month(month: int, assignment: str) -> str:
    return (
        f"update marts.fct_community_monthly set {assignment}"
        f" where activity_month = date '2026-{month:02d}-01'"
    )


# (what breaks, SQL applied to the good table, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "a month listed twice",
        _month(4, "activity_month = date '2026-03-01'"),
        (("one row per month", True),),
    ),
    (
        "a retention rate above 1",
        _month(2, "retention_rate = 1.5"),
        (("retention_rate is a share in [0, 1]", False),),
    ),
    (
        "a negative cohort retention",
        _month(1, "new_member_retention_m2 = -0.1"),
        (("new_member_retention_m2 is a share in [0, 1]", False),),
    ),
    (
        "more retained than last month's active",
        _month(3, "previous_active_members = 0"),
        (("retained members were active last month", False),),
    ),
    (
        "more retained than this month's active",
        _month(3, "retained_members = 2"),
        (("retained members are active this month", False),),
    ),
    (
        "more new members than active members",
        _month(1, "new_members = 3"),
        (("new members (cohort of first activity) are active in it", False),),
    ),
    (
        "a negative count",
        _month(4, "new_members = -1"),
        (("new_members is never negative", False),),
    ),
    (
        "no months at all",
        "delete from marts.fct_community_monthly",
        (("the table is not empty", True),),
    ),
]


def test_passes_on_good_months(make_warehouse, run_suite, failed_rules) -> None:
    outcome = run_suite(make_warehouse(*GOOD), SUITE, AS_OF)
    assert failed_rules(outcome) == []
    assert outcome.row_count == 4


@pytest.mark.parametrize(
    ("sql", "expected"), [v[1:] for v in VIOLATIONS], ids=[v[0] for v in VIOLATIONS]
)
def test_fails_on_violation(make_warehouse, run_suite, failed_rules, sql, expected) -> None:
    outcome = run_suite(make_warehouse(*GOOD, sql), SUITE, AS_OF)
    failures = failed_rules(outcome)
    assert not outcome.success
    # each expected rule fails with its severity, and nothing else does
    found = sorted((w, b) for w, b in expected for r, fb in failures if w in r and fb is b)
    assert found == sorted(expected), failures
    assert len(failures) == len(expected), failures
