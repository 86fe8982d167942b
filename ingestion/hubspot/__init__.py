"""HubSpot CRM source: contacts, companies, deals, deal stages and their associations.

Loads into `raw_hubspot` (docs/CONTRACTS.md section 3):

- `contacts`, `companies`, `deals` (merge on `id`): records changed since the last run, found
  with `POST /crm/v3/objects/{type}/search` filtered on the modified date (`lastmodifieddate`
  for contacts, `hs_lastmodifieddate` otherwise) and sorted ascending, restarting past the
  10,000-result cap; plus archived records (`GET ...?archived=true`, which search never
  returns) marked `archived = true`. Property strings are typed: dates as UTC timestamps,
  `amount` as double, `hs_is_closed_won` as bool. A record that cannot be typed goes to
  `_rejects`.
- Merged contacts: a surviving contact lists absorbed ids in `hs_merged_object_ids`. Each
  absorbed id gets a delete-marker row (`merged_into_id` = the survivor, dlt's hard-delete
  column), so a contact loaded before its merge does not stay behind as a second live contact.
- `deal_stages` (replaced whole): every stage of every deal pipeline.
- `contact_companies`, `deal_contacts` (replaced whole each run): v4 association batch reads
  for every live contact/deal. A snapshot, because removing an association, archiving a
  record or merging a contact does not reliably change the modified date the cursor follows,
  and associations of archived or absorbed records must disappear.

Cursors, kept in each resource's dlt state: `last_modified`, the newest modified date
loaded, sent as the search filter; `archived_since`, the newest `archivedAt` loaded, so an
archived record is loaded once (records without `archivedAt` are loaded every run). They
are kept by hand rather than by `dlt.sources.incremental` because the same table also
receives archived records and merge delete-markers, whose modified dates can be older than
the cursor: the incremental's row filter would silently drop them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import dlt
from dlt.sources import DltResource

from ingestion.common.arrow import DICT_FILE_FORMAT
from ingestion.common.fanout import FanOut
from ingestion.common.http import VendorClient
from ingestion.common.rejects import reject
from ingestion.hubspot import helpers, settings

__all__ = ["hubspot_source"]


@dlt.source(name="hubspot", section="hubspot")
def hubspot_source(
    base_url: str = settings.DEFAULT_BASE_URL,
    api_key: str = dlt.secrets.value,
    association_workers: int = settings.DEFAULT_ASSOCIATION_WORKERS,
) -> Sequence[DltResource]:
    """The HubSpot CRM source.

    Args:
        base_url: API root (`SOURCES__HUBSPOT__BASE_URL`); paths such as `/crm/v3/...` are
            appended to it.
        api_key: private app access token (`SOURCES__HUBSPOT__API_KEY`), sent as a bearer
            token. A rejected token raises `SourceAuthError` naming that key, never the value.
        association_workers: association batch reads in flight at once
            (`SOURCES__HUBSPOT__ASSOCIATION_WORKERS`; 1 = sequential).
    """
    client = helpers.make_hubspot_client(base_url, api_key)
    return [
        _object_resource(client, "contacts"),
        _object_resource(client, "companies"),
        _object_resource(client, "deals"),
        dlt.resource(
            helpers.deal_stage_rows,
            name="deal_stages",
            primary_key=("pipeline_id", "stage_id"),
            write_disposition="replace",
            columns=settings.DEAL_STAGE_COLUMNS,
            file_format=DICT_FILE_FORMAT,
        )(client),
        _association_resource(client, "contact_companies", base_url, api_key, association_workers),
        _association_resource(client, "deal_contacts", base_url, api_key, association_workers),
    ]


def _object_resource(client: VendorClient, object_type: str) -> DltResource:
    return dlt.resource(
        crm_object_rows,
        name=object_type,
        primary_key="id",
        write_disposition="merge",
        columns=settings.object_columns(object_type),
        file_format=DICT_FILE_FORMAT,
    )(client, object_type)


def crm_object_rows(client: VendorClient, object_type: str) -> Iterator[Any]:
    """Changed live records, then archived ones, then (contacts) merge delete-markers."""
    state = dlt.current.resource_state()
    since = helpers.parse_datetime(state.get("last_modified"))
    modified = settings.MODIFIED_PROPERTY[object_type]
    newest = since
    # absorbed contact id -> survivor id, for survivors changed since the cursor
    absorbed = helpers.absorbed_contact_ids(client, since) if object_type == "contacts" else {}

    for page in helpers.search_modified_since(client, object_type, since):
        rows = []
        for record in page:
            when = _modified_at(record, modified)  # also for records that get rejected
            if when is not None and (newest is None or when > newest):
                newest = when
            row, problem = _typed_row(record, object_type)
            if row is None:
                yield _reject(record, object_type, problem)
                continue
            if row["id"] in absorbed:
                continue  # merged into another contact: never a live contact
            rows.append(row)
        if rows:
            yield rows

    archived_since = helpers.parse_datetime(state.get("archived_since"))
    newest_archived = archived_since
    for page in helpers.list_archived(client, object_type):
        rows = []
        for record in page:
            archived_at = _instant(record.get("archivedAt"))
            if archived_at is not None and archived_since is not None:
                if archived_at <= archived_since:
                    continue  # archived before the last run: already loaded as archived
            row, problem = _typed_row(record, object_type)
            if row is None:
                yield _reject(record, object_type, problem)
                continue
            if row["id"] in absorbed:
                continue
            if archived_at is not None and (
                newest_archived is None or archived_at > newest_archived
            ):
                newest_archived = archived_at
            row["archived"] = True
            rows.append(row)
        if rows:
            yield rows

    if absorbed:
        yield [
            {"id": absorbed_id, settings.MERGED_INTO_COLUMN: survivor}
            for absorbed_id, survivor in sorted(absorbed.items())
        ]

    if newest is not None:
        state["last_modified"] = newest.isoformat()
    if newest_archived is not None:
        state["archived_since"] = newest_archived.isoformat()


def _reject(record: dict[str, Any], object_type: str, problem: str | None) -> Any:
    return reject(
        settings.SOURCE_NAME,
        object_type,
        record,
        problem or "cannot convert record",
        record_key=record.get("id"),
    )


def _instant(value: Any) -> datetime | None:
    try:
        return helpers.parse_datetime(value)
    except (TypeError, ValueError):
        return None


def _modified_at(record: dict[str, Any], modified: str) -> datetime | None:
    return _instant((record.get("properties") or {}).get(modified))


def _typed_row(
    record: dict[str, Any], object_type: str
) -> tuple[dict[str, Any] | None, str | None]:
    """The typed row, or None and the reason it cannot be typed."""
    try:
        return helpers.flatten(record, object_type), None
    except (KeyError, TypeError, ValueError) as exc:
        return None, f"cannot convert record: {type(exc).__name__}: {exc}"


def association_rows(
    client: VendorClient, table: str, readers: FanOut[list[str], list[tuple[str, str]]]
) -> Iterator[list[dict[str, str]]]:
    """(from, to) id pairs of every live record of the association's source type.

    The ids come page by page from the caller's client; each page's batch read runs on
    `readers` (several in flight, handed back in page order; sequential after a push-back).
    """
    from_type, _to_type, from_column, to_column = settings.ASSOCIATIONS[table]
    ids = helpers.list_ids(client, from_type, settings.ASSOCIATION_BATCH_SIZE)
    try:
        for pairs in readers.map(ids):
            rows = [{from_column: from_id, to_column: to_id} for from_id, to_id in pairs]
            if rows:
                yield rows
    finally:
        readers.close()


def _association_resource(
    client: VendorClient, table: str, base_url: str, api_key: str, workers: int
) -> DltResource:
    from_type, to_type, from_column, to_column = settings.ASSOCIATIONS[table]

    def read(reader: VendorClient, ids: list[str]) -> list[tuple[str, str]]:
        return list(helpers.read_associations(reader, from_type, to_type, ids))

    readers: FanOut[list[str], list[tuple[str, str]]] = FanOut(
        client,
        lambda: helpers.make_hubspot_client(base_url, api_key),
        read,
        workers,
        name=f"hubspot-{table}",
    )
    return dlt.resource(
        association_rows,
        name=table,
        primary_key=(from_column, to_column),
        write_disposition="replace",
        columns={
            from_column: {"data_type": "text", "nullable": False},
            to_column: {"data_type": "text", "nullable": False},
        },
        file_format=DICT_FILE_FORMAT,
    )(client, table, readers)
