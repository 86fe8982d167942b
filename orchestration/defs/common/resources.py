"""The warehouse, resolved once and handed to every asset and check that touches it."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestration.lib.warehouse import warehouse_path

# Every step that opens the DuckDB file runs in this pool; dagster.yaml limits it to one slot,
# because DuckDB allows a single writing process and no readers beside it.
WAREHOUSE_POOL = "commops_warehouse"


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file (DESIGN.md: `$COMMOPS_WAREHOUSE` or data/warehouse.duckdb)."""

    path: str

    @property
    def file(self) -> Path:
        return Path(self.path)


def default_warehouse() -> WarehouseResource:
    return WarehouseResource(path=str(warehouse_path()))


def build_defs() -> dg.Definitions:
    return dg.Definitions(resources={"warehouse": default_warehouse()})
