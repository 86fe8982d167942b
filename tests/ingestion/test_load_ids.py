"""Every raw row names the dlt load that wrote it, Arrow-loaded tables included."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

# The high-volume resources take dlt's Arrow path (DESIGN.md): dlt adds `_dlt_load_id` to
# them only when its parquet normalizer is configured to.
ARROW_TABLES = [
    ("raw_slack", "messages"),
    ("raw_slack", "message_reactions"),
    ("raw_discourse", "posts"),
    ("raw_discourse", "post_likes"),
]


@pytest.mark.parametrize(("schema", "table"), ARROW_TABLES)
def test_arrow_loaded_rows_carry_a_completed_load_id(
    raw_warehouse: Path, schema: str, table: str
) -> None:
    con = duckdb.connect(str(raw_warehouse), read_only=True)
    try:
        rows, stamped, completed = con.execute(
            f"""
            select count(*),
                   count(t._dlt_load_id),
                   count(*) filter (where l.load_id is not null)
            from {schema}.{table} as t
            left join {schema}._dlt_loads as l on l.load_id = t._dlt_load_id and l.status = 0
            """
        ).fetchone()
    finally:
        con.close()
    assert rows > 0
    assert stamped == rows, f"{schema}.{table}: {rows - stamped} rows without _dlt_load_id"
    assert completed == rows, f"{schema}.{table}: rows name a load that did not complete"
