"""The short summary `commops demo` ends with: tables, checks, where things are, a query."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from expectations.validate import default_docs_dir
from orchestration.lib.warehouse import row_counts, schema_tables
from orchestration.run.job import RunReport

RAW_SCHEMAS = ("raw_slack", "raw_discourse", "raw_hubspot", "raw_luma")
MEMBER_COLUMNS = (
    "member_id",
    "display_name",
    "full_name",
    "primary_email",
    "orbit_level",
    "lifecycle_status",
    "love",
)


def load_manifest(sample_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((Path(sample_dir) / "manifest.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def members_query(warehouse: Path) -> str:
    """A query on marts.dim_members using the columns this warehouse has."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        have = {
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns"
                " where table_schema = 'marts' and table_name = 'dim_members'"
            ).fetchall()
        }
    columns = [c for c in MEMBER_COLUMNS if c in have] or ["*"]
    order = " order by love desc" if "love" in have else ""
    # The community's own advocates: staff and bots are excluded from member metrics (DESIGN.md).
    flags = [f"not {flag}" for flag in ("is_staff", "is_bot") if flag in have]
    where = f" where {' and '.join(flags)}" if flags else ""
    return f"select {', '.join(columns)} from marts.dim_members{where}{order} limit 10"


def summary_lines(report: RunReport, warehouse: Path) -> list[str]:
    lines = ["", "Summary", f"  Warehouse: {warehouse}"]
    tables = schema_tables(warehouse, [*RAW_SCHEMAS, "marts"])
    counts = row_counts(warehouse, tables)
    for title, wanted in (("Raw tables", RAW_SCHEMAS), ("Marts", ("marts",))):
        lines.append(f"  {title} (rows, new this run):")
        for (schema, table), count in counts.items():
            if schema not in wanted:
                continue
            built = report.materialized.get(f"{schema}/{table}", {})
            new = built.get("new_rows")
            added = f"  ({new:+,})" if new is not None else ""
            lines.append(f"    {schema}.{table:<28} {count:>10,}{added}")
    failed = report.checks_failed
    lines.append(f"  Checks: {len(report.checks) - len(failed)} passed, {len(failed)} failed")
    docs = default_docs_dir(warehouse) / "index.html"
    if docs.exists():
        lines.append(f"  Data Docs: {docs}")
    if ("marts", "dim_members") in counts:
        lines.append("  Look at the members:")
        query = members_query(warehouse)
        lines.append(f'    duckdb {warehouse} "{query}"')
        lines.append("  or, without the DuckDB CLI, with the project's own Python:")
        lines.append(
            f"    uv run python -c \"import duckdb; duckdb.connect('{warehouse}', read_only=True)"
            f'.sql(\\"{query}\\").show()"'
        )
    lines.append("  Result: " + ("success" if report.success else "FAILED"))
    return lines


def print_summary(report: RunReport, warehouse: Path) -> None:
    print("\n".join(summary_lines(report, warehouse)))
