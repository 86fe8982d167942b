"""Which dbt assets get a row count after a build: tables, and views marked `count_rows`."""

from __future__ import annotations

from orchestration.defs.dbt.assets import counted_tables


def _node(name: str, schema: str, materialized: str, meta: dict | None = None) -> dict:
    return {
        "resource_type": "model",
        "name": name,
        "schema": schema,
        "config": {"materialized": materialized, "meta": meta or {}},
    }


def test_tables_and_marked_views_are_counted_other_views_are_not() -> None:
    manifest = {
        "nodes": {
            "model.p.dim_members": _node("dim_members", "marts", "table"),
            "model.p.int_a": _node("int_a", "intermediate", "incremental"),
            "model.p.fct": _node("fct_activities", "marts", "view", {"count_rows": True}),
            "model.p.stg_x": _node("stg_x", "staging", "view"),
            "test.p.unique_x": {"resource_type": "test", "name": "unique_x", "config": {}},
        }
    }
    assert counted_tables(manifest) == {
        ("marts", "dim_members"): ("marts", "dim_members"),
        ("intermediate", "int_a"): ("intermediate", "int_a"),
        ("marts", "fct_activities"): ("marts", "fct_activities"),
    }
