"""The fct_member_daily_activity suite: passes on hand-made good days, fails on each violation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams


@pytest.fixture
def run_suite(run_suite_on_both_read_paths):
    """Every case on both read paths of one warehouse: whole, and batched (narrowed reads of
    key and reconciliation rules); both must reach the same verdict."""
    return run_suite_on_both_read_paths


AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))
SUITE = "fct_member_daily_activity"

# fct_activities: m1 posted a Slack question and a message on 10-30 (weight 12); m2 liked a
# forum post on 10-31 and deleted a message (left out): 3 activities that count.
GOOD = [
    "create schema marts",
    "create table marts.dim_members as select * from (values ('m1'), ('m2')) t(member_id)",
    """create table marts.fct_activities as select * from (values
        ('a1', 'm1', false), ('a2', 'm1', false), ('a3', 'm2', false), ('a4', 'm2', true)
    ) t(activity_id, member_id, is_deleted)""",
    """create table marts.fct_member_daily_activity as select * from (values
        ('d1', 'm1', date '2026-10-30', 2, 12.0, 2, 0, 0, 1),
        ('d2', 'm2', date '2026-10-31', 1, 1.0, 0, 1, 0, 0)
    ) t(member_day_id, member_id, activity_date, activity_count, activity_weight,
        slack_activity_count, discourse_activity_count, luma_activity_count, question_count)""",
]


def _day(day_id: str, assignment: str) -> str:
    return (
        f"update marts.fct_member_daily_activity set {assignment} where member_day_id = '{day_id}'"
    )


RECONCILED = "add up to fct_activities' activities that were not deleted"

# (what breaks, SQL applied to the good tables, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "one member-day on two rows",
        _day("d2", "member_id = 'm1', activity_date = date '2026-10-30'"),
        (("(member_id, activity_date)", True),),
    ),
    (
        "a member missing from dim_members",
        _day("d2", "member_id = 'ghost'"),
        (("member-day's member exists in dim_members", True),),
    ),
    (
        "an activity counted twice",
        _day("d1", "activity_count = 3, slack_activity_count = 3"),
        ((RECONCILED, True),),
    ),
    (
        "a deleted activity counted",
        "update marts.fct_activities set is_deleted = false where activity_id = 'a4'",
        ((RECONCILED, True),),
    ),
    (
        "a day without activity",
        "insert into marts.fct_member_daily_activity values"
        " ('d3', 'm2', date '2026-10-29', 0, 0.0, 0, 0, 0, 0)",
        (("has at least one activity", False),),
    ),
    (
        "platform counts above the day's activities",
        _day("d2", "luma_activity_count = 1"),
        (("activities by platform add up to at most", False),),
    ),
    (
        "more questions than activities",
        _day("d2", "question_count = 2"),
        (("questions are among the day's activities", False),),
    ),
    (
        "a negative weight",
        _day("d1", "activity_weight = -1"),
        (("activity_weight is never negative", False),),
    ),
    (
        "a day in the future",
        _day("d2", "activity_date = date '2027-01-01'"),
        (("activity_date is a plausible date", False),),
    ),
]


def test_passes_on_good_days(make_warehouse, run_suite, failed_rules) -> None:
    outcome = run_suite(make_warehouse(*GOOD), SUITE, AS_OF)
    assert failed_rules(outcome) == []
    assert outcome.row_count == 2


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
