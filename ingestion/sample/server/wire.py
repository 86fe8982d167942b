"""Wire helpers shared by every vendor: requests, responses, cursors, `_`-key stripping."""

from __future__ import annotations

import base64
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

JSON = "application/json; charset=utf-8"


@dataclass
class Request:
    """One HTTP request, with the vendor prefix already removed from `path`."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    base_url: str = ""  # the vendor's base URL on this server (for paging links)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def args(self, name: str) -> list[str]:
        return self.query.get(name, [])

    def int_arg(self, name: str, default: int) -> int:
        raw = self.arg(name)
        try:
            return int(raw) if raw not in (None, "") else default
        except ValueError:
            return default

    def json(self) -> Any:
        return json.loads(self.body or b"{}")

    def form(self) -> dict[str, list[str]]:
        """Query parameters merged with a urlencoded POST body (Slack accepts both)."""
        merged = dict(self.query)
        ctype = self.headers.get("content-type", "")
        if self.body and "application/x-www-form-urlencoded" in ctype:
            for key, values in parse_qs(self.body.decode(), keep_blank_values=True).items():
                merged[key] = values
        elif self.body and "application/json" in ctype:
            try:
                payload = json.loads(self.body)
            except ValueError:
                payload = {}
            if isinstance(payload, dict):
                for key, value in payload.items():
                    merged[key] = [value if isinstance(value, str) else json.dumps(value)]
        return merged


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    route: str = "?"  # route name for /_admin/stats
    content_type: str = JSON


def json_response(status: int, payload: Any, route: str = "?", **headers: str) -> Response:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(status, body, dict(headers), route)


def raw_json_list(items: list[bytes]) -> bytes:
    """A JSON array assembled from already-serialized objects."""
    return b"[" + b",".join(items) + b"]"


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def encode_cursor(text: str) -> str:
    """Slack-style opaque cursor: base64 of e.g. `user:U061NFTT2`."""
    return base64.b64encode(text.encode()).decode()


def decode_cursor(cursor: str, prefix: str) -> str | None:
    """The value after `prefix:` in a cursor made by `encode_cursor`, or None if invalid."""
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except ValueError:
        return None
    head, sep, value = text.partition(":")
    return value if sep and head == prefix else None


def correlation_id() -> str:
    return str(uuid.uuid4())


# A `_` key with a scalar value. Inside a JSON string every `"` is escaped, so `"` right
# after `{` or `,` (and optional whitespace) always starts a real key.
_SCALAR = rb'(?:"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*|true|false|null)'
_VALUE = rb"(?:" + _SCALAR + rb"|\[\s*(?:" + _SCALAR + rb"(?:\s*,\s*" + _SCALAR + rb")*)?\s*\])"
_UNDERSCORE_AFTER_COMMA = re.compile(rb',\s*"_[^"\\]*"\s*:\s*' + _VALUE)
_UNDERSCORE_FIRST = re.compile(rb'\{\s*"_[^"\\]*"\s*:\s*' + _VALUE + rb"\s*(,\s*)?")
_ANY_UNDERSCORE_KEY = re.compile(rb'[{,]\s*"_[^"\\]*"\s*:')


def strip_private(line: bytes, parsed: Any = None) -> bytes:
    """Remove every key starting with `_` from a serialized JSON object (`parsed`, if
    given, is the same object already decoded, used when the fast path cannot apply)."""
    if b'"_' not in line:
        return line
    out = _UNDERSCORE_AFTER_COMMA.sub(b"", line)
    out = _UNDERSCORE_FIRST.sub(b"{", out)
    if _ANY_UNDERSCORE_KEY.search(out):
        return dumps(strip_private_obj(json.loads(line) if parsed is None else parsed))
    return out


def strip_private_obj(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: strip_private_obj(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, list):
        return [strip_private_obj(v) for v in obj]
    return obj
