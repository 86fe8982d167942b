"""The fct_member_segments suite: passes on a hand-made good history, fails on each violation."""

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
SUITE = "fct_member_segments"

# Weekly snapshots. m1: active 10-04..10-18, dormant 10-18..10-25, active again since 10-25,
# on Slack since 10-04; m2 dormant since 10-11; m3 is a bot (in no segment).
GOOD = [
    "create schema marts",
    """create table marts.dim_members as select * from (values
        ('m1', false), ('m2', false), ('m3', true)
    ) t(member_id, is_bot)""",
    """create table marts.dim_segments as select * from (values
        ('active_members', 'lifecycle_status'),
        ('dormant_members', 'lifecycle_status'),
        ('slack_members', 'platform')
    ) t(segment_id, attribute)""",
    """create table marts.fct_member_segments as select * from (values
        ('ms1', 'm1', 'active_members', date '2026-10-04', date '2026-10-18', false),
        ('ms2', 'm1', 'dormant_members', date '2026-10-18', date '2026-10-25', false),
        ('ms3', 'm1', 'active_members', date '2026-10-25', null, true),
        ('ms4', 'm1', 'slack_members', date '2026-10-04', null, true),
        ('ms5', 'm2', 'dormant_members', date '2026-10-11', null, true)
    ) t(member_segment_id, member_id, segment_id, valid_from, valid_to, is_current)""",
]

# (what breaks, SQL applied to the good tables, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "a stretch listed twice",
        "insert into marts.fct_member_segments values"
        " ('ms1', 'm2', 'slack_members', date '2026-10-04', null, true)",
        (("one row per stretch", True),),
    ),
    (
        "a segment missing from dim_segments",
        "update marts.fct_member_segments set segment_id = 'ghosts'"
        " where member_segment_id = 'ms5'",
        (("segment exists in dim_segments", True),),
    ),
    (
        "a member missing from dim_members",
        "update marts.fct_member_segments set member_id = 'm9' where member_segment_id = 'ms5'",
        (("member exists in dim_members", True),),
    ),
    (
        "a bot in a segment",
        "update marts.fct_member_segments set member_id = 'm3' where member_segment_id = 'ms5'",
        (("bots are never in a segment", True),),
    ),
    (
        "a current row with an end",
        "update marts.fct_member_segments set valid_to = date '2026-11-01'"
        " where member_segment_id = 'ms4'",
        (("is_current exactly when the stretch is open", True),),
    ),
    (
        "two open stretches of one member in one segment",
        "insert into marts.fct_member_segments values"
        " ('ms6', 'm1', 'slack_members', date '2026-10-25', null, true)",
        (("in a segment at most once at a time", True),),
    ),
    (
        "a member in two lifecycle segments at once",
        "update marts.fct_member_segments set member_id = 'm1' where member_segment_id = 'ms5'",
        (("one lifecycle segment at a time", True),),
    ),
    (
        "a stretch ending when it starts",
        "update marts.fct_member_segments set valid_to = date '2026-10-04'"
        " where member_segment_id = 'ms1'",
        (("a stretch ends after it starts", False),),
    ),
    (
        "a stretch starting in the future",
        "update marts.fct_member_segments set valid_from = date '2027-06-01'"
        " where member_segment_id = 'ms3'",
        (("valid_from is a plausible date", False),),
    ),
]


def test_passes_on_good_history(make_warehouse, run_suite, failed_rules) -> None:
    outcome = run_suite(make_warehouse(*GOOD), SUITE, AS_OF)
    assert failed_rules(outcome) == []
    assert outcome.row_count == 5


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
