"""One module (or folder) per tool; each module exposes `build_defs() -> dagster.Definitions`.

`build_definitions()` finds them all, so adding a tool never touches `definitions.py`.
"""

from __future__ import annotations

import importlib
import pkgutil

import dagster as dg


def defs_modules() -> list[str]:
    """Modules under orchestration/defs/ that define `build_defs()`, in a stable order."""
    found = []
    for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        module = importlib.import_module(info.name)
        if callable(getattr(module, "build_defs", None)):
            found.append(info.name)
    return sorted(found)


def build_definitions() -> dg.Definitions:
    """Every tool's definitions, merged, with project-wide policy (freshness on marts)."""
    from orchestration.lib.policies import apply_policies

    merged = dg.Definitions.merge(
        *(importlib.import_module(name).build_defs() for name in defs_modules())
    )
    return apply_policies(merged)
