"""Each raw-table suite passes on good rows built by hand and fails when its key breaks.

One table per suite, two rows (enough for a duplicate); extra cases cover the rules
particular to a table (vocabularies, freshness, pairs of timestamps).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))
T1 = "timestamptz '2026-10-30 10:00:00+00'"
T2 = "timestamptz '2026-10-31 10:00:00+00'"

# suite -> (create the good table, break its key)
TABLES = {
    "raw_slack__users": (
        "create table raw_slack.users as select * from (values"
        " ('U1', 'ann', false, false), ('U2', 'bot', false, true)) t(id, name, deleted, is_bot)",
        "insert into raw_slack.users values ('U1', 'ann again', false, false)",
    ),
    "raw_slack__channels": (
        "create table raw_slack.channels as select * from (values"
        " ('C1', 'general', false), ('C2', 'help', true)) t(id, name, is_archived)",
        "insert into raw_slack.channels values (null, 'nameless', false)",
    ),
    "raw_slack__messages": (
        "create table raw_slack.messages as select * from (values"
        f" ('C1', '1.1', {T1}, false), ('C1', '2.1', {T2}, false))"
        " t(channel_id, ts, message_at, is_deleted)",
        f"insert into raw_slack.messages values ('C1', '1.1', {T1}, false)",
    ),
    "raw_slack__message_reactions": (
        "create table raw_slack.message_reactions as select * from (values"
        " ('C1', '1.1', 'wave', 'U1'), ('C1', '1.1', 'wave', 'U2'))"
        " t(channel_id, message_ts, reaction, user_id)",
        "insert into raw_slack.message_reactions values ('C1', '1.1', 'wave', 'U1')",
    ),
    "raw_discourse__users": (
        "create table raw_discourse.users as select * from (values"
        " (-1, 'system'), (7, 'ann')) t(id, username)",
        "insert into raw_discourse.users values (7, 'ann2')",
    ),
    "raw_discourse__topics": (
        "create table raw_discourse.topics as select * from (values"
        f" (1, 3, 2, {T1}), (2, 3, 1, {T2})) t(id, category_id, posts_count, created_at)",
        f"insert into raw_discourse.topics values (null, 3, 1, {T2})",
    ),
    "raw_discourse__posts": (
        "create table raw_discourse.posts as select * from (values"
        f" (10, 1, 1, {T1}), (11, 1, 2, {T2})) t(id, topic_id, post_number, created_at)",
        f"insert into raw_discourse.posts values (11, 1, 3, {T2})",
    ),
    "raw_hubspot__contacts": (
        "create table raw_hubspot.contacts as select * from (values"
        " ('101', false), ('102', true)) t(id, archived)",
        "insert into raw_hubspot.contacts values ('101', false)",
    ),
    "raw_hubspot__deals": (
        "create table raw_hubspot.deals as select * from (values"
        " ('9', 'won', 1000.0), ('10', 'open', null)) t(id, dealstage, amount)",
        "insert into raw_hubspot.deals values (null, 'won', 5.0)",
    ),
    "raw_luma__events": (
        "create table raw_luma.events as select * from (values"
        f" ('evt-1', 'Meetup', {T1}, 'meetup'), ('evt-2', 'Office hours', {T2}, 'office_hours'))"
        " t(api_id, name, start_at, event_type)",
        f"insert into raw_luma.events values ('evt-1', 'Again', {T2}, 'meetup')",
    ),
    "raw_luma__guests": (
        "create table raw_luma.guests as select * from (values"
        f" ('g-1', 'evt-1', 'api', {T1}, {T2}), ('g-2', 'evt-1', 'csv:zoom', {T1}, null))"
        " t(api_id, event_api_id, source, registered_at, checked_in_at)",
        f"insert into raw_luma.guests values ('g-2', 'evt-1', 'api', {T1}, null)",
    ),
}

SCHEMAS = [f"create schema {s}" for s in ("raw_slack", "raw_discourse", "raw_hubspot", "raw_luma")]


def test_every_raw_suite_has_a_case() -> None:
    from expectations.suites import load_suites

    assert sorted(n for n in load_suites() if n.startswith("raw_")) == sorted(TABLES)


@pytest.mark.parametrize("suite", sorted(TABLES))
def test_raw_suite_passes_on_good_rows(make_warehouse, run_suite, failed_rules, suite) -> None:
    outcome = run_suite(make_warehouse(*SCHEMAS, TABLES[suite][0]), suite, AS_OF)
    assert failed_rules(outcome) == []


@pytest.mark.parametrize("suite", sorted(TABLES))
def test_raw_suite_blocks_on_a_broken_key(make_warehouse, run_suite, suite) -> None:
    create, break_key = TABLES[suite]
    outcome = run_suite(make_warehouse(*SCHEMAS, create, break_key), suite, AS_OF)
    assert outcome.blocking_failures
    assert all("primary key" in f.rule for f in outcome.blocking_failures)


# (suite, SQL applied to the good table, words of every failing rule)
WARNINGS = [
    (
        "raw_luma__events",
        "update raw_luma.events set event_type = 'party' where api_id = 'evt-1'",
        "event_type in",
    ),
    (
        "raw_luma__guests",
        "update raw_luma.guests set source = 'csv:meetup' where api_id = 'g-1'",
        "source in",
    ),
    (
        "raw_luma__guests",
        f"update raw_luma.guests set checked_in_at = {T1} - interval 1 day where api_id = 'g-1'",
        "check-in is not before its registration",
    ),
    (
        "raw_slack__messages",
        "update raw_slack.messages set message_at = message_at - interval 20 day",
        "Freshness: Slack messages",
    ),
    (
        "raw_discourse__posts",
        "update raw_discourse.posts set post_number = 0 where id = 10",
        "post numbers start at 1",
    ),
    (
        "raw_hubspot__deals",
        "update raw_hubspot.deals set amount = -5 where id = '9'",
        "amount is never negative",
    ),
]


@pytest.mark.parametrize(("suite", "sql", "rule"), WARNINGS, ids=[w[2] for w in WARNINGS])
def test_raw_suite_warns_without_blocking(
    make_warehouse, run_suite, failed_rules, suite, sql, rule
) -> None:
    outcome = run_suite(make_warehouse(*SCHEMAS, TABLES[suite][0], sql), suite, AS_OF)
    failures = failed_rules(outcome)
    assert len(failures) == 1 and rule in failures[0][0], failures
    assert failures[0][1] is False
