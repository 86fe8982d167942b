"""The dbt project (cached `DbtProject`, manifest prepared when missing or stale) and the CLI."""

from __future__ import annotations

import json
import os
import shutil
import sys
from contextlib import AbstractContextManager
from functools import cache
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.lib.settings import scoped_env
from orchestration.lib.warehouse import PROJECT_ROOT, warehouse_env, warehouse_path

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
_SOURCE_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".md"}
_SOURCE_DIRS = ("models", "macros", "seeds", "tests", "snapshots", "analyses")


# Beside the manifest: the warehouse file the project was last parsed for.
PARSED_FOR_FILE = "commops_parsed_for.txt"


@cache
def dbt_project() -> DbtProject:
    """The project, with a manifest: `dbt parse` at every load under `dagster dev`, else when
    target/manifest.json is missing or older than a model, macro, seed or test, or was parsed
    for another warehouse file.

    The parse sees `COMMOPS_WAREHOUSE` set to the warehouse the runs use. dagster-dbt hands
    each run the parse's `partial_parse.msgpack`, but dbt discards it when the profile's
    connection values differ (the path is one of them): parsed without the variable, every
    daily build re-parsed the whole project first (about 10 s here)."""
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    manifest = Path(project.manifest_path)
    warehouse = str(warehouse_path())
    if (
        project.preparer.using_dagster_dev()
        or manifest_is_stale(manifest, DBT_PROJECT_DIR)
        or _parsed_for(manifest) != warehouse
    ):
        with warehouse_env(Path(warehouse)), _dbt_first_on_path():
            project.preparer.prepare(project)
        manifest.with_name(PARSED_FOR_FILE).write_text(warehouse, encoding="utf-8")
    return project


def _dbt_first_on_path() -> AbstractContextManager[None]:
    """dagster-dbt's preparer runs plain `dbt parse`, found on PATH: put this environment's dbt
    first. A process started as `.venv/bin/dagster-daemon` (or `.venv/bin/python -m ...`) has
    no activated environment, and its first definitions load after a model change (or on
    another warehouse) failed with "The dbt executable 'dbt' was not found on PATH"."""
    folder = str(Path(dbt_executable()).parent)
    path = os.environ.get("PATH")
    return scoped_env("PATH", os.pathsep.join([folder, path]) if path else folder)


def _parsed_for(manifest: Path) -> str | None:
    """The warehouse recorded at the last parse; None when unknown, or when the parse state
    was written after the record (a `dbt parse` or `dbt build` run by hand in dbt_project/)."""
    marker = manifest.with_name(PARSED_FOR_FILE)
    state = manifest.with_name("partial_parse.msgpack")
    if not marker.exists() or not state.exists():
        return None
    if state.stat().st_mtime > marker.stat().st_mtime:
        return None
    return marker.read_text(encoding="utf-8")


def manifest_is_stale(manifest: Path, project_dir: Path) -> bool:
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [project_dir / "dbt_project.yml"]
    for folder in _SOURCE_DIRS:
        root = project_dir / folder
        if root.exists():
            sources.extend(p for p in root.rglob("*") if p.suffix in _SOURCE_SUFFIXES)
    return any(p.stat().st_mtime > built for p in sources if p.exists())


def raw_tables_read_by_dbt() -> dict[str, set[str]]:
    """Raw schema -> tables the dbt project declares as sources (what ingestion must deliver)."""
    manifest = json.loads(Path(dbt_project().manifest_path).read_text())
    tables: dict[str, set[str]] = {}
    for source in manifest.get("sources", {}).values():
        tables.setdefault(source["schema"], set()).add(source.get("identifier") or source["name"])
    return tables


def dbt_executable() -> str:
    """dbt from this interpreter's environment, so runs never pick up another install."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def dbt_cli() -> DbtCliResource:
    return DbtCliResource(
        project_dir=dbt_project(),
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=dbt_executable(),
    )
