"""Every suite module builds, names its table, and says why each expectation exists."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from expectations.rules import SuiteParams
from expectations.suites import load_suites

SUITES = load_suites()


def test_the_first_milestone_suites_exist() -> None:
    assert {"dim_members", "member_identities"} <= set(SUITES)


@pytest.mark.parametrize("name", sorted(SUITES))
def test_suite_guards_the_table_it_is_named_for(name: str) -> None:
    suite = SUITES[name]
    schema, table = suite.table.split(".")
    assert name in (table, f"{schema}__{table}")
    assert suite.build(SuiteParams()).name == name


@pytest.mark.parametrize("name", sorted(SUITES))
def test_every_expectation_records_its_rule_and_severity(name: str) -> None:
    params = SuiteParams(as_of=datetime(2026, 11, 1, tzinfo=UTC), previous_row_count=10)
    for expectation in SUITES[name].build(params).expectations:
        meta = expectation.meta or {}
        assert isinstance(meta.get("blocking"), bool), expectation
        assert meta.get("rule"), expectation
        assert expectation.notes and expectation.notes.startswith(("Blocking:", "Warning:"))
