"""Pairwise precision and recall of identity resolution against the generator's ground truth."""

from __future__ import annotations

import csv
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import duckdb


def truth_by_account(sample_dir: Path) -> dict[tuple[str, str], str]:
    """(platform, platform_user_id) -> person_id, from identities.csv."""
    with (sample_dir / "identities.csv").open(newline="") as f:
        return {(r["platform"], r["platform_user_id"]): r["person_id"] for r in csv.DictReader(f)}


def resolved_by_account(warehouse: Path) -> dict[tuple[str, str], str]:
    """(platform, platform_user_id) -> member_id, from marts.member_identities."""
    con = duckdb.connect(str(warehouse))
    try:
        rows = con.execute(
            "select platform, platform_user_id, member_id from marts.member_identities"
        ).fetchall()
    finally:
        con.close()
    return {(p, u): m for p, u, m in rows}


def _pairs(groups: dict[str, list[tuple[str, str]]]) -> set[frozenset[tuple[str, str]]]:
    out: set[frozenset[tuple[str, str]]] = set()
    for accounts in groups.values():
        for a, b in combinations(sorted(accounts), 2):
            out.add(frozenset((a, b)))
    return out


def pairwise_scores(
    truth: dict[tuple[str, str], str], resolved: dict[tuple[str, str], str]
) -> tuple[float, float, int, int]:
    """Precision and recall over same-person account pairs, on the accounts both sides know.

    Returns (precision, recall, predicted pair count, true pair count).
    """
    common = truth.keys() & resolved.keys()
    true_groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    predicted_groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for account in common:
        true_groups[truth[account]].append(account)
        predicted_groups[resolved[account]].append(account)
    true_pairs = _pairs(true_groups)
    predicted_pairs = _pairs(predicted_groups)
    hits = len(true_pairs & predicted_pairs)
    precision = hits / len(predicted_pairs) if predicted_pairs else 1.0
    recall = hits / len(true_pairs) if true_pairs else 1.0
    return precision, recall, len(predicted_pairs), len(true_pairs)
