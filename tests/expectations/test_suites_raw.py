"""Each raw-table suite passes on good rows built by hand and fails when its key breaks.

One table per suite, two rows (enough for a duplicate); extra cases cover the rules
particular to a table (vocabularies, freshness, pairs of timestamps).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from expectations.rules import SuiteParams
from expectations.suites import TableSuite, load_suites
from expectations.validate import ValidationOutcome, validate_table

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
    "raw_discourse__categories": (
        "create table raw_discourse.categories as select * from (values"
        " (1, 'Uncategorized', 'uncategorized', null, 3), (9, 'Install', 'install', 5, 0))"
        " t(id, name, slug, parent_category_id, topic_count)",
        "insert into raw_discourse.categories values (9, 'Setup', 'setup', null, 1)",
    ),
    "raw_discourse__post_likes": (
        "create table raw_discourse.post_likes as select * from (values"
        f" (10, 7, {T1}), (10, 8, null)) t(post_id, user_id, created_at)",
        f"insert into raw_discourse.post_likes values (10, 7, {T2})",
    ),
    "raw_hubspot__companies": (
        "create table raw_hubspot.companies as select * from (values"
        " ('501', 'Acme', false), ('502', 'Globex', true)) t(id, name, archived)",
        "insert into raw_hubspot.companies values ('502', 'Globex again', false)",
    ),
    "raw_hubspot__deal_stages": (
        "create table raw_hubspot.deal_stages as select * from (values"
        " ('default', 'qualifiedtobuy', false, 0.4), ('default', 'closedwon', true, 1.0))"
        " t(pipeline_id, stage_id, is_closed, probability)",
        "insert into raw_hubspot.deal_stages values ('default', 'closedwon', true, 1.0)",
    ),
    "raw_hubspot__contact_companies": (
        "create table raw_hubspot.contact_companies as select * from (values"
        " ('101', '501'), ('102', '501')) t(contact_id, company_id)",
        "insert into raw_hubspot.contact_companies values ('101', null)",
    ),
    "raw_hubspot__deal_contacts": (
        "create table raw_hubspot.deal_contacts as select * from (values"
        " ('9', '101'), ('9', '102')) t(deal_id, contact_id)",
        "insert into raw_hubspot.deal_contacts values ('9', '102')",
    ),
}


def _rejects(schema: str, source: str) -> tuple[str, str]:
    """A schema's `_rejects` with two rows as ingestion/common/rejects.py writes them (one
    without a record key), and a third row that lost its reason."""
    return (
        f"create table {schema}._rejects as select * from (values"
        f" ('{source}', 'users', 'U9', 'user without id', '{{\"id\": null}}', {T1}),"
        f" ('{source}', 'messages', null, 'not an object', '\"oops\"', {T2}))"
        " t(source, resource, record_key, reason, raw_record, rejected_at)",
        f"insert into {schema}._rejects values ('{source}', 'users', 'U8', null, '{{}}', {T2})",
    )


REJECTS = {f"{s}___rejects": s for s in ("raw_slack", "raw_discourse", "raw_hubspot", "raw_luma")}
TABLES.update({suite: _rejects(s, s.removeprefix("raw_")) for suite, s in REJECTS.items()})
# A rejects table has no key; its blocking rule is that a rejected record keeps its reason.
BROKEN_RULE = {suite: "nothing lost" for suite in REJECTS}

SCHEMAS = [f"create schema {s}" for s in ("raw_slack", "raw_discourse", "raw_hubspot", "raw_luma")]


def test_every_raw_suite_has_a_case() -> None:
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
    rule = BROKEN_RULE.get(suite, "primary key")
    assert all(rule in f.rule for f in outcome.blocking_failures)


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
    (
        "raw_discourse__categories",
        "update raw_discourse.categories set topic_count = -1 where id = 1",
        "topic_count is never negative",
    ),
    (
        "raw_discourse__post_likes",
        "update raw_discourse.post_likes set created_at = timestamptz '1999-12-31 10:00:00+00'",
        "created_at is a plausible date",
    ),
    (
        "raw_hubspot__companies",
        "update raw_hubspot.companies set archived = null where id = '501'",
        "archived is set on every company",
    ),
    (
        "raw_hubspot__deal_stages",
        "update raw_hubspot.deal_stages set probability = 1.5 where stage_id = 'closedwon'",
        "probability is a share in [0, 1]",
    ),
    (
        "raw_slack___rejects",
        "update raw_slack._rejects set source = 'discourse' where record_key = 'U9'",
        "source in ['slack']",
    ),
    (
        # the guests' `source` vocabulary is not the rejects': CSV imports reject as 'luma'
        "raw_luma___rejects",
        "update raw_luma._rejects set source = 'csv:luma' where record_key = 'U9'",
        "source in ['luma']",
    ),
    (
        "raw_hubspot___rejects",
        "update raw_hubspot._rejects set rejected_at = timestamptz '2999-01-01 00:00:00+00'",
        "rejected_at is a plausible date",
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


# (suite, SQL applied to the good table, words of the one failing rule): these block
BLOCKING = [
    (
        "raw_hubspot__deal_stages",
        "update raw_hubspot.deal_stages set is_closed = null where stage_id = 'closedwon'",
        "every stage says whether it is closed",
    ),
    (
        "raw_discourse___rejects",
        "update raw_discourse._rejects set raw_record = null where record_key = 'U9'",
        "nothing lost: raw_record is never null",
    ),
    (
        "raw_hubspot___rejects",
        "update raw_hubspot._rejects set source = null where record_key = 'U9'",
        "nothing lost: source is never null",
    ),
    (
        "raw_luma___rejects",
        "update raw_luma._rejects set resource = null where record_key is null",
        "nothing lost: resource is never null",
    ),
]


@pytest.mark.parametrize(("suite", "sql", "rule"), BLOCKING, ids=[b[2] for b in BLOCKING])
def test_raw_suite_blocks(make_warehouse, run_suite, failed_rules, suite, sql, rule) -> None:
    outcome = run_suite(make_warehouse(*SCHEMAS, TABLES[suite][0], sql), suite, AS_OF)
    failures = failed_rules(outcome)
    assert len(failures) == 1 and rule in failures[0][0], failures
    assert failures[0][1] is True


def test_a_rejects_table_without_its_reason_column_blocks(make_warehouse, run_suite) -> None:
    create = TABLES["raw_slack___rejects"][0]
    drop = "alter table raw_slack._rejects drop column reason"
    outcome = run_suite(make_warehouse(*SCHEMAS, create, drop), "raw_slack___rejects", AS_OF)
    assert any("reason, raw_record, rejected_at are present" in f.rule for f in outcome.failures)
    assert all(f.blocking for f in outcome.failures)


EMPTY_REJECTS = (
    "create table raw_hubspot._rejects (source text, resource text, record_key text,"
    " reason text, raw_record text, rejected_at timestamptz)"
)


@pytest.mark.parametrize("previous", [None, 0])
def test_an_empty_rejects_table_passes(make_warehouse, run_suite, failed_rules, previous) -> None:
    params = replace(AS_OF, previous_row_count=previous)
    outcome = run_suite(make_warehouse(*SCHEMAS, EMPTY_REJECTS), "raw_hubspot___rejects", params)
    assert outcome.row_count == 0
    assert failed_rules(outcome) == []


@pytest.mark.parametrize(("previous", "warns"), [(2, False), (3, True)])
def test_a_rejects_table_that_lost_any_row_warns(
    make_warehouse, run_suite, failed_rules, previous, warns
) -> None:
    """Append-only: 3 rows down to 2 warns, though `volume` would tolerate that drop."""
    params = replace(AS_OF, previous_row_count=previous)
    outcome = run_suite(
        make_warehouse(*SCHEMAS, TABLES["raw_luma___rejects"][0]), "raw_luma___rejects", params
    )
    failures = failed_rules(outcome)
    if warns:
        assert len(failures) == 1 and "at least 3 rows (append-only" in failures[0][0], failures
        assert failures[0][1] is False
    else:
        assert failures == []


def _validate(warehouse: Path, suite: TableSuite, params: SuiteParams) -> ValidationOutcome:
    built = suite.build(params)
    return validate_table(warehouse, suite.table, built, derived_columns=suite.derived_columns)


def test_an_absent_rejects_table_counts_as_an_empty_one(make_warehouse, failed_rules) -> None:
    suite = load_suites()["raw_slack___rejects"]
    warehouse = make_warehouse(*SCHEMAS)
    assert failed_rules(_validate(warehouse, suite, AS_OF)) == []
    shrunk = _validate(warehouse, suite, replace(AS_OF, previous_row_count=2))
    failures = failed_rules(shrunk)
    assert len(failures) == 1 and "at least 2 rows (append-only" in failures[0][0], failures
    assert failures[0][1] is False


def test_no_raw_suite_blocks_on_the_loaded_sample(raw_warehouse: Path, sample_dir: Path) -> None:
    """The real warehouse loaded from the sample: no raw suite blocks. Judged at the end of
    the sample's today, as the checks do under COMMOPS_AS_OF."""
    manifest = json.loads((sample_dir / "manifest.json").read_text(encoding="utf-8"))
    today = datetime.combine(date.fromisoformat(manifest["today"]), time(), UTC)
    params = SuiteParams(as_of=today + timedelta(days=1))
    raw = {name: s for name, s in load_suites().items() if name.startswith("raw_")}
    blocking = {
        name: [f.describe() for f in _validate(raw_warehouse, suite, params).blocking_failures]
        for name, suite in raw.items()
    }
    assert sorted(blocking) == sorted(TABLES)
    assert blocking == {name: [] for name in raw}
