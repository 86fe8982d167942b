"""The dim_members suite: passes on a hand-made good table, fails on each violation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))

# 12 members: m01 advocate, m02-m03 contributors, m04-m10 participants (10 ranked: 10% and
# 30% of them in the top levels), m11 explorer, m12 a bot without level. Each member has
# exactly one identity in member_identities. Last activity 2026-10-31: fresh on 2026-11-01.
GOOD = [
    "create schema marts",
    """create table marts.dim_members as
    select
        printf('m%02d', i) as member_id,
        1 as identity_count,
        i = 12 as is_bot,
        false as is_staff,
        (13 - i) * 10.0 as love,
        case when i = 1 then 1 when i <= 3 then 2 when i <= 10 then 3 when i = 11 then 4 end
            as orbit_level,
        case when i <= 6 then 'active' when i <= 9 then 'at_risk' when i <= 11 then 'dormant'
        end as lifecycle_status,
        i as activity_count,
        i * 2 as activity_weight,
        i as activity_count_last_28_days,
        i as activity_count_last_90_days,
        timestamp '2026-01-01 09:00:00' as first_active_at,
        timestamp '2026-10-31 09:00:00' - to_days(i) as last_active_at
    from range(1, 13) t(i)""",
    """create table marts.member_identities as
    select member_id, 'slack' as platform, 'U' || member_id as platform_user_id
    from marts.dim_members""",
]


def test_passes_on_good_members(make_warehouse, run_suite, failed_rules) -> None:
    outcome = run_suite(make_warehouse(*GOOD), "dim_members", AS_OF)
    assert failed_rules(outcome) == []
    assert outcome.row_count == 12


VIOLATIONS = [
    (
        "a member listed twice",
        "insert into marts.dim_members select * from marts.dim_members where member_id = 'm11'",
        ("one row per stable member_id",),
        True,
    ),
    (
        "identity_count disagreeing with member_identities",
        "update marts.dim_members set identity_count = 2 where member_id = 'm05'",
        ("identity_count equals",),
        True,
    ),
    (
        "a member without accounts",
        "delete from marts.member_identities where member_id = 'm05'",
        ("identity_count equals",),
        True,
    ),
    (
        "an Orbit level outside 1-4",
        "update marts.dim_members set orbit_level = 5 where member_id = 'm11'",
        ("orbit_level in",),
        True,
    ),
    (
        "an unknown lifecycle status",
        "update marts.dim_members set lifecycle_status = 'sleeping' where member_id = 'm11'",
        ("lifecycle_status in",),
        True,
    ),
    (
        "a bot with an Orbit level",
        "update marts.dim_members set orbit_level = 4 where member_id = 'm12'",
        ("bots and team get no Orbit level",),
        True,
    ),
    (
        "stale data: nobody active for weeks",
        "update marts.dim_members set last_active_at = last_active_at - to_days(30)",
        ("newest last_active_at at most 3 days old",),
        True,
    ),
    (
        "negative love",
        "update marts.dim_members set love = -1 where member_id = 'm11'",
        ("love is never negative",),
        False,
    ),
    (
        "too many advocates",
        # 4 of 10 ranked are advocates (40%); advocates + contributors stay 4 of 10
        "update marts.dim_members set orbit_level = 1 where member_id in ('m02', 'm03', 'm04')",
        ("advocates are about the top 10%",),
        False,
    ),
    (
        "too many contributors",
        # 1 advocate + 6 contributors of 10 ranked (70%)
        "update marts.dim_members set orbit_level = 2"
        " where member_id in ('m04', 'm05', 'm06', 'm07')",
        ("advocates and contributors are about the top 35%",),
        False,
    ),
    (
        "last activity before the first",
        "update marts.dim_members set first_active_at = timestamp '2026-10-31 23:00:00'"
        " where member_id = 'm11'",
        ("last activity is not before the first",),
        False,
    ),
]


@pytest.mark.parametrize(
    ("sql", "rules", "is_blocking"),
    [v[1:] for v in VIOLATIONS],
    ids=[v[0] for v in VIOLATIONS],
)
def test_fails_on_violation(
    make_warehouse, run_suite, failed_rules, sql: str, rules: tuple, is_blocking: bool
) -> None:
    outcome = run_suite(make_warehouse(*GOOD, sql), "dim_members", AS_OF)
    failures = failed_rules(outcome)
    assert not outcome.success
    # each expected rule fails, and nothing else does
    assert sorted(words for words in rules for r, _ in failures if words in r) == sorted(rules), (
        failures
    )
    assert len(failures) == len(rules), failures
    assert all(b == is_blocking for _, b in failures), failures


def test_freshness_follows_the_reference_time(make_warehouse, run_suite, failed_rules) -> None:
    later = SuiteParams(as_of=datetime(2026, 11, 20, tzinfo=UTC))
    outcome = run_suite(make_warehouse(*GOOD), "dim_members", later)
    assert failed_rules(outcome) == [
        ("Freshness: members' latest activity: newest last_active_at at most 3 days old", True)
    ]
