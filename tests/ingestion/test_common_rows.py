"""Shared row plumbing: Arrow batches keep unknown fields, malformed records go to _rejects."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import dlt
import pyarrow as pa

from ingestion.common import TableBuilder, reject
from ingestion.common.arrow import UTC_TIMESTAMP, schema_with_extra

SCHEMA = schema_with_extra(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("n", pa.int64()),
        pa.field("at", UTC_TIMESTAMP),
    ]
)


def test_table_builder_keeps_unknown_fields_in_extra_and_resets():
    builder = TableBuilder(SCHEMA)
    builder.append({"id": "a", "n": 1, "at": 1_700_000_000_000_001})
    builder.append({"id": "b", "new_field": {"x": [1]}, "other": "y"})
    assert len(builder) == 2
    table = builder.flush()
    assert table.schema == SCHEMA
    assert table.column("id").to_pylist() == ["a", "b"]
    assert table.column("n").to_pylist() == [1, None]
    assert table.column("at").to_pylist()[0] == datetime(2023, 11, 14, 22, 13, 20, 1, tzinfo=UTC)
    assert table.column("extra").to_pylist()[0] is None
    extra = json.loads(table.column("extra").to_pylist()[1])
    assert extra == {"new_field": {"x": [1]}, "other": "y"}
    assert len(builder) == 0 and builder.flush() is None


def test_rejected_record_lands_in_rejects_while_valid_rows_load(temp_pipeline, sql):
    @dlt.resource(primary_key="id", write_disposition="merge", name="things")
    def things(
        cursor=dlt.sources.incremental(  # noqa: B008
            "at",
            initial_value=datetime(1970, 1, 1, tzinfo=UTC),
            lag=60,
            on_cursor_value_missing="include",
        ),
    ):
        builder = TableBuilder(SCHEMA)
        builder.append({"id": "a", "n": 1, "at": 1_700_000_000_000_000})
        builder.append({"id": "b", "n": 2, "at": 1_700_000_100_000_000})
        yield builder.flush()
        yield reject("demo", "things", {"id": None, "n": 3}, "missing id", record_key=None)

    pipeline = temp_pipeline("demo")
    pipeline.run(things())
    assert sql(pipeline, "select id, n from things order by id") == [("a", 1), ("b", 2)]
    rows = sql(
        pipeline,
        "select source, resource, record_key, reason, raw_record, rejected_at from _rejects",
    )
    assert len(rows) == 1
    source, resource, key, reason, raw, rejected_at = rows[0]
    assert (source, resource, key, reason) == ("demo", "things", None, "missing id")
    assert json.loads(raw) == {"id": None, "n": 3}
    assert rejected_at.tzinfo is not None
    # the reject table is append-only and carries none of the resource's keys
    table = pipeline.default_schema.tables["_rejects"]
    assert table["write_disposition"] == "append"
    assert not any(c.get("primary_key") for c in table["columns"].values())
