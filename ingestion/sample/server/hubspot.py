"""HubSpot CRM (`/hubspot/...`): objects v3 list/read/search, associations v4, pipelines.

- list: `limit` (default 10, max 100), `after` (an id cursor), `properties`, `archived`;
  default properties only when `properties` is not given; `paging.next.after` + `link`.
- search: `filterGroups` (OR of ANDed filters), `sorts`, `after` (an offset), `limit`
  (default 10, max 200), `properties`; never returns archived records; paging past
  10,000 results is a 400, as HubSpot documents.
- associations v4 batch read: 200, or 207 Multi-Status with `errors` for inputs without
  associations; `toObjectId` is an integer.
"""

from __future__ import annotations

import bisect
import json
import re
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from ingestion.sample.server.store import read_rows
from ingestion.sample.server.wire import Request, Response, correlation_id, json_response

OBJECT_TYPES = ("contacts", "companies", "deals")
LIST_DEFAULT, LIST_MAX = 10, 100
SEARCH_DEFAULT, SEARCH_MAX = 10, 200
SEARCH_RESULT_CAP = 10_000
BATCH_MAX = 1000
DEFAULT_PROPERTIES = {
    "contacts": [
        "createdate",
        "email",
        "firstname",
        "hs_object_id",
        "lastmodifieddate",
        "lastname",
    ],
    "companies": ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
    "deals": [
        "amount",
        "closedate",
        "createdate",
        "dealname",
        "dealstage",
        "hs_lastmodifieddate",
        "hs_object_id",
        "pipeline",
    ],
}
ALWAYS_PROPERTIES = {
    "contacts": ["createdate", "hs_object_id", "lastmodifieddate"],
    "companies": ["createdate", "hs_lastmodifieddate", "hs_object_id"],
    "deals": ["createdate", "hs_lastmodifieddate", "hs_object_id"],
}
DATE_PROPERTIES = {"createdate", "lastmodifieddate", "hs_lastmodifieddate", "closedate"}
# Reverse association type ids (HubSpot-defined): contact↔company, deal↔contact, ...
REVERSE_TYPE = {1: 2, 2: 1, 279: 280, 280: 279, 3: 4, 4: 3, 5: 6, 6: 5, 341: 342, 342: 341}
ASSOCIATION_NAMES = {
    1: "contact_to_company",
    279: "contact_to_company_unlabeled",
    2: "company_to_contact",
    280: "company_to_contact_unlabeled",
    3: "deal_to_contact",
    4: "contact_to_deal",
    5: "deal_to_company",
    6: "company_to_deal",
    341: "deal_to_company_unlabeled",
    342: "company_to_deal_unlabeled",
}
TYPE_LABEL = {1: "Primary", 2: "Primary", 5: "Primary", 6: "Primary"}

_OBJECTS = re.compile(r"^/crm/v3/objects/(\w+)$")
_OBJECT = re.compile(r"^/crm/v3/objects/(\w+)/(\d+)$")
_SEARCH = re.compile(r"^/crm/v3/objects/(\w+)/search$")
_ASSOC = re.compile(r"^/crm/v4/associations/(\w+)/(\w+)/batch/read$")


def _error(status: int, category: str, message: str, route: str, **extra: Any) -> Response:
    body = {
        "status": "error",
        "message": message,
        "correlationId": correlation_id(),
        "category": category,
        **extra,
    }
    return json_response(status, body, route)


def _millis(value: Any) -> int | None:
    """A HubSpot date value (ms epoch or ISO 8601) as epoch milliseconds."""
    if value is None or value == "":
        return None
    text = str(value)
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp() * 1000)


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class _Record:
    __slots__ = ("id", "obj", "dates")

    def __init__(self, obj: dict[str, Any]) -> None:
        self.id = int(obj["id"])
        self.obj = obj
        props = obj.get("properties") or {}
        self.dates = {k: _millis(props.get(k)) for k in DATE_PROPERTIES if k in props}


