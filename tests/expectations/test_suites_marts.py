"""The fact-table suites: each passes on good rows built by hand and fails on a violation."""

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

MEMBERS = [
    "create schema marts",
    "create table marts.dim_members as select * from (values ('m1'), ('m2')) t(member_id)",
]

GOOD = {
    "fct_activities": """create table marts.fct_activities as select * from (values
        ('a1', 'm1', 'slack', 'message', timestamp '2026-10-31 10:00:00', 6.0),
        ('a2', 'm2', 'discourse', 'like', timestamp '2026-10-30 10:00:00', 1.0),
        ('a3', 'm2', 'luma', 'check_in', timestamp '2026-10-29 10:00:00', 8.0)
    ) t(activity_id, member_id, platform, activity_type, occurred_at, weight)""",
    "fct_community_daily": """create table marts.fct_community_daily as select * from (values
        (date '2026-10-31', 2, 5, 9, 8, 6, 0.75, 1, 1, 2.5, 7.0, 0.0, 1.0, 0.5, 0.5),
        (date '2026-11-01', 1, 4, 9, 9, 8, 0.89, 0, 0, null, null, null, null, null, null)
    ) t(calendar_date, dau, wau, mau, previous_mau, retained_mau, mau_retention_rate,
        new_members, questions_asked, ttfr_median_hours, ttfr_p90_hours, unanswered_rate,
        accepted_solution_rate, staff_first_response_share, community_first_response_share)""",
    "fct_questions": """create table marts.fct_questions as select * from (values
        ('q1', 'm1', timestamp '2026-10-30 10:00:00', timestamp '2026-10-30 12:00:00', 2.0),
        ('q2', 'm2', timestamp '2026-10-31 10:00:00', null, null)
    ) t(question_id, member_id, asked_at, first_response_at, hours_to_first_response)""",
    "fct_influenced_pipeline": """create table marts.fct_influenced_pipeline as
    select * from (values
        ('d1', 1000.0, true, 2, 1, 1000.0, 0.0),
        ('d2', 500.0, false, 1, 0, 0.0, 0.0)
    ) t(deal_id, amount, is_influenced, associated_member_count, influencing_member_count,
        influenced_open_amount, influenced_closed_won_amount)""",
}

# (suite, SQL applied to the good table, words of the failing rule, blocking)
VIOLATIONS = [
    (
        "fct_activities",
        "update marts.fct_activities set activity_id = 'a1' where activity_id = 'a2'",
        "one row per action",
        True,
    ),
    (
        "fct_activities",
        "update marts.fct_activities set member_id = 'ghost' where activity_id = 'a2'",
        "every activity's member exists in dim_members",
        True,
    ),
    (
        "fct_activities",
        "update marts.fct_activities set activity_type = 'poke' where activity_id = 'a2'",
        "activity_type in",
        True,
    ),
    (
        "fct_activities",
        "update marts.fct_activities set occurred_at = occurred_at - interval 30 day",
        "Freshness: community activity",
        True,
    ),
    (
        "fct_activities",
        "update marts.fct_activities set weight = -1 where activity_id = 'a2'",
        "weight is never negative",
        False,
    ),
    (
        "fct_community_daily",
        "update marts.fct_community_daily set dau = 7 where calendar_date = date '2026-10-31'",
        "DAU <= WAU",
        False,
    ),
    (
        "fct_community_daily",
        "update marts.fct_community_daily set mau_retention_rate = 1.2"
        " where calendar_date = date '2026-10-31'",
        "mau_retention_rate is a share",
        False,
    ),
    (
        "fct_community_daily",
        "update marts.fct_community_daily set ttfr_p90_hours = 1.0"
        " where calendar_date = date '2026-10-31'",
        "median <= p90",
        False,
    ),
    (
        "fct_community_daily",
        "update marts.fct_community_daily set calendar_date = date '2026-10-31'",
        "one row per day",
        True,
    ),
    (
        "fct_questions",
        "update marts.fct_questions set first_response_at = timestamp '2026-10-29 10:00:00'"
        " where question_id = 'q1'",
        "does not precede the question",
        False,
    ),
    (
        "fct_questions",
        "update marts.fct_questions set member_id = 'ghost' where question_id = 'q2'",
        "every asker exists in dim_members",
        True,
    ),
    (
        "fct_influenced_pipeline",
        "update marts.fct_influenced_pipeline set influencing_member_count = 3"
        " where deal_id = 'd1'",
        "influencing members are among",
        False,
    ),
    (
        "fct_influenced_pipeline",
        "update marts.fct_influenced_pipeline set amount = -10 where deal_id = 'd2'",
        "amount is never negative",
        False,
    ),
]


@pytest.mark.parametrize("suite", sorted(GOOD))
def test_mart_suite_passes_on_good_rows(make_warehouse, run_suite, failed_rules, suite) -> None:
    outcome = run_suite(make_warehouse(*MEMBERS, GOOD[suite]), suite, AS_OF)
    assert failed_rules(outcome) == []


@pytest.mark.parametrize(
    ("suite", "sql", "rule", "is_blocking"), VIOLATIONS, ids=[f"{v[0]}: {v[2]}" for v in VIOLATIONS]
)
def test_mart_suite_fails_on_violation(
    make_warehouse, run_suite, failed_rules, suite, sql, rule, is_blocking
) -> None:
    outcome = run_suite(make_warehouse(*MEMBERS, GOOD[suite], sql), suite, AS_OF)
    failures = failed_rules(outcome)
    assert len(failures) == 1 and rule in failures[0][0], failures
    assert failures[0][1] is is_blocking
