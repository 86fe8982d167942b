"""The dbt project (cached `DbtProject`, manifest prepared when missing or stale) and the CLI."""

from __future__ import annotations

import json
import shutil
import sys
from functools import cache
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.lib.warehouse import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
_SOURCE_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".md"}
_SOURCE_DIRS = ("models", "macros", "seeds", "tests", "snapshots", "analyses")


@cache
def dbt_project() -> DbtProject:
    """The project, with a manifest: `prepare_if_dev()` under `dagster dev`, else `dbt parse`
    when target/manifest.json is missing or older than a model, macro, seed or test."""
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.prepare_if_dev()
    if manifest_is_stale(project.manifest_path, DBT_PROJECT_DIR):
        project.preparer.prepare(project)
    return project


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
