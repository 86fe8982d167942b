"""The identity_merge_suggestions suite: passes on a hand-made good queue and on an empty one,
fails on each violation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))
SUITE = "identity_merge_suggestions"

# Two Jane Does at the same company (name 0.5 + company 0.3), two John Roes sharing an email
# domain (name 0.5 + domain 0.2); scores typed as dbt builds them (decimal).
GOOD = [
    "create schema marts",
    """create table marts.dim_members as select * from (values
        ('m1'), ('m2'), ('m3'), ('m4')) t(member_id)""",
    """create table marts.identity_merge_suggestions as select
        suggestion_id, member_id_a, member_id_b, full_name, has_same_company,
        has_same_email_domain, cast(score as decimal(13, 1)) as score
    from (values
        ('s1', 'm1', 'm2', 'Jane Doe', true, false, 0.8),
        ('s2', 'm3', 'm4', 'John Roe', false, true, 0.7)
    ) t(suggestion_id, member_id_a, member_id_b, full_name, has_same_company,
        has_same_email_domain, score)""",
]


def _suggestion(suggestion_id: str, assignment: str) -> str:
    return (
        f"update marts.identity_merge_suggestions set {assignment}"
        f" where suggestion_id = '{suggestion_id}'"
    )


DIFFERENT = "pairs two different members (member_id_a < member_id_b)"

# (what breaks, SQL applied to the good tables, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "a suggestion listed twice",
        _suggestion("s2", "suggestion_id = 's1', member_id_a = 'm1', member_id_b = 'm4'"),
        (("one row per suggestion", True),),
    ),
    (
        "one pair suggested twice",
        _suggestion("s2", "member_id_a = 'm1', member_id_b = 'm2'"),
        (("one suggestion per pair of members", True),),
    ),
    (
        "a member paired with itself",
        _suggestion("s2", "member_id_b = 'm3'"),
        ((DIFFERENT, True),),
    ),
    (
        "a pair in the wrong order",
        _suggestion("s1", "member_id_a = 'm2', member_id_b = 'm1'"),
        ((DIFFERENT, True),),
    ),
    (
        "a member missing from dim_members",
        _suggestion("s2", "member_id_b = 'm9'"),
        (("both members of a suggestion exist in dim_members", True),),
    ),
    ("a zero score", _suggestion("s1", "score = 0"), (("score is in (0, 1]", False),)),
    ("a score above 1", _suggestion("s1", "score = 1.2"), (("score is in (0, 1]", False),)),
    (
        "a same name alone",
        _suggestion("s2", "has_same_email_domain = false"),
        (("a same name alone is no evidence", False),),
    ),
]


def test_passes_on_good_suggestions(make_warehouse, run_suite, failed_rules) -> None:
    outcome = run_suite(make_warehouse(*GOOD), SUITE, AS_OF)
    assert failed_rules(outcome) == []
    assert outcome.row_count == 2


def test_an_empty_review_queue_passes(make_warehouse, run_suite, failed_rules) -> None:
    path = make_warehouse(*GOOD, "delete from marts.identity_merge_suggestions")
    assert failed_rules(run_suite(path, SUITE, AS_OF)) == []


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
