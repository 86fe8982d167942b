"""Where the warehouse lives: `$COMMOPS_WAREHOUSE` or `<project root>/data/warehouse.duckdb`.

A tiny copy of `orchestration.lib.warehouse.warehouse_path` (ingestion must not import
orchestration).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ENV_VAR = "COMMOPS_WAREHOUSE"


def warehouse_path() -> Path:
    """The DuckDB warehouse file this process should use."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return PROJECT_ROOT / "data" / "warehouse.duckdb"
