"""The stg_hubspot__contact_companies suite: associations accounted for and pointing at live
contacts and existing companies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams

AS_OF = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC))
SUITE = "stg_hubspot__contact_companies"

# Contacts 101 and 103 live, 102 archived; companies 1 and 2; two associations of live contacts.
GOOD = [
    "create schema raw_hubspot",
    "create schema staging",
    """create table raw_hubspot.contacts as select * from (values
        ('101', false), ('102', true), ('103', false)) t(id, archived)""",
    "create table raw_hubspot.companies as select * from (values ('1'), ('2')) t(id)",
    """create table raw_hubspot.contact_companies as select * from (values
        ('101', '1'), ('103', '2')) t(contact_id, company_id)""",
    """create table staging.stg_hubspot__contact_companies as
    select contact_id || ':' || company_id as contact_company_id, contact_id, company_id
    from raw_hubspot.contact_companies""",
]


def _associate(contact_id: str, company_id: str) -> tuple[str, str]:
    """The same association in raw and in staging."""
    return (
        f"insert into raw_hubspot.contact_companies values ('{contact_id}', '{company_id}')",
        "insert into staging.stg_hubspot__contact_companies values"
        f" ('{contact_id}:{company_id}', '{contact_id}', '{company_id}')",
    )


# (what breaks, SQL applied to the good tables, (words of each failing rule, blocking))
VIOLATIONS = [
    (
        "an association lost in staging",
        ("delete from staging.stg_hubspot__contact_companies where contact_id = '103'",),
        (("row counts equal", True),),
    ),
    (
        "an archived contact's association",
        _associate("102", "1"),
        (("contact exists in raw_hubspot.contacts and is not archived", False),),
    ),
    (
        "an unknown contact",
        _associate("999", "1"),
        (("contact exists in raw_hubspot.contacts and is not archived", False),),
    ),
    (
        "an unknown company",
        _associate("101", "7"),
        (("company exists in raw_hubspot.companies", False),),
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
