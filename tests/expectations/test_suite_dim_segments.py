"""The dim_segments suite: passes on a hand-made good table, fails on each violation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))
SUITE = "dim_segments"

# m1 active, on Slack, an ambassador; m2 dormant, on Slack and the forum (active until
# 2026-10-18: a closed stretch); m3 a bot on Slack and in the ambassador program, never in a
# segment. Sizes worked by hand: active 1, dormant 1, churned 0, slack 2, forum 1,
# ambassadors 1.
GOOD = [
    "create schema marts",
    """create table marts.dim_members as select * from (values
        ('m1', false, 'active'), ('m2', false, 'dormant'), ('m3', true, null)
    ) t(member_id, is_bot, lifecycle_status)""",
    """create table marts.member_identities as select * from (values
        ('m1', 'slack', 'U1'), ('m2', 'slack', 'U2'), ('m2', 'discourse', '7'),
        ('m3', 'slack', 'B1')
    ) t(member_id, platform, platform_user_id)""",
    """create table marts.fct_program_participation as select * from (values
        ('m1', 'ambassador'), ('m3', 'ambassador')
    ) t(member_id, program_id)""",
    """create table marts.fct_member_segments as select * from (values
        ('m1', 'active_members', true),
        ('m2', 'dormant_members', true),
        ('m2', 'active_members', false),
        ('m1', 'slack_members', true),
        ('m2', 'slack_members', true),
        ('m2', 'forum_members', true),
        ('m1', 'ambassadors', true)
    ) t(member_id, segment_id, is_current)""",
    """create table marts.dim_segments as select * from (values
        ('active_members', 'lifecycle_status', 'active', 1),
        ('dormant_members', 'lifecycle_status', 'dormant', 1),
        ('churned_members', 'lifecycle_status', 'churned', 0),
        ('slack_members', 'platform', 'slack', 2),
        ('forum_members', 'platform', 'discourse', 1),
        ('ambassadors', 'program', 'ambassador', 1)
    ) t(segment_id, attribute, value, current_member_count)""",
]

IN_MEMBERSHIPS = "current_member_count equals its current members in fct_member_segments"
AS_DEFINED = "size equals the non-bot members matching its definition"

# (what breaks, SQL applied to the good tables, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "a segment listed twice",
        "insert into marts.dim_segments values ('churned_members', 'lifecycle_status',"
        " 'churned', 0)",
        (("one row per segment", True),),
    ),
    (
        "a size counted wrong",
        "update marts.dim_segments set current_member_count = 2"
        " where segment_id = 'active_members'",
        ((IN_MEMBERSHIPS, True), (AS_DEFINED, False)),
    ),
    (
        "a current membership missing from the size",
        "insert into marts.fct_member_segments values ('m2', 'ambassadors', true)",
        ((IN_MEMBERSHIPS, True),),
    ),
    (
        "a bot counted in a segment",
        (
            "insert into marts.fct_member_segments values ('m3', 'slack_members', true)",
            "update marts.dim_segments set current_member_count = 3"
            " where segment_id = 'slack_members'",
        ),
        ((AS_DEFINED, False),),
    ),
    (
        "lifecycle segments drifting from dim_members",
        "update marts.dim_members set lifecycle_status = 'active' where member_id = 'm2'",
        ((AS_DEFINED, False),),
    ),
    (
        "an attribute outside the three",
        "update marts.dim_segments set attribute = 'country' where segment_id = 'churned_members'",
        (("attribute in", True),),
    ),
    (
        "a negative size",
        (
            "update marts.dim_segments set current_member_count = -1"
            " where segment_id = 'churned_members'",
        ),
        (
            ("current_member_count is never negative", False),
            (IN_MEMBERSHIPS, True),
            (AS_DEFINED, False),
        ),
    ),
]


def test_passes_on_good_segments(make_warehouse, run_suite, failed_rules) -> None:
    outcome = run_suite(make_warehouse(*GOOD), SUITE, AS_OF)
    assert failed_rules(outcome) == []
    assert outcome.row_count == 6


@pytest.mark.parametrize(
    ("sql", "expected"), [v[1:] for v in VIOLATIONS], ids=[v[0] for v in VIOLATIONS]
)
def test_fails_on_violation(make_warehouse, run_suite, failed_rules, sql, expected) -> None:
    statements = (sql,) if isinstance(sql, str) else sql
    outcome = run_suite(make_warehouse(*GOOD, *statements), SUITE, AS_OF)
    failures = failed_rules(outcome)
    assert not outcome.success
    # each expected rule fails with its severity, and nothing else does
    found = sorted((w, b) for w, b in expected for r, fb in failures if w in r and fb is b)
    assert found == sorted(expected), failures
    assert len(failures) == len(expected), failures
