"""HubSpot CRM over HTTP: search by modified date (past the 10,000 cap), archived lists,
deal pipelines, v4 association batch reads, and the string-to-type conversion of properties."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator
from requests import HTTPError

from ingestion.common.http import BearerAuth, VendorClient, make_client
from ingestion.hubspot import settings


class SearchCapError(RuntimeError):
    """More than `SEARCH_RESULT_CAP` records share one modified timestamp: cannot page on."""


def make_hubspot_client(base_url: str, api_key: str) -> VendorClient:
    """A retrying client with the private-app token as bearer; 401/403 name the config key."""
    return make_client(
        base_url.rstrip("/"),
        source=settings.SOURCE_NAME,
        auth_config_key=settings.API_KEY_CONFIG_KEY,
        auth=BearerAuth(api_key),
    )


# -- values ----------------------------------------------------------------------------------
def parse_datetime(value: Any) -> datetime | None:
    """A HubSpot date/datetime value (ISO 8601 or epoch milliseconds) as an aware UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise ValueError(f"not a boolean: {value!r}")


def parse_number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def to_epoch_ms(value: datetime) -> str:
    """The filter value HubSpot search takes for datetime properties (epoch milliseconds)."""
    return str(int(value.timestamp() * 1000))


def flatten(record: dict[str, Any], object_type: str) -> dict[str, Any]:
    """One CRM record as a row: id, typed properties, archived, contract timestamps.

    Raises ValueError (or TypeError) when a property cannot be converted.
    """
    props = record.get("properties") or {}
    row: dict[str, Any] = {"id": str(record["id"])}
    for name in settings.PROPERTIES[object_type]:
        value = props.get(name)
        if name in settings.DATETIME_PROPERTIES:
            row[name] = parse_datetime(value)
        elif name in settings.NUMBER_PROPERTIES:
            row[name] = parse_number(value)
        elif name in settings.BOOLEAN_PROPERTIES:
            row[name] = parse_bool(value)
        else:
            row[name] = value
    row["archived"] = bool(record.get("archived", False))
    for api_key, column in settings.TOP_LEVEL_TIMESTAMPS.get(object_type, {}).items():
        row[column] = parse_datetime(record.get(api_key))
    return row


def merged_ids(value: Any) -> list[str]:
    """The absorbed contact ids in `hs_merged_object_ids` ("12;34" -> ["12", "34"])."""
    if not value:
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def absorbed_contact_ids(client: VendorClient, since: datetime | None) -> dict[str, str]:
    """Absorbed contact id -> surviving contact id, for survivors modified after `since`.

    Read before the contacts themselves, so an absorbed contact that the API still returns
    is never loaded as a live contact next to its survivor.
    """
    modified = settings.MODIFIED_PROPERTY["contacts"]
    has_merged = {"propertyName": settings.MERGED_IDS_PROPERTY, "operator": "HAS_PROPERTY"}
    absorbed: dict[str, str] = {}
    for page in search_modified_since(
        client, "contacts", since, [has_merged], [settings.MERGED_IDS_PROPERTY, modified]
    ):
        for record in page:
            survivor = str(record["id"])
            for absorbed_id in merged_ids(
                (record.get("properties") or {}).get(settings.MERGED_IDS_PROPERTY)
            ):
                if absorbed_id != survivor:
                    absorbed[absorbed_id] = survivor
    return absorbed


# -- search ----------------------------------------------------------------------------------
def _search_body(
    properties: list[str],
    modified: str,
    floor: datetime | None,
    operator: str,
    after: str | None,
    extra_filters: list[dict[str, Any]],
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "limit": settings.SEARCH_PAGE_LIMIT,
        "properties": properties,
        "sorts": [{"propertyName": modified, "direction": "ASCENDING"}],
    }
    filters = list(extra_filters)
    if floor is not None:
        filters.append(
            {"propertyName": modified, "operator": operator, "value": to_epoch_ms(floor)}
        )
    if filters:
        body["filterGroups"] = [{"filters": filters}]
    if after is not None:
        body["after"] = after
    return body


