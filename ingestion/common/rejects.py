"""Route a record that cannot be loaded to the schema's `_rejects` table, so the rest loads.

    yield reject("slack", "messages", record, "missing ts", record_key="C01/None")

The row lands in `raw_<source>._rejects(source, resource, record_key, reason, raw_record,
rejected_at)` (append-only: each run records what it rejected). Resources that carry a
`dlt.sources.incremental` must use `on_cursor_value_missing="include"` so the reject rows,
which carry no cursor, pass the cursor filter.

`_rejects` is a dlt table variant of whichever resource rejects. dlt would start that variant
from a copy of the resource's own hints (its `columns`, keys, disposition), so the row is
marked with `ingestion.common.variants.mark_variant`, which declares the variant from nothing
on the resource being extracted: `_rejects` holds exactly its six columns (plus dlt's
`_dlt_load_id`/`_dlt_id`) whatever the resource declares, and no source has to do anything.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import dlt
from dlt.extract.items import DataItemWithMeta

from ingestion.common.arrow import DICT_FILE_FORMAT
from ingestion.common.variants import mark_variant

REJECTS_TABLE = "_rejects"

REJECTS_COLUMNS: dict[str, dict[str, Any]] = {
    "source": {"data_type": "text", "nullable": False},
    "resource": {"data_type": "text", "nullable": False},
    "record_key": {"data_type": "text", "nullable": True},
    "reason": {"data_type": "text", "nullable": False},
    "raw_record": {"data_type": "text", "nullable": True},
    "rejected_at": {"data_type": "timestamp", "nullable": False},
}


def _hints() -> Any:
    return dlt.mark.make_hints(
        table_name=REJECTS_TABLE,
        file_format=DICT_FILE_FORMAT,
        write_disposition="append",
        primary_key=[],
        merge_key=[],
        columns={name: dict(column) for name, column in REJECTS_COLUMNS.items()},
    )


def reject_row(
    source: str,
    resource: str,
    record: Any,
    reason: str,
    record_key: Any = None,
) -> dict[str, Any]:
    """The `_rejects` row for `record` (raw record serialized as JSON text)."""
    try:
        raw = json.dumps(record, default=str, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        raw = repr(record)
    return {
        "source": source,
        "resource": resource,
        "record_key": None if record_key is None else str(record_key),
        "reason": reason,
        "raw_record": raw,
        "rejected_at": datetime.now(UTC),
    }


def reject(
    source: str,
    resource: str,
    record: Any,
    reason: str,
    record_key: Any = None,
) -> DataItemWithMeta:
    """A `_rejects` row marked for dlt: yield it from any resource."""
    return mark_variant(reject_row(source, resource, record, reason, record_key), _hints())
