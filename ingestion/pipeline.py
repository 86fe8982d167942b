"""The one place where sources meet the destination.

    from ingestion import pipeline
    results = pipeline.run()                      # every registered source
    results = pipeline.run(["slack"], warehouse=Path("x.duckdb"))

Each source loads into `raw_<source>` of the DuckDB warehouse through its own dlt pipeline
`commops_<source>`; sources run independently, so one failing does not stop the others.
`run` returns, per source, the `LoadInfo` or the exception that stopped it (a
`SourceAuthError` is surfaced as itself, so its message names the config key to fix).
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dlt
from dlt.common.pipeline import LoadInfo, get_dlt_pipelines_dir
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials
from dlt.extract.source import DltSource

from ingestion.common.errors import SourceAuthError
from ingestion.warehouse import warehouse_path

# dlt stamps `_dlt_load_id` on rows it normalizes from dicts, but not on Arrow tables (the
# high-volume path: Slack messages and reactions, Discourse posts and likes) unless its
# parquet normalizer is told to. Every raw row carries the load that wrote it, so downstream
# work (GX's incremental validation, dbt) can select "what changed since" on any raw table.
ARROW_LOAD_ID_KEY = "normalize.parquet_normalizer.add_dlt_load_id"

LOAD_MEMORY_LIMIT_ENV = "COMMOPS_LOAD_MEMORY_LIMIT"
DEFAULT_LOAD_MEMORY_LIMIT = "512MB"

log = logging.getLogger(__name__)

SourceFactory = Callable[[], DltSource]

# name -> (module, factory attribute). Imported lazily: a vendor package that fails to import
# is left out of SOURCES (and logged) instead of breaking the other sources.
_KNOWN_SOURCES: dict[str, tuple[str, str]] = {
    "slack": ("ingestion.slack", "slack_source"),
    "discourse": ("ingestion.discourse", "discourse_source"),
    "hubspot": ("ingestion.hubspot", "hubspot_source"),
    "luma": ("ingestion.luma", "luma_source"),
}


def _load_factory(name: str, module_name: str, attr: str) -> SourceFactory | None:
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        log.warning("source %s is not available: %s", name, exc)
        return None
    factory = getattr(module, attr, None)
    if factory is None:  # tolerate another factory name: the module's only `*_source`
        candidates = [
            n for n in dir(module) if n.endswith("_source") and callable(getattr(module, n))
        ]
        if len(candidates) != 1:
            log.warning("source %s: %s has no %s()", name, module_name, attr)
            return None
        factory = getattr(module, candidates[0])
    return factory


def _discover() -> dict[str, SourceFactory]:
    found: dict[str, SourceFactory] = {}
    for name, (module_name, attr) in _KNOWN_SOURCES.items():
        factory = _load_factory(name, module_name, attr)
        if factory is not None:
            found[name] = factory
    return found


SOURCES: dict[str, SourceFactory] = _discover()
"""Registered sources: name -> zero-argument factory returning the configured dlt source."""


def default_pipelines_dir(warehouse: Path) -> Path:
    """dlt's working folder for pipelines loading into `warehouse`.

    One folder per warehouse file, so the local state (cursors) of one warehouse never leaks
    into another; dlt restores state from the warehouse itself when the folder is new.
    """
    digest = hashlib.sha1(str(Path(warehouse).resolve()).encode()).hexdigest()[:12]
    return Path(get_dlt_pipelines_dir()) / f"commops-{digest}"


def load_memory_limit() -> str:
    """DuckDB's memory limit while dlt loads (env `COMMOPS_LOAD_MEMORY_LIMIT`, default 512MB).

    DuckDB's own default is 80% of RAM: merging 2.4M Slack messages (100,000 people) peaked at
    1.8 GiB; with 512MB it spills to disk and the load peaked at 0.66 GiB in about the same time.
    """
    return os.environ.get(LOAD_MEMORY_LIMIT_ENV) or DEFAULT_LOAD_MEMORY_LIMIT


def make_pipeline(
    source_name: str,
    warehouse: Path,
    pipelines_dir: Path | None = None,
    *,
    dev_mode: bool = False,
) -> dlt.Pipeline:
    """The dlt pipeline `commops_<source>` loading into `raw_<source>` of `warehouse`."""
    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    credentials = DuckDbCredentials(str(warehouse))
    credentials.global_config = {"memory_limit": load_memory_limit()}
    dlt.config[ARROW_LOAD_ID_KEY] = True
    return dlt.pipeline(
        pipeline_name=f"commops_{source_name}",
        destination=dlt.destinations.duckdb(credentials),
        dataset_name=f"raw_{source_name}",
        pipelines_dir=str(pipelines_dir or default_pipelines_dir(warehouse)),
        dev_mode=dev_mode,
    )


def _surface(exc: BaseException) -> Exception:
    """The exception to report: the `SourceAuthError` inside dlt's wrappers, if any."""
    seen: set[int] = set()
    stack: list[Any] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, SourceAuthError):
            return current
        stack.extend([getattr(current, "exception", None), current.__cause__, current.__context__])
    return exc if isinstance(exc, Exception) else RuntimeError(str(exc))


def run_source(name: str, warehouse: Path, pipelines_dir: Path | None = None) -> LoadInfo:
    """Load one source; raises on failure (dlt state only commits with a successful load)."""
    source = SOURCES[name]()
    pipeline = make_pipeline(name, warehouse, pipelines_dir)
    info = pipeline.run(source)
    info.raise_on_failed_jobs()
    return info


def run(
    sources: list[str] | None = None,
    warehouse: Path | None = None,
    pipelines_dir: Path | None = None,
) -> dict[str, LoadInfo | Exception]:
    """Load each named source (all registered ones by default) into `warehouse`.

    Sources are independent: a failure is logged and returned in place of the LoadInfo,
    and the remaining sources still run.
    """
    names = list(SOURCES) if sources is None else list(sources)
    unknown = [n for n in names if n not in SOURCES]
    if unknown:
        raise ValueError(f"unknown source(s) {unknown}; registered: {sorted(SOURCES)}")
    target = Path(warehouse) if warehouse is not None else warehouse_path()
    results: dict[str, LoadInfo | Exception] = {}
    for name in names:
        try:
            results[name] = run_source(name, target, pipelines_dir)
            log.info("source %s loaded into %s", name, target)
        except Exception as exc:  # one source failing must not stop the others
            surfaced = _surface(exc)
            log.error("source %s failed: %s", name, surfaced)
            results[name] = surfaced
    return results


def import_slack_export(
    zip_path: Path, warehouse: Path | None = None, pipelines_dir: Path | None = None
) -> LoadInfo:
    """Load a Slack export zip into `raw_slack` (same tables as the API source)."""
    from ingestion.slack.export import slack_export_source

    target = Path(warehouse) if warehouse is not None else warehouse_path()
    pipeline = make_pipeline("slack", target, pipelines_dir)
    info = pipeline.run(slack_export_source(str(zip_path)))
    info.raise_on_failed_jobs()
    return info
