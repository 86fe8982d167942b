"""ingestion.pipeline: registry, pipeline naming, independent sources, failed runs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dlt
import duckdb
import pytest
from dlt.common.pipeline import LoadInfo

from ingestion import pipeline
from ingestion.warehouse import warehouse_path


def test_warehouse_path_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COMMOPS_WAREHOUSE", str(tmp_path / "w.duckdb"))
    assert warehouse_path() == tmp_path / "w.duckdb"
    monkeypatch.delenv("COMMOPS_WAREHOUSE")
    assert warehouse_path() == Path(__file__).resolve().parents[2] / "data" / "warehouse.duckdb"


def test_registry_holds_the_api_sources():
    assert {"slack", "discourse"} <= set(pipeline.SOURCES)
    assert all(callable(factory) for factory in pipeline.SOURCES.values())


def test_make_pipeline_names_pipeline_dataset_and_destination(tmp_path):
    p = pipeline.make_pipeline("slack", tmp_path / "w.duckdb", tmp_path / "pipelines")
    assert p.pipeline_name == "commops_slack"
    assert p.dataset_name == "raw_slack"
    assert p.destination.destination_type.endswith("duckdb")
    assert Path(p.pipelines_dir) == tmp_path / "pipelines"


def test_default_pipelines_dir_differs_per_warehouse(tmp_path):
    a = pipeline.default_pipelines_dir(tmp_path / "a.duckdb")
    b = pipeline.default_pipelines_dir(tmp_path / "b.duckdb")
    assert a != b
    assert a == pipeline.default_pipelines_dir(tmp_path / "a.duckdb")


@dlt.source(name="good")
def _good_source():
    @dlt.resource(primary_key="id", write_disposition="merge")
    def items():
        yield [{"id": 1}, {"id": 2}]

    return items


@dlt.source(name="broken")
def _broken_source():
    @dlt.resource(primary_key="id", write_disposition="merge")
    def items():
        yield {"id": 1}
        raise RuntimeError("vendor exploded")

    return items


def test_one_failing_source_does_not_stop_the_others(monkeypatch, tmp_path):
    monkeypatch.setitem(pipeline.SOURCES, "broken", _broken_source)
    monkeypatch.setitem(pipeline.SOURCES, "good", _good_source)
    warehouse = tmp_path / "w.duckdb"
    results = pipeline.run(["broken", "good"], warehouse=warehouse, pipelines_dir=tmp_path)
    assert isinstance(results["broken"], Exception)
    assert "vendor exploded" in str(results["broken"])
    assert isinstance(results["good"], LoadInfo)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw_good.items").fetchone() == (2,)


def test_unknown_source_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(ValueError, match="nope"):
        pipeline.run(["nope"], warehouse=tmp_path / "w.duckdb")


@dlt.source(name="counter")
def _counter_source(fail: bool = False):
    @dlt.resource(primary_key="id", write_disposition="merge")
    def events(
        cursor=dlt.sources.incremental("at", initial_value=datetime(2020, 1, 1, tzinfo=UTC)),  # noqa: B008
    ):
        yield [{"id": 1, "at": datetime(2024, 1, 1, tzinfo=UTC), "v": "old"}]
        if fail:
            yield [{"id": 1, "at": datetime(2024, 2, 1, tzinfo=UTC), "v": "new"}]
            raise ConnectionError("lost the vendor mid-run")

    return events


def test_a_failed_run_keeps_previous_data_and_does_not_move_the_cursor(monkeypatch, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    monkeypatch.setitem(pipeline.SOURCES, "counter", _counter_source)
    assert isinstance(pipeline.run(["counter"], warehouse, tmp_path)["counter"], LoadInfo)

    def state() -> object:
        p = pipeline.make_pipeline("counter", warehouse, tmp_path)
        resources = p.state["sources"]["counter"]["resources"]
        return resources["events"]["incremental"]["at"]["last_value"]

    before = state()
    monkeypatch.setitem(pipeline.SOURCES, "counter", lambda: _counter_source(fail=True))
    assert isinstance(pipeline.run(["counter"], warehouse, tmp_path)["counter"], Exception)
    assert state() == before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select id, v from raw_counter.events").fetchall() == [(1, "old")]


def test_loads_run_under_a_duckdb_memory_limit(monkeypatch, tmp_path):
    monkeypatch.setenv("COMMOPS_LOAD_MEMORY_LIMIT", "300MB")
    p = pipeline.make_pipeline("slack", tmp_path / "w.duckdb", tmp_path / "pipes")
    with (
        p.destination_client() as client,
        client.sql_client.execute_query("select current_setting('memory_limit')") as cursor,
    ):
        (limit,) = cursor.fetchone()
    assert limit == "286.1 MiB"  # 300 MB = 300,000,000 bytes = 286.1 MiB, as DuckDB reports it
