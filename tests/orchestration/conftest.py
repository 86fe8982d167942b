"""Definitions built once under placeholder secrets, and helpers for driving Dagster directly."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


def _clear_source_env() -> None:
    for key in [k for k in os.environ if k.startswith("SOURCES__")]:
        del os.environ[key]
    for key in ("COMMOPS_SCHEDULE_CRON", "COMMOPS_SCHEDULE_TZ", "COMMOPS_SLACK_WEBHOOK_URL"):
        os.environ.pop(key, None)


@pytest.fixture(scope="session")
def definitions(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """`build_definitions()` with no vendor credentials in the environment (placeholders)."""
    from orchestration.defs import build_definitions

    saved = dict(os.environ)
    try:
        _clear_source_env()
        os.environ["COMMOPS_WAREHOUSE"] = str(tmp_path_factory.mktemp("defs") / "w.duckdb")
        defs = build_definitions()
        defs.resolve_asset_graph()
        yield defs
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def clean_env(tmp_path: Path) -> Path:
    """No source credentials, schedule or webhook settings; a private warehouse path."""
    _clear_source_env()
    warehouse = tmp_path / "warehouse.duckdb"
    os.environ["COMMOPS_WAREHOUSE"] = str(warehouse)
    return warehouse
