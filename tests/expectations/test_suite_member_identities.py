"""The member_identities suite: passes on a hand-made good table, fails on each violation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))

GOOD = [
    "create schema marts",
    "create table marts.dim_members as select * from (values ('m1'), ('m2'), ('m3')) t(member_id)",
    """create table marts.member_identities as select * from (values
        ('m1', 'slack', 'U1', false, false, timestamptz '2025-03-01 10:00:00+00'),
        ('m1', 'hubspot', '101', false, false, timestamptz '2025-04-01 10:00:00+00'),
        ('m2', 'discourse', '7', false, false, timestamptz '2025-05-01 10:00:00+00'),
        ('m3', 'luma', 'usr-1', false, false, timestamptz '2026-01-01 10:00:00+00'),
        ('m3', 'slack', 'U2', false, true, timestamptz '2026-02-01 10:00:00+00')
    ) t(member_id, platform, platform_user_id, is_bot, is_deactivated, first_seen_at)""",
]


def test_passes_on_good_identities(make_warehouse, run_suite, failed_rules) -> None:
    outcome = run_suite(make_warehouse(*GOOD), "member_identities", AS_OF)
    assert failed_rules(outcome) == []
    assert outcome.success
    assert outcome.row_count == 5


# (what breaks, SQL applied to the good table, words of every failing rule, blocking)
VIOLATIONS = [
    (
        "an account listed twice",
        "insert into marts.member_identities values "
        "('m2', 'slack', 'U1', false, false, timestamptz '2025-03-01 10:00:00+00')",
        "one row per account",
        True,
    ),
    (
        "an account without a member",
        "update marts.member_identities set member_id = null where platform_user_id = '7'",
        ("every account maps to exactly one member", "exists in dim_members"),
        True,
    ),
    (
        "a platform outside the four",
        "update marts.member_identities set platform = 'twitter' where platform_user_id = '7'",
        "platform in",
        True,
    ),
    (
        "a member missing from dim_members",
        "update marts.member_identities set member_id = 'm9' where platform_user_id = '7'",
        "every member in member_identities exists in dim_members",
        True,
    ),
    (
        "a first_seen_at in the future",
        "update marts.member_identities set first_seen_at = timestamptz '2027-06-01 00:00:00+00'"
        " where platform_user_id = '7'",
        "first_seen_at is a plausible date",
        False,
    ),
    (
        "most accounts flagged as bots",
        "update marts.member_identities set is_bot = true where platform in ('slack', 'luma')",
        "bot share",
        False,
    ),
    (
        "a contract column dropped",
        "alter table marts.member_identities drop column is_deactivated",
        "are present",
        True,
    ),
]


@pytest.mark.parametrize(
    ("sql", "rule", "is_blocking"),
    [v[1:] for v in VIOLATIONS],
    ids=[v[0] for v in VIOLATIONS],
)
def test_fails_on_violation(
    make_warehouse, run_suite, failed_rules, sql: str, rule: str | tuple, is_blocking: bool
) -> None:
    expected = (rule,) if isinstance(rule, str) else rule
    outcome = run_suite(make_warehouse(*GOOD, sql), "member_identities", AS_OF)
    failures = failed_rules(outcome)
    assert not outcome.success
    # each expected rule fails, and nothing else does
    assert sorted(words for words in expected for r, _ in failures if words in r) == sorted(
        expected
    ), failures
    assert len(failures) == len(expected), failures
    assert all(b == is_blocking for _, b in failures), failures


def test_empty_table_is_a_blocking_failure(make_warehouse, run_suite, failed_rules) -> None:
    path = make_warehouse(*GOOD, "delete from marts.member_identities")
    outcome = run_suite(path, "member_identities", AS_OF)
    assert ("Volume: member_identities: the table is not empty", True) in failed_rules(outcome)


def test_drop_in_volume_since_previous_run_warns(make_warehouse, run_suite, failed_rules) -> None:
    params = SuiteParams(as_of=AS_OF.as_of, previous_row_count=20)
    outcome = run_suite(make_warehouse(*GOOD), "member_identities", params)
    # 5 rows after 20: more than the tolerated 50% drop (floor 10).
    assert failed_rules(outcome) == [
        (
            "Volume: member_identities: at least 10 rows (previous run 20, at most a 50% drop)",
            False,
        )
    ]


def test_small_drop_in_volume_passes(make_warehouse, run_suite) -> None:
    params = SuiteParams(as_of=AS_OF.as_of, previous_row_count=9)
    assert run_suite(make_warehouse(*GOOD), "member_identities", params).success
