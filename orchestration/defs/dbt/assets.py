"""Every dbt model and seed as an asset; dbt tests arrive as asset checks (dagster-dbt).

`dbt build` runs against the configured warehouse. Row counts are read after dbt exits
(DuckDB admits no reader beside dbt's writer), for tables, and for views whose model sets
`meta: {count_rows: true}` (a plain projection of one table, like fct_activities): counting
any other view runs it.
"""

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.common.resources import WAREHOUSE_POOL, WarehouseResource
from orchestration.defs.dbt.resources import dbt_cli, dbt_project
from orchestration.lib.metadata import row_count_metadata
from orchestration.lib.settings import dbt_build_args
from orchestration.lib.translators import CommopsDbtTranslator, dbt_asset_key_path
from orchestration.lib.warehouse import row_counts, warehouse_env

_COUNTED = {"table", "incremental", "seed", "snapshot"}


def counted_tables(manifest: Mapping[str, Any]) -> dict[tuple[str, ...], tuple[str, str]]:
    """Asset key path -> (schema, table) for nodes stored as tables, and views marked
    `count_rows` in their meta (cheap to count)."""
    tables: dict[tuple[str, ...], tuple[str, str]] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") not in {"model", "seed", "snapshot"}:
            continue
        materialized = (
            "seed" if node["resource_type"] == "seed" else node["config"].get("materialized")
        )
        if materialized in _COUNTED or node["config"].get("meta", {}).get("count_rows"):
            path = dbt_asset_key_path(node)
            tables[tuple(path)] = (path[0], path[1])
    return tables


def build_dbt_assets() -> dg.AssetsDefinition:
    project = dbt_project()
    manifest = json.loads(Path(project.manifest_path).read_text())
    tables = counted_tables(manifest)

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        dagster_dbt_translator=CommopsDbtTranslator(),
        name="dbt_models",
        pool=WAREHOUSE_POOL,
    )
    def dbt_models(
        context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
    ) -> Iterator[Any]:
        path = Path(warehouse.path)
        keys = [tuple(k.path) for k in context.selected_asset_keys]
        selected = [tables[k] for k in keys if k in tables]
        before = row_counts(path, selected)
        with warehouse_env(path):
            invocation = dbt.cli(dbt_build_args(), context=context, raise_on_error=False)
            events = []
            for event in invocation.stream():
                if isinstance(event, dg.Output):
                    built = context.asset_key_for_output(event.output_name)
                    context.log.info(f"dbt built {built.to_user_string()}")
                events.append(event)
        after = row_counts(path, selected)
        for event in events:
            if isinstance(event, dg.Output):
                key = tuple(context.asset_key_for_output(event.output_name).path)
                table = tables.get(key)
                extra = row_count_metadata(before.get(table), after.get(table)) if table else {}
                yield dg.Output(
                    value=None,
                    output_name=event.output_name,
                    metadata={**(event.metadata or {}), **extra},
                )
            else:
                yield event
        if not invocation.is_successful():
            error = invocation.get_error()
            raise dg.Failure(f"dbt build failed: {error}" if error else "dbt build failed")

    return dbt_models


def build_defs() -> dg.Definitions:
    return dg.Definitions(assets=[build_dbt_assets()], resources={"dbt": dbt_cli()})
