"""Asset keys, named once: dlt tables are `raw_<source>/<table>`, dbt nodes `<schema>/<name>`.

A dbt source gets the key of the dlt asset that loads it (its schema is the dlt dataset), so
lineage runs from the vendor API to the marts without hand-wired dependencies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagster import AssetKey, AssetSpec
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings
from dagster_dlt import DagsterDltTranslator
from dagster_dlt.translator import DltResourceTranslatorData


def raw_dataset(source_name: str) -> str:
    """The raw schema a source loads into (DESIGN.md: `raw_<source>`)."""
    return f"raw_{source_name}"


def dlt_table_name(resource: Any) -> str:
    """The table a dlt resource writes: its declared table name, else its own name."""
    table = resource.table_name
    return table if isinstance(table, str) and table else resource.name


class CommopsDltTranslator(DagsterDltTranslator):
    """dlt resource -> `raw_<source>/<table>`, grouped by raw schema (one group per source)."""

    def __init__(self, source_name: str) -> None:
        self.source_name = source_name

    def get_asset_spec(self, data: DltResourceTranslatorData) -> AssetSpec:
        dataset = raw_dataset(self.source_name)
        spec = super().get_asset_spec(data)
        return spec.replace_attributes(
            key=AssetKey([dataset, dlt_table_name(data.resource)]),
            group_name=dataset,
            deps=[],
            description=f"`{dataset}.{dlt_table_name(data.resource)}`, loaded by dlt from the "
            f"{self.source_name} API (ingestion/{self.source_name}).",
        )


class CommopsDbtTranslator(DagsterDbtTranslator):
    """dbt node -> `<schema>/<name>` (no database); a source -> its dlt asset's key."""

    def __init__(self) -> None:
        super().__init__(DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        return AssetKey(dbt_asset_key_path(dbt_resource_props))

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return None
        return dbt_resource_props.get("schema") or None


def dbt_asset_key_path(props: Mapping[str, Any]) -> list[str]:
    """Pure naming rule, testable without a manifest."""
    if props["resource_type"] == "source":
        return [props["schema"], props.get("identifier") or props["name"]]
    return [props["schema"], props.get("alias") or props["name"]]
