"""The stg_discourse__posts suite: every raw Discourse post accounted for in staging."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))
SUITE = "stg_discourse__posts"

# Raw ids are integers; staging casts them to text, as dbt does.
GOOD = [
    "create schema raw_discourse",
    "create schema staging",
    """create table raw_discourse.posts as select * from (values
        (10, 1), (11, 1), (12, 2)) t(id, topic_id)""",
    """create table staging.stg_discourse__posts as
    select cast(id as varchar) as post_id, cast(topic_id as varchar) as topic_id
    from raw_discourse.posts""",
]

COUNTS = "one staging row per raw post (row counts equal)"
EVERY = "every raw post id is in staging"

# (what breaks, SQL applied to the good tables, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "a raw post lost in staging",
        "delete from staging.stg_discourse__posts where post_id = '11'",
        ((COUNTS, True), (EVERY, True)),
    ),
    (
        "a post twice in staging",
        "insert into staging.stg_discourse__posts values ('10', '1')",
        ((COUNTS, True),),
    ),
    (
        "a raw post replaced by another in staging",
        "update staging.stg_discourse__posts set post_id = '99' where post_id = '12'",
        ((EVERY, True),),
    ),
]


def test_passes_when_staging_holds_every_raw_post(make_warehouse, run_suite, failed_rules) -> None:
    outcome = run_suite(make_warehouse(*GOOD), SUITE, AS_OF)
    assert failed_rules(outcome) == []
    assert outcome.row_count == 3


def test_a_forum_without_posts_only_warns(make_warehouse, run_suite, failed_rules) -> None:
    path = make_warehouse(
        *GOOD, "delete from raw_discourse.posts", "delete from staging.stg_discourse__posts"
    )
    assert failed_rules(run_suite(path, SUITE, AS_OF)) == [
        ("Volume: stg_discourse__posts: the table is not empty", False)
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
