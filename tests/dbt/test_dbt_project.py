"""The dbt project builds (models, data tests, unit tests) and resolves identities correctly."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_dbt
from tests.dbt.identity_metrics import pairwise_scores, resolved_by_account, truth_by_account

MARTS = [
    "member_identities",
    "identity_merge_suggestions",
    "dim_members",
    "fct_activities",
    "fct_member_daily_activity",
    "fct_questions",
    "fct_community_daily",
    "fct_community_monthly",
    "dim_programs",
    "fct_program_participation",
    "fct_program_impact",
    "fct_influenced_pipeline",
    "fct_onboarding_funnel",
    "dim_segments",
    "fct_member_segments",
]


def _tables(warehouse: Path, schema: str) -> set[str]:
    con = duckdb.connect(str(warehouse))
    try:
        rows = con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [schema]
        ).fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


def test_build_passes_on_empty_raw_schema(empty_warehouse: Path, tmp_path: Path) -> None:
    # pinned to a day, as the daily job runs under COMMOPS_AS_OF (restored by tests/conftest.py):
    # dbt reads it from the environment, and the unit tests' own as_of_date var still wins
    os.environ["COMMOPS_AS_OF"] = "2031-05-06"
    run_dbt(["build"], empty_warehouse, tmp_path / "target")
    compiled = tmp_path / "target" / "compiled" / "commops" / "models" / "marts"
    assert "cast('2031-05-06' as date)" in (compiled / "fct_community_daily.sql").read_text()
    assert set(MARTS) <= _tables(empty_warehouse, "marts")
    assert "stg_slack__messages" in _tables(empty_warehouse, "staging")
    assert "int_identities__resolved" in _tables(empty_warehouse, "intermediate")


def test_build_fails_when_a_data_test_fails(empty_warehouse: Path, tmp_path: Path) -> None:
    # Two Slack users with one id break unique(stg_slack__users.slack_user_id).
    con = duckdb.connect(str(empty_warehouse))
    con.execute("insert into raw_slack.users (id, name) values ('U1', 'a'), ('U1', 'b')")
    con.close()
    with pytest.raises(RuntimeError, match="dbt build failed"):
        run_dbt(["build"], empty_warehouse, tmp_path / "target")


def test_every_ground_truth_account_is_one_identity(
    built_warehouse: Path, sample_dir: Path
) -> None:
    truth = truth_by_account(sample_dir)
    resolved = resolved_by_account(built_warehouse)
    assert set(resolved) == set(truth)


def test_identity_resolution_precision_and_recall(built_warehouse: Path, sample_dir: Path) -> None:
    precision, recall, predicted, actual = pairwise_scores(
        truth_by_account(sample_dir), resolved_by_account(built_warehouse)
    )
    assert actual > 0
    assert precision >= 0.99, f"precision {precision:.4f} ({predicted} predicted pairs)"
    assert recall >= 0.95, f"recall {recall:.4f} ({actual} true pairs)"


def test_bots_are_flagged_as_in_people_csv(built_warehouse: Path, sample_dir: Path) -> None:
    with (sample_dir / "people.csv").open(newline="") as f:
        bots = {r["person_id"] for r in csv.DictReader(f) if r["is_bot"].lower() in ("1", "true")}
    truth = truth_by_account(sample_dir)
    bot_accounts = {a for a, person in truth.items() if person in bots}
    con = duckdb.connect(str(built_warehouse))
    flagged = {
        (p, u)
        for p, u in con.execute(
            "select platform, platform_user_id from marts.member_identities where is_bot"
        ).fetchall()
    }
    con.close()
    assert bot_accounts
    assert flagged == bot_accounts


def test_every_mart_has_rows_on_the_sample(built_warehouse: Path) -> None:
    con = duckdb.connect(str(built_warehouse))
    counts = {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in MARTS}
    con.close()
    empty = [t for t, n in counts.items() if n == 0 and t != "identity_merge_suggestions"]
    assert not empty, counts


def _members_vs_people(built_warehouse: Path, sample_dir: Path) -> list[tuple[tuple, dict]]:
    """(dim_members row, the people.csv row of its person) for every member."""
    truth = truth_by_account(sample_dir)
    with (sample_dir / "people.csv").open(newline="") as f:
        people = {r["person_id"]: r for r in csv.DictReader(f)}
    con = duckdb.connect(str(built_warehouse))
    person_of = {
        m: truth[(p, u)]
        for p, u, m in con.execute(
            "select platform, platform_user_id, member_id from marts.member_identities"
        ).fetchall()
    }
    rows = con.execute(
        "select member_id, is_staff, is_bot, programs, company_name from marts.dim_members"
    ).fetchall()
    con.close()
    return [(row, people[person_of[row[0]]]) for row in rows]


def test_staff_and_bot_flags_match_people_csv(built_warehouse: Path, sample_dir: Path) -> None:
    pairs = _members_vs_people(built_warehouse, sample_dir)
    wrong = [
        (row, person["person_id"])
        for row, person in pairs
        if row[1] != (person["is_staff"] == "true") or row[2] != (person["is_bot"] == "true")
    ]
    assert any(row[1] for row, _ in pairs) and any(row[2] for row, _ in pairs)
    assert not wrong


def test_program_participation_matches_people_csv(built_warehouse: Path, sample_dir: Path) -> None:
    pairs = _members_vs_people(built_warehouse, sample_dir)
    agree = sum(
        set((row[3] or "").split(",")) - {""} == set(person["programs"].split(";")) - {""}
        for row, person in pairs
    )
    assert any(row[3] for row, _ in pairs)
    assert agree / len(pairs) >= 0.99, f"{agree} of {len(pairs)} members agree"
