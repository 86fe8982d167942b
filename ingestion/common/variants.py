"""dlt table variants that hold exactly their own hints, whatever their resource declares.

    yield mark_variant(rows, dlt.mark.make_hints(table_name="posts", primary_key="id", ...))

A resource writes tables other than its own through table variants (`dlt.mark.with_hints(
item, hints, create_table_variant=True)`). dlt 1.31 (`DltResourceHints.apply_hints`) makes a
variant, the first time it is named, from a COPY of the resource's own hints and then merges
(never replaces) the variant's column hints into that copy. So every column the resource
declares, and its keys and write disposition unless the variant overrides them, leak into each
other table it writes (as all-null columns there).

`declare_variant(resource, hints)` makes (or remakes) the variant with everything that copy
carries cleared, then applies `hints`. `mark_variant(item, hints)` is what a resource yields
instead of `with_hints(..., create_table_variant=True)`: it declares the variant that way on
the resource being extracted (`dlt.current.resource()`) the first time (and whenever `hints`
change), then only routes items to it (`with_table_name`). Routing, unlike `with_hints`, does
not make dlt's extractor drop its cached table schemas and recompute them per item (5,000
reject rows: ~95 s to extract through `with_hints`, ~1 s routed). Declaring on the running
resource, not once up front, also survives dlt cloning the resource (`with_name`, calling a
parametrized resource), which drops variants. Outside a running resource `mark_variant`
falls back to `with_hints`.

Two resource hints cannot be cleared through `apply_hints`, so a resource with variants must
not set them: `incremental` in the decorator (dlt refuses it on a variant; a cursor argument
keeps it off the hints, as every source here does) and `references`.
"""

from __future__ import annotations

import copy
from typing import Any
from weakref import WeakKeyDictionary

import dlt
from dlt.common.exceptions import ResourceNameNotAvailable
from dlt.common.schema.utils import DEFAULT_WRITE_DISPOSITION
from dlt.extract.exceptions import CurrentSourceNotAvailable, ResourceNotFoundError
from dlt.extract.hints import TResourceHints
from dlt.extract.items import DataItemWithMeta
from dlt.extract.resource import DltResource

# empty values remove a hint in `apply_hints`; `columns={}` replaces the columns (a non-empty
# value would be merged into them)
_CLEARED: dict[str, Any] = {
    "parent_table_name": "",
    "write_disposition": DEFAULT_WRITE_DISPOSITION,
    "columns": {},
    "primary_key": [],
    "merge_key": [],
    "schema_contract": {},
    "table_format": "",
    "file_format": "",
    "additional_table_hints": {},
    "nested_hints": {},
}


def _table_of(hints: TResourceHints) -> str:
    table = hints.get("table_name")
    if not isinstance(table, str) or not table:
        raise ValueError("a table variant needs a literal table_name")
    return table


def declare_variant(resource: DltResource, hints: TResourceHints) -> DltResource:
    """Give `resource` the table variant `hints["table_name"]` with exactly `hints`."""
    table = _table_of(hints)
    resource.apply_hints(table_name=table, create_table_variant=True, **copy.deepcopy(_CLEARED))
    resource.merge_hints(copy.deepcopy(hints), create_table_variant=True)
    return resource


# running resource -> table -> the hints its variant was declared with
_declared: WeakKeyDictionary[DltResource, dict[str, TResourceHints]] = WeakKeyDictionary()


def mark_variant(item: Any, hints: TResourceHints) -> DataItemWithMeta:
    """`item` for the table variant `hints` describes, declared clean on the running resource."""
    table = _table_of(hints)
    try:
        resource = dlt.current.resource()
    except (CurrentSourceNotAvailable, ResourceNameNotAvailable, ResourceNotFoundError):
        # not inside a running resource: dlt builds the variant its own way
        return dlt.mark.with_hints(item, hints, create_table_variant=True)
    declared = _declared.setdefault(resource, {})
    if declared.get(table) != hints:
        declare_variant(resource, hints)
        declared[table] = copy.deepcopy(hints)
        # new hints: `with_hints` also makes the extractor recompute the table's schema
        return dlt.mark.with_hints(item, hints, create_table_variant=True)
    return dlt.mark.with_table_name(item, table)