def search_modified_since(
    client: VendorClient,
    object_type: str,
    since: datetime | None,
    extra_filters: list[dict[str, Any]] | None = None,
    properties: list[str] | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Pages of records modified after `since` (all records if None), oldest change first.

    `extra_filters` are ANDed with the modified-date filter; `properties` default to the
    contract's properties of `object_type`.

    HubSpot search answers at most 10,000 results per query (paging past them is a 400).
    When a query reaches that cap, the search restarts with the filter moved to the last
    modified date seen (GTE), skipping the records already returned at that exact date.
    """
    modified = settings.MODIFIED_PROPERTY[object_type]
    path = settings.SEARCH_ENDPOINT.format(object_type=object_type)
    properties = properties or settings.PROPERTIES[object_type]
    floor, operator = since, "GT"
    seen_at_last: set[str] = set()  # ids already returned whose modified date == last_seen
    last_seen: datetime | None = None
    while True:
        after: str | None = None
        restart = False
        while True:
            body = _search_body(properties, modified, floor, operator, after, extra_filters or [])
            try:
                data = client.post(path, json=body).json() or {}
            except HTTPError as exc:
                status = exc.response.status_code if exc.response is not None else None
                if status == 400 and after is not None:
                    restart = True  # the server enforced the cap before we did
                    break
                raise
            page = []
            for record in data.get("results") or []:
                rid = str(record.get("id"))
                when = parse_datetime((record.get("properties") or {}).get(modified))
                if operator == "GTE" and when == floor and rid in seen_at_last:
                    continue
                if when is not None and (last_seen is None or when > last_seen):
                    last_seen, seen_at_last = when, set()
                if when is not None and when == last_seen:
                    seen_at_last.add(rid)
                page.append(record)
            if page:
                yield page
            after = ((data.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return
            if int(after) >= settings.SEARCH_RESULT_CAP:
                restart = True
                break
        if not restart:
            return
        if last_seen is None or (operator == "GTE" and last_seen == floor):
            raise SearchCapError(
                f"hubspot: more than {settings.SEARCH_RESULT_CAP} {object_type} share the "
                f"modified date {last_seen}; search cannot page past them"
            )
        floor, operator = last_seen, "GTE"


def list_archived(client: VendorClient, object_type: str) -> Iterator[list[dict[str, Any]]]:
    """Pages of archived (deleted) records: search never returns them."""
    params = {
        "limit": settings.LIST_PAGE_LIMIT,
        "archived": "true",
        "properties": ",".join(settings.PROPERTIES[object_type]),
    }
    paginator = JSONResponseCursorPaginator(cursor_path="paging.next.after", cursor_param="after")
    path = settings.OBJECTS_ENDPOINT.format(object_type=object_type)
    for page in client.paginate(path, params=params, paginator=paginator, data_selector="results"):
        yield list(page)


def list_ids(
    client: VendorClient, object_type: str, batch: int = settings.LIST_PAGE_LIMIT
) -> Iterator[list[str]]:
    """The ids of every live (not archived) record of `object_type`, in lists of `batch`
    (the last one shorter): the listing pages 100 at a time, a batch read takes 1,000."""
    params = {"limit": settings.LIST_PAGE_LIMIT, "properties": "hs_object_id"}
    paginator = JSONResponseCursorPaginator(cursor_path="paging.next.after", cursor_param="after")
    path = settings.OBJECTS_ENDPOINT.format(object_type=object_type)
    ids: list[str] = []
    for page in client.paginate(path, params=params, paginator=paginator, data_selector="results"):
        ids.extend(str(record["id"]) for record in page)
        while len(ids) >= batch:
            yield ids[:batch]
            ids = ids[batch:]
    if ids:
        yield ids


# -- pipelines -------------------------------------------------------------------------------
def deal_stage_rows(client: VendorClient) -> Iterator[dict[str, Any]]:
    """One row per stage of every deal pipeline."""
    body = client.get_json(settings.PIPELINES_ENDPOINT) or {}
    for pipeline in body.get("results") or []:
        for stage in pipeline.get("stages") or []:
            metadata = stage.get("metadata") or {}
            yield {
                "pipeline_id": str(pipeline["id"]),
                "pipeline_label": pipeline.get("label"),
                "stage_id": str(stage["id"]),
                "label": stage.get("label"),
                "display_order": stage.get("displayOrder"),
                "is_closed": parse_bool(metadata.get("isClosed")),
                "probability": parse_number(metadata.get("probability")),
            }


# -- associations ----------------------------------------------------------------------------
def read_associations(
    client: VendorClient, from_type: str, to_type: str, ids: Iterable[str]
) -> Iterator[tuple[str, str]]:
    """(from id, to id) pairs for `ids`, via v4 batch/read.

    The API answers 207 Multi-Status with `errors` for ids that have no association: that is
    normal and ignored. A result with `paging.next.after` is read on with `{"id", "after"}`.
    """
    path = settings.ASSOCIATIONS_ENDPOINT.format(from_type=from_type, to_type=to_type)
    pending: list[dict[str, str]] = [{"id": str(i)} for i in dict.fromkeys(ids)]
    while pending:
        batch, pending = (
            pending[: settings.ASSOCIATION_BATCH_SIZE],
            pending[settings.ASSOCIATION_BATCH_SIZE :],
        )
        data = client.post(path, json={"inputs": batch}).json() or {}
        for result in data.get("results") or []:
            from_id = str((result.get("from") or {}).get("id"))
            for target in result.get("to") or []:
                yield from_id, str(target["toObjectId"])
            after = ((result.get("paging") or {}).get("next") or {}).get("after")
            if after:
                pending.append({"id": from_id, "after": str(after)})
