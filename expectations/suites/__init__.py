"""One module per table: `TABLE`, `build_suite(params)`, optional `DERIVED_COLUMNS` (SQL over
the table aliased `t`) and `DEPENDS_ON` (other tables those columns read).

`load_suites()` finds every module here, so a new table's suite is one new file.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import great_expectations as gx

from expectations.rules import SuiteParams


@dataclass(frozen=True)
class TableSuite:
    """A suite module seen from outside: the table it guards and how to build it."""

    name: str
    table: str
    build: Callable[[SuiteParams], gx.ExpectationSuite]
    derived_columns: Mapping[str, str] = field(default_factory=dict)
    depends_on: tuple[str, ...] = ()
    description: str = ""

    @property
    def schema(self) -> str:
        return self.table.split(".", 1)[0]

    @property
    def table_name(self) -> str:
        return self.table.split(".", 1)[1]


def load_suites() -> dict[str, TableSuite]:
    """Every suite module in this package, keyed by module name."""
    suites: dict[str, TableSuite] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        suites[info.name] = TableSuite(
            name=info.name,
            table=module.TABLE,
            build=module.build_suite,
            derived_columns=dict(getattr(module, "DERIVED_COLUMNS", {})),
            depends_on=tuple(getattr(module, "DEPENDS_ON", ())),
            description=(module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else "",
        )
    return suites
