"""The fct_onboarding_funnel suite: passes on hand-made good cohorts, fails on each violation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))
SUITE = "fct_onboarding_funnel"

# m1-m3 joined in September, m4 in October; m5 (a bot), m6 (team) and m7 (never seen) are not
# in the funnel: 4 joined in all. September: 2 of 3 active, 1 activated; of the 2 active, 2
# have their retention window behind them and 1 came back. October: 1 active, nothing more.
GOOD = [
    "create schema marts",
    """create table marts.dim_members as select * from (values
        ('m1', false, false, timestamp '2026-09-02 10:00:00'),
        ('m2', false, false, timestamp '2026-09-10 10:00:00'),
        ('m3', false, false, timestamp '2026-09-20 10:00:00'),
        ('m4', false, false, timestamp '2026-10-05 10:00:00'),
        ('m5', true, false, timestamp '2026-09-05 10:00:00'),
        ('m6', false, true, timestamp '2026-10-01 10:00:00'),
        ('m7', false, false, null)
    ) t(member_id, is_bot, is_staff, first_seen_at)""",
    """create table marts.fct_onboarding_funnel as select * from (values
        (date '2026-09-01', 3, 2, 1, 1, 2, 2 / 3, 1 / 3, 0.5),
        (date '2026-10-01', 1, 1, 0, 0, 0, 1.0, 0.0, null)
    ) t(cohort_month, joined_members, active_members, activated_members, retained_members,
        retention_eligible_members, active_rate, activation_rate, retention_rate)""",
]


def _cohort(month: int, assignment: str) -> str:
    return (
        f"update marts.fct_onboarding_funnel set {assignment}"
        f" where cohort_month = date '2026-{month:02d}-01'"
    )


RECONCILED = "joined members add up to the non-bot, non-team members of dim_members"

# (what breaks, SQL applied to the good tables, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "a cohort listed twice",
        _cohort(10, "cohort_month = date '2026-09-01'"),
        (("one row per monthly cohort", True),),
    ),
    (
        "a cohort nobody joined",
        "insert into marts.fct_onboarding_funnel values"
        " (date '2026-08-01', 0, 0, 0, 0, 0, null, null, null)",
        (("a cohort exists because someone joined", False),),
    ),
    ("more active than joined", _cohort(10, "active_members = 2"), (("joined >= active", False),)),
    (
        "more activated than active",
        _cohort(9, "activated_members = 3"),
        (("active >= activated", False),),
    ),
    (
        "more retained than active",
        _cohort(9, "retained_members = 3"),
        (("active >= retained", False),),
    ),
    (
        "more retention-eligible than active",
        _cohort(9, "retention_eligible_members = 3"),
        (("retention window ended are among the active", False),),
    ),
    (
        "an active rate above 1",
        _cohort(10, "active_rate = 1.5"),
        (("active_rate is a share in [0, 1]", False),),
    ),
    (
        "a cohort lost",
        "delete from marts.fct_onboarding_funnel where cohort_month = date '2026-10-01'",
        ((RECONCILED, True),),
    ),
    (
        "a bot counted as joined",
        _cohort(9, "joined_members = 4"),
        ((RECONCILED, True),),
    ),
    (
        "a new member not counted",
        "insert into marts.dim_members values"
        " ('m8', false, false, timestamp '2026-10-20 10:00:00')",
        ((RECONCILED, True),),
    ),
    (
        "a negative count",
        _cohort(10, "retained_members = -1"),
        (("retained_members is never negative", False),),
    ),
]


def test_passes_on_good_funnel(make_warehouse, run_suite, failed_rules) -> None:
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
