"""Asset keys: dlt tables `raw_<source>/<table>`, dbt nodes `<schema>/<name>`."""

from __future__ import annotations

from pathlib import Path

import dlt
from dagster_dlt import build_dlt_asset_specs

from orchestration.lib.translators import CommopsDltTranslator, dbt_asset_key_path


def test_dbt_source_takes_its_raw_schema_and_table() -> None:
    props = {"resource_type": "source", "schema": "raw_slack", "name": "users", "identifier": None}
    assert dbt_asset_key_path(props) == ["raw_slack", "users"]


def test_dbt_model_takes_its_schema_not_the_database() -> None:
    props = {"resource_type": "model", "schema": "marts", "name": "dim_members", "database": "w"}
    assert dbt_asset_key_path(props) == ["marts", "dim_members"]


def test_dbt_alias_names_the_table() -> None:
    props = {"resource_type": "model", "schema": "staging", "name": "x", "alias": "stg_x"}
    assert dbt_asset_key_path(props) == ["staging", "stg_x"]


def test_dlt_resources_become_raw_schema_keys_in_one_group(tmp_path: Path) -> None:
    @dlt.source(name="toy")
    def toy():
        @dlt.resource(name="people", primary_key="id")
        def people():
            yield {"id": 1}

        @dlt.resource(name="visits", table_name="visit_log")
        def visits():
            yield {"id": 1}

        return people, visits

    pipeline = dlt.pipeline(
        "toy",
        destination=dlt.destinations.duckdb(str(tmp_path / "t.duckdb")),
        pipelines_dir=str(tmp_path / "p"),
    )
    specs = build_dlt_asset_specs(toy(), pipeline, CommopsDltTranslator("toy"))
    assert sorted(s.key.to_user_string() for s in specs) == ["raw_toy/people", "raw_toy/visit_log"]
    assert {s.group_name for s in specs} == {"raw_toy"}
    assert all(not s.deps for s in specs)
