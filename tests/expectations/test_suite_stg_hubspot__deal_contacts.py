"""The stg_hubspot__deal_contacts suite: associations accounted for and pointing at existing
deals and live contacts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))
SUITE = "stg_hubspot__deal_contacts"

# Contacts 101 and 103 live, 102 archived; deals 9 and 10; two associations of live contacts.
GOOD = [
    "create schema raw_hubspot",
    "create schema staging",
    """create table raw_hubspot.contacts as select * from (values
        ('101', false), ('102', true), ('103', false)) t(id, archived)""",
    "create table raw_hubspot.deals as select * from (values ('9'), ('10')) t(id)",
    """create table raw_hubspot.deal_contacts as select * from (values
        ('9', '101'), ('10', '103')) t(deal_id, contact_id)""",
    """create table staging.stg_hubspot__deal_contacts as
    select deal_id || ':' || contact_id as deal_contact_id, deal_id, contact_id
    from raw_hubspot.deal_contacts""",
]


def _associate(deal_id: str, contact_id: str) -> tuple[str, str]:
    """The same association in raw and in staging."""
    return (
        f"insert into raw_hubspot.deal_contacts values ('{deal_id}', '{contact_id}')",
        "insert into staging.stg_hubspot__deal_contacts values"
        f" ('{deal_id}:{contact_id}', '{deal_id}', '{contact_id}')",
    )


# (what breaks, SQL applied to the good tables, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "an association twice in staging",
        ("insert into staging.stg_hubspot__deal_contacts values ('9:101', '9', '101')",),
        (("row counts equal", True),),
    ),
    (
        "an unknown deal",
        _associate("77", "101"),
        (("deal exists in raw_hubspot.deals", False),),
    ),
    (
        "an archived contact's association",
        _associate("9", "102"),
        (("contact exists in raw_hubspot.contacts and is not archived", False),),
    ),
]


def test_passes_on_good_associations(make_warehouse, run_suite, failed_rules) -> None:
    outcome = run_suite(make_warehouse(*GOOD), SUITE, AS_OF)
    assert failed_rules(outcome) == []
    assert outcome.row_count == 2


@pytest.mark.parametrize(
    ("sql", "expected"), [v[1:] for v in VIOLATIONS], ids=[v[0] for v in VIOLATIONS]
)
def test_fails_on_violation(make_warehouse, run_suite, failed_rules, sql, expected) -> None:
    outcome = run_suite(make_warehouse(*GOOD, *sql), SUITE, AS_OF)
    failures = failed_rules(outcome)
    assert not outcome.success
    # each expected rule fails with its severity, and nothing else does
    found = sorted((w, b) for w, b in expected for r, fb in failures if w in r and fb is b)
    assert found == sorted(expected), failures
    assert len(failures) == len(expected), failures
