"""The Dagster instance the CLI runs in: `$DAGSTER_HOME`, else a folder beside the warehouse.

Either way it carries orchestration/dagster.yaml (the warehouse pool of one, run retries), so
`make dev` pointed at the same folder shows the CLI's runs.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import DagsterInstance
from dagster._core.instance.ref import InstanceRef

INSTANCE_CONFIG = Path(__file__).resolve().parents[1] / "dagster.yaml"


def instance_home(warehouse: Path) -> Path:
    configured = os.environ.get("DAGSTER_HOME")
    if configured:
        return Path(configured).expanduser()
    return Path(warehouse).parent / ".dagster_home"


def prepare_home(home: Path) -> Path:
    """Create `home` and give it commops' dagster.yaml unless it already has its own."""
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    if not target.exists():
        shutil.copyfile(INSTANCE_CONFIG, target)
    return home


@contextmanager
def cli_instance(warehouse: Path) -> Iterator[DagsterInstance]:
    home = prepare_home(instance_home(warehouse))
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        yield instance
