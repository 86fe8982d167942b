"""The definitions load without secrets and name every asset, check, job and schedule.

The snapshot is the lineage contract: a renamed key breaks BI and lineage, so it must show up
as a reviewed snapshot change (`pytest --snapshot-update`).
"""

from __future__ import annotations

import dagster as dg

# CONTRACTS.md section 3: every raw table, as dlt assets `raw_<source>/<table>`.
RAW_TABLES = {
    "raw_slack": ["users", "channels", "messages", "message_reactions"],
    "raw_discourse": ["users", "categories", "topics", "posts", "post_likes"],
    "raw_hubspot": [
        "contacts",
        "companies",
        "deals",
        "deal_stages",
        "contact_companies",
        "deal_contacts",
    ],
    "raw_luma": ["events", "guests"],
}


def _keys(defs: dg.Definitions) -> set[str]:
    return {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}


def test_every_contract_raw_table_is_a_dlt_asset_in_its_source_group(definitions) -> None:
    graph = definitions.resolve_asset_graph()
    for schema, tables in RAW_TABLES.items():
        for table in tables:
            node = graph.get(dg.AssetKey([schema, table]))
            assert node.is_materializable, f"{schema}/{table} has no materializing asset"
            assert node.group_name == schema
            assert node.pools == {"commops_warehouse"}


def test_dbt_nodes_are_keyed_by_schema_and_name(definitions) -> None:
    keys = _keys(definitions)
    assert {"marts/dim_members", "marts/member_identities"} <= keys
    assert "staging/stg_slack__users" in keys
    assert {k.split("/")[0] for k in keys} <= {
        "raw_slack",
        "raw_discourse",
        "raw_hubspot",
        "raw_luma",
        "staging",
        "intermediate",
        "marts",
    }


def test_dbt_sources_are_the_dlt_assets(definitions) -> None:
    graph = definitions.resolve_asset_graph()
    external = [
        k.to_user_string() for k in graph.get_all_asset_keys() if not graph.get(k).is_materializable
    ]
    assert external == []
    upstream = graph.get(dg.AssetKey(["staging", "stg_slack__users"])).parent_keys
    assert dg.AssetKey(["raw_slack", "users"]) in upstream


def test_gx_checks_block_downstream(definitions) -> None:
    graph = definitions.resolve_asset_graph()
    gx_checks = {
        key: graph.get_check_spec(key)
        for key in graph.asset_check_keys
        if key.name.startswith("gx_")
    }
    assert dg.AssetCheckKey(dg.AssetKey(["marts", "dim_members"]), "gx_dim_members") in gx_checks
    assert (
        dg.AssetCheckKey(dg.AssetKey(["marts", "member_identities"]), "gx_member_identities")
        in gx_checks
    )
    assert all(spec.blocking for spec in gx_checks.values())


def test_dbt_tests_are_asset_checks(definitions) -> None:
    checks = {
        (k.asset_key.to_user_string(), k.name)
        for k in definitions.resolve_asset_graph().asset_check_keys
    }
    assert ("marts/dim_members", "unique_dim_members_member_id") in checks


def test_marts_carry_a_freshness_policy(definitions) -> None:
    graph = definitions.resolve_asset_graph()
    assert graph.get(dg.AssetKey(["marts", "dim_members"])).freshness_policy is not None
    assert graph.get(dg.AssetKey(["raw_slack", "users"])).freshness_policy is None


def test_definitions_snapshot(definitions, snapshot) -> None:
    graph = definitions.resolve_asset_graph()
    summary = {
        "assets": sorted(
            f"{k.to_user_string()} [{graph.get(k).group_name}]" for k in graph.get_all_asset_keys()
        ),
        "checks": sorted(
            f"{k.asset_key.to_user_string()}:{k.name}" for k in graph.asset_check_keys
        ),
        "jobs": sorted(j.name for j in definitions.jobs or []),
        "schedules": sorted(
            f"{s.name} {s.cron_schedule} {s.execution_timezone} -> {s.job_name}"
            for s in definitions.schedules or []
        ),
        "sensors": sorted(s.name for s in definitions.sensors or []),
    }
    assert summary == snapshot
