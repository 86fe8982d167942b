"""The fct_program_participation suite: passes on hand-made good rows, fails on each violation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))
SUITE = "fct_program_participation"

# m1 checked in at two onboarding webinars and posted three times in #ambassadors; m2 checked
# in once at onboarding.
GOOD = [
    "create schema marts",
    "create table marts.dim_members as select * from (values ('m1'), ('m2')) t(member_id)",
    """create table marts.dim_programs as select * from (values
        ('onboarding'), ('ambassador')) t(program_id)""",
    """create table marts.fct_program_participation as select * from (values
        ('pp1', 'm1', 'onboarding', timestamp '2026-09-01 10:00:00',
            timestamp '2026-09-15 10:00:00', 2, 0),
        ('pp2', 'm1', 'ambassador', timestamp '2026-10-01 10:00:00',
            timestamp '2026-10-20 10:00:00', 0, 3),
        ('pp3', 'm2', 'onboarding', timestamp '2026-10-06 10:00:00',
            timestamp '2026-10-06 10:00:00', 1, 0)
    ) t(program_participation_id, member_id, program_id, first_participated_at,
        last_participated_at, event_check_in_count, slack_activity_count)""",
]

# (what breaks, SQL applied to the good tables, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "a participation listed twice",
        "insert into marts.fct_program_participation select * replace ('m2' as member_id,"
        " 'ambassador' as program_id) from marts.fct_program_participation"
        " where program_participation_id = 'pp1'",
        (("one row per participation", True),),
    ),
    (
        "one member and program on two rows",
        "update marts.fct_program_participation set member_id = 'm1'"
        " where program_participation_id = 'pp3'",
        (("one row per member and program", True),),
    ),
    (
        "a participant missing from dim_members",
        "update marts.fct_program_participation set member_id = 'ghost'"
        " where program_participation_id = 'pp3'",
        (("participant exists in dim_members", True),),
    ),
    (
        "a program missing from dim_programs",
        "update marts.fct_program_participation set program_id = 'hackathon'"
        " where program_participation_id = 'pp3'",
        (("program exists in dim_programs", True),),
    ),
    (
        "a participation without any check-in or channel activity",
        "update marts.fct_program_participation set slack_activity_count = 0"
        " where program_participation_id = 'pp2'",
        (("at least one check-in or channel activity", False),),
    ),
    (
        "a negative check-in count",
        "update marts.fct_program_participation set event_check_in_count = -2"
        " where program_participation_id = 'pp1'",
        (
            ("event_check_in_count is never negative", False),
            ("at least one check-in or channel activity", False),
        ),
    ),
    (
        "the last participation before the first",
        "update marts.fct_program_participation set last_participated_at ="
        " timestamp '2026-08-01 10:00:00' where program_participation_id = 'pp1'",
        (("last participation is not before the first", False),),
    ),
    (
        "a participation in the future",
        "update marts.fct_program_participation set first_participated_at ="
        " timestamp '2027-02-01 10:00:00', last_participated_at = timestamp '2027-02-01 10:00:00'"
        " where program_participation_id = 'pp3'",
        (("first_participated_at is a plausible date", False),),
    ),
]


def test_passes_on_good_participation(make_warehouse, run_suite, failed_rules) -> None:
    outcome = run_suite(make_warehouse(*GOOD), SUITE, AS_OF)
    assert failed_rules(outcome) == []
    assert outcome.row_count == 3


def test_no_participation_yet_only_warns(make_warehouse, run_suite, failed_rules) -> None:
    outcome = run_suite(
        make_warehouse(*GOOD, "delete from marts.fct_program_participation"), SUITE, AS_OF
    )
    assert failed_rules(outcome) == [
        ("Volume: fct_program_participation: the table is not empty", False)
    ]


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
