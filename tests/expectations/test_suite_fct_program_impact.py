"""The fct_program_impact suite: passes on hand-made good rows, fails on each violation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))
SUITE = "fct_program_impact"

# m1 (pre 6, post 20: +14) has 2 matched controls moving 5.5 -> 5.5: diff_in_diff 14, and a
# deal 30 days after participating. m2 (pre 0, post 8) has no controls: no diff_in_diff.
# m3 is team: a participant of the program, but never in the impact table.
GOOD = [
    "create schema marts",
    """create table marts.dim_members as select * from (values
        ('m1', false, false), ('m2', false, false), ('m3', false, true)
    ) t(member_id, is_bot, is_staff)""",
    """create table marts.fct_program_participation as select * from (values
        ('pp1'), ('pp2'), ('pp3')) t(program_participation_id)""",
    """create table marts.fct_program_impact as select * from (values
        ('pp1', 'm1', 'onboarding', timestamp '2026-05-01 12:00:00', 6.0, 20.0, 14.0, 2,
            5.5, 5.5, 14.0, true, timestamp '2026-05-31 12:00:00'),
        ('pp2', 'm2', 'onboarding', timestamp '2026-06-01 12:00:00', 0.0, 8.0, 8.0, 0,
            null, null, null, false, null)
    ) t(program_participation_id, member_id, program_id, participated_at, pre_weight,
        post_weight, weight_change, control_count, control_pre_weight, control_post_weight,
        diff_in_diff, has_converted, first_deal_created_at)""",
]

# (what breaks, SQL applied to the good tables, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "a participation listed twice",
        "insert into marts.fct_program_impact select * from marts.fct_program_impact"
        " where program_participation_id = 'pp2'",
        (("one row per participation", True),),
    ),
    (
        "a row that is no participation",
        "update marts.fct_program_impact set program_participation_id = 'pp9'"
        " where program_participation_id = 'pp2'",
        (("every row is a participation", True),),
    ),
    (
        "a team member among participants",
        "update marts.fct_program_impact set member_id = 'm3', program_participation_id = 'pp3'"
        " where program_participation_id = 'pp2'",
        (("neither bots nor team", True),),
    ),
    (
        "a negative pre-period weight",
        "update marts.fct_program_impact set pre_weight = -6, weight_change = 26"
        " where program_participation_id = 'pp1'",
        (("pre_weight is never negative", False),),
    ),
    (
        "weight_change not post - pre",
        "update marts.fct_program_impact set weight_change = 10"
        " where program_participation_id = 'pp1'",
        (("weight_change is post_weight - pre_weight", False),),
    ),
    (
        "a difference in differences without controls",
        "update marts.fct_program_impact set diff_in_diff = 8"
        " where program_participation_id = 'pp2'",
        (("difference in differences exactly when there are matched controls", False),),
    ),
    (
        "converted without a deal",
        "update marts.fct_program_impact set first_deal_created_at = null"
        " where program_participation_id = 'pp1'",
        (("has_converted exactly when a first deal date is set", False),),
    ),
    (
        "the converting deal before participation",
        "update marts.fct_program_impact set first_deal_created_at ="
        " timestamp '2026-04-01 12:00:00' where program_participation_id = 'pp1'",
        (("deal is not created before participation", False),),
    ),
]


def test_passes_on_good_impact(make_warehouse, run_suite, failed_rules) -> None:
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