class HubspotApi:
    prefix = "/hubspot"

    def __init__(self, root: Path, token: str) -> None:
        self.token = token
        base = root / "hubspot"
        self.records: dict[str, list[_Record]] = {}
        self.by_id: dict[str, dict[int, _Record]] = {}
        self.ids: dict[str, list[int]] = {}
        for kind in OBJECT_TYPES:
            recs = sorted(
                (_Record(r.obj) for r in read_rows(base / f"{kind}.jsonl")), key=lambda rec: rec.id
            )
            self.records[kind] = recs
            self.by_id[kind] = {rec.id: rec for rec in recs}
            self.ids[kind] = [rec.id for rec in recs]
        self.assoc: dict[tuple[str, str], dict[int, list[tuple[int, int]]]] = {}
        for r in read_rows(base / "associations.jsonl"):
            a = r.obj
            src, dst, type_id = int(a["from_id"]), int(a["to_id"]), int(a["type_id"])
            fwd = self.assoc.setdefault((a["from_type"], a["to_type"]), {})
            fwd.setdefault(src, []).append((dst, type_id))
            rev = self.assoc.setdefault((a["to_type"], a["from_type"]), {})
            rev.setdefault(dst, []).append((src, REVERSE_TYPE.get(type_id, type_id)))
        pipelines = base / "pipelines.json"
        self.pipelines = pipelines.read_bytes().strip() if pipelines.exists() else b'{"results":[]}'
        self._search_cache: OrderedDict[str, list[_Record]] = OrderedDict()
        self._cache_lock = threading.Lock()

    def close(self) -> None:
        pass

    def handle(self, req: Request) -> Response:
        path = req.path
        auth = req.headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if token != self.token:
            return _error(
                401,
                "INVALID_AUTHENTICATION",
                "Authentication credentials not found. This API supports OAuth 2.0 "
                "authentication and you can find more details at "
                "https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                "auth",
            )
        if req.method == "GET" and path == "/crm/v3/pipelines/deals":
            return Response(200, self.pipelines, {}, "/crm/v3/pipelines/deals")
        if req.method == "GET" and (m := _OBJECTS.match(path)):
            return self.list_objects(req, m.group(1))
        if req.method == "GET" and (m := _OBJECT.match(path)):
            return self.read_object(req, m.group(1), int(m.group(2)))
        if req.method == "POST" and (m := _SEARCH.match(path)):
            return self.search(req, m.group(1))
        if req.method == "POST" and (m := _ASSOC.match(path)):
            return self.associations(req, m.group(1), m.group(2))
        return _error(404, "OBJECT_NOT_FOUND", f"Unable to route {req.method} {path}", "not_found")

    # -- shaping --------------------------------------------------------------------------
    def _wanted(self, kind: str, requested: list[str] | None) -> list[str]:
        if not requested:
            return DEFAULT_PROPERTIES[kind]
        return list(dict.fromkeys([*requested, *ALWAYS_PROPERTIES[kind]]))

    def _shape(self, rec: _Record, kind: str, props: list[str]) -> dict[str, Any]:
        obj = rec.obj
        have = obj.get("properties") or {}
        shaped: dict[str, Any] = {"id": obj["id"]}
        properties: dict[str, Any] = {}
        for p in props:
            if p in have:
                properties[p] = have[p]
            elif p == "hs_object_id":
                properties[p] = str(rec.id)
        shaped["properties"] = properties
        for key in ("createdAt", "updatedAt", "archived"):
            if key in obj:
                shaped[key] = obj[key]
        if obj.get("archived") and "archivedAt" in obj:
            shaped["archivedAt"] = obj["archivedAt"]
        return shaped

    def _with_associations(
        self, shaped: dict[str, Any], kind: str, rec: _Record, to_kinds: list[str]
    ) -> dict[str, Any]:
        """The v3 `associations=` query option: {"companies": {"results": [{id, type}]}}."""
        found: dict[str, Any] = {}
        for to_kind in to_kinds:
            edges = self.assoc.get((kind, to_kind), {}).get(rec.id)
            if edges:
                found[to_kind] = {
                    "results": [
                        {"id": str(to_id), "type": ASSOCIATION_NAMES.get(t, f"{kind}_to_{to_kind}")}
                        for to_id, t in edges
                    ]
                }
        if found:
            shaped["associations"] = found
        return shaped

    @staticmethod
    def _associations_param(req: Request) -> list[str]:
        return [a for raw in req.args("associations") for a in raw.split(",") if a]

    @staticmethod
    def _properties_param(req: Request) -> list[str] | None:
        values = [p for raw in req.args("properties") for p in raw.split(",") if p]
        return values or None

    # -- objects ---------------------------------------------------------------------------
    def list_objects(self, req: Request, kind: str) -> Response:
        route = f"/crm/v3/objects/{kind}"
        if kind not in self.records:
            return _error(
                400, "VALIDATION_ERROR", f"Unable to infer object type from: {kind}", route
            )
        limit = req.int_arg("limit", LIST_DEFAULT)
        if limit < 1 or limit > LIST_MAX:
            limit = min(max(limit, 1), LIST_MAX)
        after_raw = req.arg("after")
        after = int(after_raw) if after_raw and after_raw.isdigit() else 0
        archived = (req.arg("archived") or "false").lower() == "true"
        props = self._wanted(kind, self._properties_param(req))
        recs = self.records[kind]
        pos = bisect.bisect_left(self.ids[kind], after)
        page: list[_Record] = []
        while pos < len(recs) and len(page) < limit:
            rec = recs[pos]
            if bool(rec.obj.get("archived")) == archived:
                page.append(rec)
            pos += 1
        while pos < len(recs) and bool(recs[pos].obj.get("archived")) != archived:
            pos += 1
        assoc = self._associations_param(req)
        body: dict[str, Any] = {
            "results": [
                self._with_associations(self._shape(r, kind, props), kind, r, assoc) for r in page
            ]
        }
        if pos < len(recs):
            nxt = str(page[-1].id + 1) if page else str(recs[pos].id)
            query = {k: v[0] for k, v in req.query.items() if v}
            query["after"] = nxt
            link = f"{req.base_url}/crm/v3/objects/{kind}?{urlencode(query)}"
            body["paging"] = {"next": {"after": nxt, "link": link}}
        return json_response(200, body, route)

    def read_object(self, req: Request, kind: str, object_id: int) -> Response:
        route = f"/crm/v3/objects/{kind}/{{id}}"
        rec = self.by_id.get(kind, {}).get(object_id)
        archived = (req.arg("archived") or "false").lower() == "true"
        if rec is None or bool(rec.obj.get("archived")) != archived:
            return _error(
                404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.", route
            )
        props = self._wanted(kind, self._properties_param(req))
        shaped = self._with_associations(
            self._shape(rec, kind, props), kind, rec, self._associations_param(req)
        )
        return json_response(200, shaped, route)

    # -- search ----------------------------------------------------------------------------
    @staticmethod
    def _matches(rec: _Record, flt: dict[str, Any]) -> bool:
        name = flt.get("propertyName", "")
        op = str(flt.get("operator", "EQ")).upper()
        props = rec.obj.get("properties") or {}
        if name == "hs_object_id":
            raw: Any = str(rec.id)
        else:
            raw = props.get(name)
        if op == "HAS_PROPERTY":
            return raw not in (None, "")
        if op == "NOT_HAS_PROPERTY":
            return raw in (None, "")
        if op in ("IN", "NOT_IN"):
            values = {str(v).lower() for v in flt.get("values") or []}
            inside = raw is not None and str(raw).lower() in values
            return inside if op == "IN" else not inside
        if op == "CONTAINS_TOKEN":
            token = str(flt.get("value", "")).lower().strip("*")
            return raw is not None and token in str(raw).lower()
        if raw in (None, ""):
            return op == "NEQ"
        value = flt.get("value")
        if name in DATE_PROPERTIES:
            left, right = rec.dates.get(name), _millis(value)
            high = _millis(flt.get("highValue"))
        else:
            left, right = _number(raw), _number(value)
            high = _number(flt.get("highValue"))
            if left is None or right is None:
                left, right = str(raw).lower(), str(value).lower()  # type: ignore[assignment]
                high = None if flt.get("highValue") is None else str(flt["highValue"]).lower()  # type: ignore[assignment]
        if left is None or right is None:
            return False
        return {
            "EQ": lambda: left == right,
            "NEQ": lambda: left != right,
            "LT": lambda: left < right,
            "LTE": lambda: left <= right,
            "GT": lambda: left > right,
            "GTE": lambda: left >= right,
            "BETWEEN": lambda: high is not None and right <= left <= high,
        }.get(op, lambda: False)()

    def _sort_key(self, sorts: list[Any]):
        spec: list[tuple[str, bool]] = []
        for s in sorts:
            if isinstance(s, str):
                spec.append((s.lstrip("-"), s.startswith("-")))
            elif isinstance(s, dict):
                spec.append(
                    (
                        s.get("propertyName", ""),
                        str(s.get("direction", "ASCENDING")).upper() == "DESCENDING",
                    )
                )
        return spec

    def _search_results(self, kind: str, body: dict[str, Any]) -> list[_Record]:
        key = json.dumps(
            [kind, body.get("filterGroups"), body.get("sorts"), body.get("query")], sort_keys=True
        )
        with self._cache_lock:
            cached = self._search_cache.get(key)
        if cached is not None:
            return cached
        groups = body.get("filterGroups") or []
        query = str(body.get("query") or "").lower()
        out = []
        for rec in self.records[kind]:
            if rec.obj.get("archived"):
                continue
            if groups and not any(
                all(self._matches(rec, f) for f in g.get("filters") or []) for g in groups
            ):
                continue
            if query and not any(
                query in str(v).lower() for v in (rec.obj.get("properties") or {}).values() if v
            ):
                continue
            out.append(rec)
        for name, desc in reversed(self._sort_key(body.get("sorts") or [])):

            def sort_value(rec: _Record, name: str = name) -> tuple[int, Any]:
                if name in DATE_PROPERTIES:
                    v: Any = rec.dates.get(name)
                elif name == "hs_object_id":
                    v = rec.id
                else:
                    raw = (rec.obj.get("properties") or {}).get(name)
                    v = _number(raw)
                    if v is None and raw is not None:
                        v = str(raw)
                return (0, v) if v is not None else (1, 0)

            try:
                out.sort(key=sort_value, reverse=desc)
            except TypeError:
                out.sort(
                    key=lambda r, n=name: str((r.obj.get("properties") or {}).get(n)), reverse=desc
                )
        with self._cache_lock:
            self._search_cache[key] = out
            while len(self._search_cache) > 16:
                self._search_cache.popitem(last=False)
        return out

    def search(self, req: Request, kind: str) -> Response:
        route = f"/crm/v3/objects/{kind}/search"
        if kind not in self.records:
            return _error(
                400, "VALIDATION_ERROR", f"Unable to infer object type from: {kind}", route
            )
        try:
            body = req.json()
        except ValueError:
            return _error(400, "VALIDATION_ERROR", "Invalid input JSON on line 1", route)
        try:
            limit = int(body.get("limit") or SEARCH_DEFAULT)
            after = int(str(body.get("after") or 0))
        except (TypeError, ValueError):
            return _error(400, "VALIDATION_ERROR", "Invalid input JSON on line 1", route)
        if limit > SEARCH_MAX or limit < 1:
            return _error(
                400,
                "VALIDATION_ERROR",
                f"limit must be between 1 and {SEARCH_MAX}, but was {limit}",
                route,
            )
        if after >= SEARCH_RESULT_CAP:
            return _error(
                400,
                "VALIDATION_ERROR",
                "There was a problem with the request.",
                route,
                errors=[
                    {
                        "message": f"Paging beyond {SEARCH_RESULT_CAP} results is not "
                        "supported. Please narrow your search.",
                        "code": "INVALID_INTEGER",
                        "context": {"after": [str(after)]},
                    }
                ],
            )
        results = self._search_results(kind, body)
        props = self._wanted(kind, body.get("properties") or None)
        # At most 10,000 results per query: the page stops there, and the next one is a 400.
        end = min(after + limit, len(results), SEARCH_RESULT_CAP)
        page = results[after:end]
        out: dict[str, Any] = {
            "total": len(results),
            "results": [self._shape(r, kind, props) for r in page],
        }
        if end < len(results):
            out["paging"] = {"next": {"after": str(end)}}
        return json_response(200, out, route)

    # -- associations ----------------------------------------------------------------------
    def associations(self, req: Request, src: str, dst: str) -> Response:
        route = f"/crm/v4/associations/{src}/{dst}/batch/read"
        started = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        try:
            inputs = req.json().get("inputs") or []
        except (ValueError, AttributeError):
            return _error(400, "VALIDATION_ERROR", "Invalid input JSON on line 1", route)
        if len(inputs) > BATCH_MAX:
            return _error(
                400,
                "VALIDATION_ERROR",
                f"Batch input limit exceeded: {len(inputs)} > {BATCH_MAX}",
                route,
            )
        edges = self.assoc.get((src, dst), {})
        results, errors = [], []
        for item in inputs:
            raw_id = str(item.get("id", "")) if isinstance(item, dict) else str(item)
            targets = edges.get(int(raw_id)) if raw_id.isdigit() else None
            if not targets:
                errors.append(
                    {
                        "status": "error",
                        "category": "OBJECT_NOT_FOUND",
                        "subCategory": "crm.associations.NO_ASSOCIATIONS_FOUND",
                        "context": {"fromObjectId": [raw_id]},
                        "links": {},
                        "message": f"No {dst} is associated with {src} {raw_id}.",
                        "errors": [],
                    }
                )
                continue
            grouped: dict[int, list[dict[str, Any]]] = {}
            for to_id, type_id in targets:
                grouped.setdefault(to_id, []).append(
                    {
                        "category": "HUBSPOT_DEFINED",
                        "typeId": type_id,
                        "label": TYPE_LABEL.get(type_id),
                    }
                )
            results.append(
                {
                    "from": {"id": raw_id},
                    "to": [
                        {"toObjectId": to_id, "associationTypes": types}
                        for to_id, types in sorted(grouped.items())
                    ],
                }
            )
        completed = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        body: dict[str, Any] = {"status": "COMPLETE", "results": results}
        if errors:
            body["numErrors"] = len(errors)
            body["errors"] = errors
        body["startedAt"], body["completedAt"] = started, completed
        return json_response(207 if errors else 200, body, route)
