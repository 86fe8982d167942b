"""One `@dlt_assets` per registered source (ingestion.pipeline.SOURCES), one group each.

The dlt source and pipeline built here only describe the assets; each run builds them again
from the current environment (credentials, base URLs) and the configured warehouse.
"""

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dlt import DagsterDltResource, build_dlt_asset_specs
from dlt.common.configuration.exceptions import ConfigFieldMissingException
from dlt.extract.source import DltSource

from ingestion import pipeline as ingestion_pipeline
from ingestion.common.rejects import REJECTS_TABLE
from orchestration.defs.common.resources import WAREHOUSE_POOL, WarehouseResource
from orchestration.defs.dbt.resources import raw_tables_read_by_dbt
from orchestration.lib.metadata import row_count_metadata
from orchestration.lib.translators import CommopsDltTranslator, raw_dataset
from orchestration.lib.warehouse import row_counts, warehouse_path

PLACEHOLDER = "placeholder-not-a-secret"


def build_source_for_definitions(name: str) -> DltSource:
    """The source, with placeholders for any credential missing from this environment.

    Loading definitions (the UI, tests) must not need real secrets; runs build the source again
    and fail with dlt's own message if a credential is really missing.
    """
    factory = ingestion_pipeline.SOURCES[name]
    with _placeholder_env() as fill:
        for _ in range(10):
            try:
                return factory()
            except ConfigFieldMissingException as exc:
                if not fill(exc):
                    raise
    return factory()


@contextmanager
def _placeholder_env() -> Iterator:
    added: list[str] = []

    def fill(exc: ConfigFieldMissingException) -> bool:
        before = len(added)
        for traces in exc.traces.values():
            for trace in traces:
                if getattr(trace, "provider", None) != "Environment Variables":
                    continue
                key = trace.key  # the full variable name, e.g. SOURCES__SLACK__ACCESS_TOKEN
                if key not in os.environ:
                    os.environ[key] = PLACEHOLDER
                    added.append(key)
                break
        return len(added) > before

    try:
        yield fill
    finally:
        for key in added:
            os.environ.pop(key, None)


def table_of(key: dg.AssetKey) -> tuple[str, str]:
    schema, table = key.path
    return schema, table


def build_source_assets(name: str, extra_tables: Iterable[str] = ()) -> dg.AssetsDefinition:
    """One step loading the whole source: an asset per dlt resource, plus `extra_tables` the
    source writes beside its resources (e.g. Slack reactions, written by `messages`)."""
    translator = CommopsDltTranslator(name)
    dataset = raw_dataset(name)
    specs = list(
        build_dlt_asset_specs(
            dlt_source=build_source_for_definitions(name),
            dlt_pipeline=ingestion_pipeline.make_pipeline(name, warehouse_path()),
            dagster_dlt_translator=translator,
        )
    )
    resource_keys = {spec.key for spec in specs}
    for table in sorted(extra_tables):
        key = dg.AssetKey([dataset, table])
        if key not in resource_keys:
            specs.append(
                dg.AssetSpec(
                    key,
                    group_name=dataset,
                    kinds={"dlt", "duckdb"},
                    description=f"`{dataset}.{table}`, written by the {name} source beside "
                    "its resources.",
                )
            )

    @dg.multi_asset(specs=specs, name=f"dlt_{name}", can_subset=False, pool=WAREHOUSE_POOL)
    def _load(
        context: AssetExecutionContext, dlt: DagsterDltResource, warehouse: WarehouseResource
    ) -> Iterator[dg.MaterializeResult]:
        path = Path(warehouse.path)
        tables = [table_of(spec.key) for spec in specs]
        before = row_counts(path, tables)
        pipeline = ingestion_pipeline.make_pipeline(name, path)
        context.log.info(f"loading {name} into {dataset} of {path}")
        results = list(
            dlt.run(
                context=context,
                dlt_source=ingestion_pipeline.SOURCES[name](),
                dlt_pipeline=pipeline,
                dagster_dlt_translator=translator,
            )
        )
        after = row_counts(path, tables)
        trace = pipeline.last_trace
        load_ids = list(trace.last_load_info.loads_ids) if trace and trace.last_load_info else []
        dlt_metadata = {r.asset_key: dict(r.metadata or {}) for r in results}
        for spec in specs:
            table = table_of(spec.key)
            yield dg.MaterializeResult(
                asset_key=spec.key,
                metadata={
                    **dlt_metadata.get(spec.key, {}),
                    **row_count_metadata(before.get(table), after.get(table)),
                    "dlt_load_ids": dg.MetadataValue.json(load_ids),
                },
            )

    return _load


def build_defs() -> dg.Definitions:
    read_by_dbt = raw_tables_read_by_dbt()
    assets = [
        build_source_assets(name, {*read_by_dbt.get(raw_dataset(name), ()), REJECTS_TABLE})
        for name in ingestion_pipeline.SOURCES
    ]
    return dg.Definitions(assets=assets, resources={"dlt": DagsterDltResource()})
