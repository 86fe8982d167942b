"""The dim_programs suite: passes on a hand-made good table, fails on each violation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))
SUITE = "dim_programs"

# onboarding: m1 and m2 took part (2); workshops: m1 (1); ambassador: nobody yet (0).
GOOD = [
    "create schema marts",
    """create table marts.fct_program_participation as select * from (values
        ('pp1', 'm1', 'onboarding', timestamp '2026-09-01 10:00:00'),
        ('pp2', 'm2', 'onboarding', timestamp '2026-09-08 10:00:00'),
        ('pp3', 'm1', 'workshops', timestamp '2026-10-01 10:00:00')
    ) t(program_participation_id, member_id, program_id, first_participated_at)""",
    """create table marts.dim_programs as select * from (values
        ('onboarding', 'New member onboarding', 2, timestamp '2026-09-01 10:00:00'),
        ('workshops', 'Hands-on workshops', 1, timestamp '2026-10-01 10:00:00'),
        ('ambassador', 'Ambassador program', 0, null)
    ) t(program_id, program_name, participant_count, first_participation_at)""",
]


def test_passes_on_good_programs(make_warehouse, run_suite, failed_rules) -> None:
    outcome = run_suite(make_warehouse(*GOOD), SUITE, AS_OF)
    assert failed_rules(outcome) == []
    assert outcome.row_count == 3


# (what breaks, SQL applied to the good tables, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "a program listed twice",
        "insert into marts.dim_programs values ('ambassador', 'Again', 0, null)",
        (("one row per program", True),),
    ),
    (
        "participant_count above the participations",
        "update marts.dim_programs set participant_count = 3 where program_id = 'onboarding'",
        (("participant_count equals its rows in fct_program_participation", True),),
    ),
    (
        "a participation missing from the count",
        "insert into marts.fct_program_participation values"
        " ('pp4', 'm3', 'ambassador', timestamp '2026-10-20 10:00:00')",
        (("participant_count equals its rows in fct_program_participation", True),),
    ),
    (
        "a negative participant_count",
        "update marts.dim_programs set participant_count = -1 where program_id = 'ambassador'",
        (
            ("participant_count is never negative", False),
            ("participant_count equals its rows in fct_program_participation", True),
        ),
    ),
    (
        "a first participation in the future",
        "update marts.dim_programs set first_participation_at = timestamp '2027-03-01 00:00:00'"
        " where program_id = 'workshops'",
        (("first_participation_at is a plausible date", False),),
    ),
    (
        "no programs at all",
        "delete from marts.dim_programs",
        (("the table is not empty", True),),
    ),
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
