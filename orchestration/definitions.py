"""Dagster's entry point (`dagster dev -m orchestration.definitions`): every tool's definitions.

Each module under `defs/` builds its own `Definitions`; `build_definitions()` merges them.
"""

from orchestration.defs import build_definitions

defs = build_definitions()
