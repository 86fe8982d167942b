"""Materialization metadata every warehouse asset carries: row count and rows added this run."""

from __future__ import annotations

from typing import Any

from dagster import MetadataValue

ROW_COUNT = "dagster/row_count"  # Dagster's standard key: shown in the UI's asset overview


def row_count_metadata(before: int | None, after: int | None) -> dict[str, Any]:
    """`dagster/row_count` plus `new_rows` (after - before; all rows on a first load)."""
    if after is None:
        return {}
    return {
        ROW_COUNT: MetadataValue.int(after),
        "new_rows": MetadataValue.int(after - (before or 0)),
    }
