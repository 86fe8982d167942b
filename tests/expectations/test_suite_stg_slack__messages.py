"""The stg_slack__messages suite: every raw Slack message accounted for in staging."""

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
SUITE = "stg_slack__messages"

# Three raw messages and staging as dbt builds it (a table here, so it can be broken alone).
GOOD = [
    "create schema raw_slack",
    "create schema staging",
    """create table raw_slack.messages as select * from (values
        ('C1', '1.1'), ('C1', '2.1'), ('C2', '1.1')) t(channel_id, ts)""",
    """create table staging.stg_slack__messages as
    select channel_id || ':' || ts as message_id, channel_id, ts as message_ts
    from raw_slack.messages""",
]

COUNTS = "one staging row per raw message (row counts equal)"
EVERY = "every raw message (channel_id, ts) is in staging"

# (what breaks, SQL applied to the good tables, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "a raw message lost in staging",
        "delete from staging.stg_slack__messages where message_id = 'C1:2.1'",
        ((COUNTS, True), (EVERY, True)),
    ),
    (
        "a message twice in staging",
        "insert into staging.stg_slack__messages values ('C1:1.1', 'C1', '1.1')",
        ((COUNTS, True),),
    ),
    (
        "a raw message replaced by another in staging",
        "update staging.stg_slack__messages set message_ts = '9.9' where message_id = 'C1:2.1'",
        ((EVERY, True),),
    ),
    (
        "staging empty",
        "delete from staging.stg_slack__messages",
        (("the table is not empty", True),),
    ),
]


def test_passes_when_staging_holds_every_raw_message(
    make_warehouse, run_suite, failed_rules
) -> None:
    outcome = run_suite(make_warehouse(*GOOD), SUITE, AS_OF)
    assert failed_rules(outcome) == []
    assert outcome.row_count == 3


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
