"""HubSpot CRM constants: base URL, endpoints, properties fetched, page sizes, column types."""

from __future__ import annotations

from typing import Any

SOURCE_NAME = "hubspot"
DEFAULT_BASE_URL = "https://api.hubapi.com"
API_KEY_CONFIG_KEY = "SOURCES__HUBSPOT__API_KEY"

OBJECTS_ENDPOINT = "/crm/v3/objects/{object_type}"
SEARCH_ENDPOINT = "/crm/v3/objects/{object_type}/search"
PIPELINES_ENDPOINT = "/crm/v3/pipelines/deals"
ASSOCIATIONS_ENDPOINT = "/crm/v4/associations/{from_type}/{to_type}/batch/read"

LIST_PAGE_LIMIT = 100  # GET /crm/v3/objects: at most 100 per page
SEARCH_PAGE_LIMIT = 200  # POST .../search: at most 200 per page
SEARCH_RESULT_CAP = 10_000  # search refuses (400) to page past 10,000 results of one query
ASSOCIATION_BATCH_SIZE = 1000  # ids per associations batch/read request (HubSpot's maximum)
DEFAULT_ASSOCIATION_WORKERS = 4
"""Association batch reads in flight at once (`SOURCES__HUBSPOT__ASSOCIATION_WORKERS`): one
read per ASSOCIATION_BATCH_SIZE listed ids (ten pages of the id listing). Results are still
taken in listing order; 1 = sequential."""

# The property each object type's search filters and sorts on (contacts carry both
# `lastmodifieddate` and `hs_lastmodifieddate`; the contract keeps `lastmodifieddate`).
MODIFIED_PROPERTY = {
    "contacts": "lastmodifieddate",
    "companies": "hs_lastmodifieddate",
    "deals": "hs_lastmodifieddate",
}

PROPERTIES = {
    "contacts": [
        "email",
        "firstname",
        "lastname",
        "company",
        "jobtitle",
        "city",
        "country",
        "lifecyclestage",
        "hs_merged_object_ids",
        "commops_slack_user_id",
        "commops_discourse_user_id",
        "createdate",
        "lastmodifieddate",
    ],
    "companies": [
        "name",
        "domain",
        "industry",
        "city",
        "country",
        "createdate",
        "hs_lastmodifieddate",
    ],
    "deals": [
        "dealname",
        "pipeline",
        "dealstage",
        "amount",
        "createdate",
        "closedate",
        "hs_is_closed_won",
        "hs_lastmodifieddate",
    ],
}

# HubSpot sends every property value as a string; these are converted before loading.
DATETIME_PROPERTIES = frozenset(
    {"createdate", "lastmodifieddate", "hs_lastmodifieddate", "closedate"}
)
NUMBER_PROPERTIES = frozenset({"amount"})
BOOLEAN_PROPERTIES = frozenset({"hs_is_closed_won"})

# Contacts keep the record's top-level createdAt/updatedAt too (CONTRACTS.md section 3).
TOP_LEVEL_TIMESTAMPS = {"contacts": {"createdAt": "created_at", "updatedAt": "updated_at"}}

# A surviving contact lists the ids merged into it here (semicolon-separated).
MERGED_IDS_PROPERTY = "hs_merged_object_ids"
# Column carrying, on a delete-marker row, the surviving contact an absorbed id went into.
# It is dlt's hard-delete column: such a row removes the absorbed id from `contacts`.
MERGED_INTO_COLUMN = "merged_into_id"


def _ts() -> dict[str, Any]:
    return {"data_type": "timestamp", "timezone": True, "nullable": True}


def _text() -> dict[str, Any]:
    return {"data_type": "text", "nullable": True}


def object_columns(object_type: str) -> dict[str, dict[str, Any]]:
    """Column hints for one CRM object table (types fixed even when a page is all null).

    No `nullable: False`: the primary key is not-null anyway.
    """
    columns: dict[str, dict[str, Any]] = {"id": _text()}
    for prop in PROPERTIES[object_type]:
        if prop in DATETIME_PROPERTIES:
            columns[prop] = _ts()
        elif prop in NUMBER_PROPERTIES:
            columns[prop] = {"data_type": "double", "nullable": True}
        elif prop in BOOLEAN_PROPERTIES:
            columns[prop] = {"data_type": "bool", "nullable": True}
        else:
            columns[prop] = _text()
    columns["archived"] = {"data_type": "bool", "nullable": True}
    for column in TOP_LEVEL_TIMESTAMPS.get(object_type, {}).values():
        columns[column] = _ts()
    if object_type == "contacts":
        columns[MERGED_INTO_COLUMN] = {"data_type": "text", "nullable": True, "hard_delete": True}
    return columns


DEAL_STAGE_COLUMNS: dict[str, dict[str, Any]] = {
    "pipeline_id": {"data_type": "text", "nullable": False},
    "pipeline_label": _text(),
    "stage_id": {"data_type": "text", "nullable": False},
    "label": _text(),
    "display_order": {"data_type": "bigint", "nullable": True},
    "is_closed": {"data_type": "bool", "nullable": True},
    "probability": {"data_type": "double", "nullable": True},
}

# (table, from object type, to object type, from-id column, to-id column)
ASSOCIATIONS = {
    "contact_companies": ("contacts", "companies", "contact_id", "company_id"),
    "deal_contacts": ("deals", "contacts", "deal_id", "contact_id"),
}
