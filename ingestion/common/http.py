"""One way to talk HTTP for every source: dlt's RESTClient on dlt's retrying requests session.

Retries come from `dlt.sources.helpers.requests.Client` (tenacity): 429 and 5xx are retried
with exponential backoff, honouring `Retry-After`; connection errors, timeouts and truncated
bodies are retried too. Attempts, backoff and timeout follow dlt's runtime config
(`RUNTIME__REQUEST_MAX_ATTEMPTS`, `RUNTIME__REQUEST_BACKOFF_FACTOR`,
`RUNTIME__REQUEST_MAX_RETRY_DELAY`, `RUNTIME__REQUEST_TIMEOUT`).

A response hook, run inside the retried `send`, turns each response into exactly one of:
- a parsed JSON body (parsed once and cached on `response.json`),
- a retryable failure (429/5xx as `HTTPError`, a cut-off body as `TruncatedResponseError`),
- `SourceAuthError` naming the source and the credential's config key (never its value),
- `HTTPError` for other 4xx, or whatever the source's own `check` raises (e.g. Slack `ok: false`).
"""

from __future__ import annotations

import http.client
import os
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from urllib.request import getproxies

import pycurl
from dlt.common.configuration import resolve_configuration
from dlt.common.configuration.specs import RuntimeConfiguration
from dlt.common.jsonpath import JSONPath, TJsonPath, compile_path
from dlt.sources.helpers.requests.retry import (
    DEFAULT_RETRY_EXCEPTIONS,
    DEFAULT_RETRY_STATUS,
    Client,
)
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.client import PageData
from dlt.sources.helpers.rest_client.paginators import BasePaginator
from dlt.sources.helpers.rest_client.redaction import sanitize_url
from requests import HTTPError, PreparedRequest, Response
from requests.auth import AuthBase
from requests.exceptions import ChunkedEncodingError
from urllib3 import BaseHTTPResponse, HTTPHeaderDict, HTTPResponse, Retry
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, ProtocolError

from ingestion.common.errors import SourceAuthError

try:  # orjson ships with dlt; parse pages with it when present
    import orjson

    def _loads(body: bytes) -> Any:
        return orjson.loads(body)

    _DecodeError: tuple[type[Exception], ...] = (orjson.JSONDecodeError, UnicodeDecodeError)
except ImportError:  # pragma: no cover - stdlib fallback
    import json

    def _loads(body: bytes) -> Any:
        return json.loads(body)

    _DecodeError = (json.JSONDecodeError, UnicodeDecodeError)


ResponseCheck = Callable[[Response, Any], None]
"""Source-specific check of a parsed 2xx body; raises to fail (e.g. Slack's `ok: false`)."""

AuthErrorCheck = Callable[[Response], bool]
"""Tells whether a 4xx response means the credential was rejected."""


class TruncatedResponseError(ChunkedEncodingError):
    """A 2xx body that is not valid JSON (cut off in transit). Retried like a dropped connection."""


class BearerAuth(AuthBase):
    """`Authorization: Bearer <token>`; the token never appears in repr or logs."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth(<redacted>)"


class HeadersAuth(AuthBase):
    """Fixed secret headers (e.g. Discourse `Api-Key` + `Api-Username`), redacted in repr."""

    def __init__(self, headers: dict[str, str]) -> None:
        self._headers = dict(headers)

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers.update(self._headers)
        return request

    def __repr__(self) -> str:
        return f"HeadersAuth({sorted(self._headers)} <redacted>)"


def _default_is_auth_error(response: Response) -> bool:
    return response.status_code in (401, 403)


@lru_cache(maxsize=64)
def _compiled(selector: str) -> JSONPath:
    return compile_path(selector)


def compiled_selector(selector: TJsonPath | None) -> JSONPath | None:
    """`selector` as a compiled JSONPath, compiled once per process. dlt's RESTClient parses a
    string `data_selector` again for every page, and jsonpath_ng builds a whole parser for
    each parse: ~9% of a HubSpot run that re-lists 57k ids (100k people)."""
    return _compiled(selector) if isinstance(selector, str) else selector


class VendorClient(RESTClient):
    """A RESTClient whose every request (paginated or not) goes through the vendor hook, with
    data selectors compiled once."""

    def __init__(
        self,
        base_url: str,
        *,
        source: str,
        auth_config_key: str,
        session: Any,
        auth: AuthBase | None = None,
        headers: dict[str, str] | None = None,
        paginator: BasePaginator | None = None,
        data_selector: str | None = None,
        check: ResponseCheck | None = None,
        is_auth_error: AuthErrorCheck = _default_is_auth_error,
        retry_status: Sequence[int] = DEFAULT_RETRY_STATUS,
    ) -> None:
        super().__init__(
            base_url=base_url,
            headers=headers,
            auth=auth,
            paginator=paginator,
            data_selector=compiled_selector(data_selector),
            session=session,
        )
        self.source = source
        self.auth_config_key = auth_config_key
        self._check = check
        self._is_auth_error = is_auth_error
        self._retry_status = frozenset(retry_status)

    # -- the hook ---------------------------------------------------------------------------
    def _hook(self, response: Response, *args: Any, **kwargs: Any) -> Response:
        status = response.status_code
        if response.is_redirect:
            return response
        if status >= 400:
            if status not in self._retry_status and self._is_auth_error(response):
                raise SourceAuthError(self.source, self.auth_config_key, f"HTTP {status}")
            kind = "Client" if status < 500 else "Server"
            raise HTTPError(
                f"{self.source}: {status} {kind} Error for url: {sanitize_url(response.url)}",
                response=response,
            )
        if status == 204 or not response.content:
            data: Any = None
        else:
            try:
                data = _loads(response.content)
            except _DecodeError as exc:
                raise TruncatedResponseError(
                    f"{self.source}: unparsable JSON body ({len(response.content)} bytes) "
                    f"from {sanitize_url(response.url)}"
                ) from exc
        response.json = lambda *a, **kw: data  # type: ignore[method-assign]
        if self._check is not None:
            self._check(response, data)
        return response

    def _hooks(self, hooks: dict[str, Any] | None) -> dict[str, Any]:
        hooks = dict(hooks or {})
        hooks.setdefault("response", [self._hook])
        return hooks

    # -- RESTClient API ---------------------------------------------------------------------
    def request(self, path: str = "", method: Any = "GET", **kwargs: Any) -> Response:
        kwargs["hooks"] = self._hooks(kwargs.get("hooks"))
        return super().request(path, method, **kwargs)

    def paginate(  # type: ignore[override]
        self, path: str = "", method: Any = "GET", *args: Any, **kwargs: Any
    ) -> Iterator[PageData[Any]]:
        kwargs["hooks"] = self._hooks(kwargs.get("hooks"))
        if "data_selector" in kwargs:
            kwargs["data_selector"] = compiled_selector(kwargs["data_selector"])
        return super().paginate(path, method, *args, **kwargs)

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET one resource and return its parsed (already checked) body."""
        return self.get(path, params=params).json()

    def __repr__(self) -> str:
        return f"VendorClient({self.source}, {sanitize_url(self.base_url)})"


def make_session(
    extra_retry_exceptions: Sequence[type[Exception]] = (),
    retry_status: Sequence[int] = DEFAULT_RETRY_STATUS,
) -> Any:
    """dlt's retrying requests session, configured from dlt's runtime config."""
    config = resolve_configuration(RuntimeConfiguration())
    client = Client(
        request_timeout=config.request_timeout,
        raise_for_status=False,
        status_codes=tuple(retry_status),
        exceptions=(*DEFAULT_RETRY_EXCEPTIONS, TruncatedResponseError, *extra_retry_exceptions),
        request_max_attempts=config.request_max_attempts,
        request_backoff_factor=config.request_backoff_factor,
        request_max_retry_delay=config.request_max_retry_delay,
        respect_retry_after_header=True,
    )
    session = client.session
    # requests re-reads proxy, CA-bundle and netrc settings from the environment on every
    # request (a third of a small call's CPU); read them once and skip it where none is set.
    session.trust_env = _environment_configures_http()
    return session


def _environment_configures_http() -> bool:
    """Whether proxies, a CA bundle or a netrc file are configured for requests to honour."""
    if getproxies() or os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE"):
        return True
    netrc = os.environ.get("NETRC")
    candidates = [Path(netrc)] if netrc else [Path.home() / ".netrc", Path.home() / "_netrc"]
    return any(p.exists() for p in candidates)


def resolve_runtime() -> RuntimeConfiguration:
    """dlt's runtime config (request attempts, backoff, timeout) as it resolves now."""
    return resolve_configuration(RuntimeConfiguration())


def make_client(
    base_url: str,
    *,
    source: str,
    auth_config_key: str,
    auth: AuthBase | None = None,
    headers: dict[str, str] | None = None,
    paginator: BasePaginator | None = None,
    data_selector: str | None = None,
    check: ResponseCheck | None = None,
    is_auth_error: AuthErrorCheck = _default_is_auth_error,
    retry_status: Sequence[int] = DEFAULT_RETRY_STATUS,
) -> VendorClient:
    """A RESTClient for one vendor.

    Args:
        base_url: the vendor base URL (a source argument, so `SOURCES__<X>__BASE_URL` works).
        source: the source name used in error messages (`slack`, `hubspot`, ...).
        auth_config_key: the config key of the credential, e.g. `SOURCES__SLACK__ACCESS_TOKEN`;
            named by `SourceAuthError`.
        auth: a requests auth (use `BearerAuth`/`HeadersAuth`: they keep secrets out of logs).
        paginator, data_selector: defaults for `paginate`.
        check: called with (response, parsed body) for every 2xx; raise to fail.
        is_auth_error: decides whether a non-retryable 4xx means a bad credential
            (default: 401 or 403).
    """
    return VendorClient(
        base_url,
        source=source,
        auth_config_key=auth_config_key,
        session=make_session(retry_status=retry_status),
        auth=auth,
        headers=headers,
        paginator=paginator,
        data_selector=data_selector,
        check=check,
        is_auth_error=is_auth_error,
        retry_status=retry_status,
    )


# libcurl error codes (curl/curl.h) of a call that never got a whole response: retried as a
# dropped connection is (urllib3's read errors); the connect-phase ones as connect errors.
_CURL_CONNECT_ERRORS = frozenset({5, 6, 7})  # couldn't resolve proxy / host, couldn't connect
_CURL_TRANSPORT_ERRORS = frozenset({18, 28, 52, 55, 56, 92})
# partial body, timeout, empty reply, send error, receive error, HTTP/2 stream error


class PooledJSONClient:
    """GET-and-parse over one libcurl handle (pycurl), for the hot paths where requests'
    per-call cost dominates: Slack's conversations.replies, one call per thread (~530,000 at
    100,000 people), and Discourse's per-topic posts. Measured on this machine against the
    sample server (2,000 conversations.replies calls, client thread CPU per call): requests +
    RESTClient ~10x the CPU of the HTTP exchange itself; urllib3's connection pool 0.90 ms,
    most of it http.client's header parsing; libcurl 0.27 ms, JSON parse included. The handle
    keeps its connection alive between calls and releases the GIL while it waits.

    Same outcomes as `VendorClient`'s hook: 429/5xx and connection errors retried under
    urllib3's `Retry` policy (backoff, `Retry-After` honoured; attempts, backoff and timeout
    from dlt's runtime config), a rejected credential raises `SourceAuthError` naming the
    config key, another error status raises `HTTPError`, a cut-off body raises
    `TruncatedResponseError` (or, when the connection drops mid-body, is retried). Callers
    that need more (e.g. a retry of cut-off bodies) fall back to a `VendorClient`. One handle
    serves one thread: each concurrent worker makes its own client.
    """

    def __init__(
        self,
        base_url: str,
        *,
        source: str,
        auth_config_key: str,
        headers: dict[str, str],
        retry_status: Sequence[int] = DEFAULT_RETRY_STATUS,
        runtime: RuntimeConfiguration | None = None,
    ) -> None:
        """`runtime`: dlt's resolved runtime config (attempts, backoff, timeout), resolved here
        when not given; callers making many clients at once resolve it once and pass it."""
        config = runtime if runtime is not None else resolve_configuration(RuntimeConfiguration())
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.source = source
        self.auth_config_key = auth_config_key
        self._retry_status = frozenset(retry_status)
        self._retry = Retry(
            total=max(0, int(config.request_max_attempts) - 1),
            backoff_factor=float(config.request_backoff_factor),
            backoff_max=float(config.request_max_retry_delay),
            status_forcelist=sorted(self._retry_status),
            allowed_methods=None,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        curl = self._curl = pycurl.Curl()
        curl.setopt(pycurl.NOSIGNAL, 1)  # timeouts without signals: safe in worker threads
        curl.setopt(pycurl.TIMEOUT_MS, int(float(config.request_timeout) * 1000))
        curl.setopt(
            pycurl.HTTPHEADER,
            [f"{k}: {v}" for k, v in {"Accept": "application/json", **headers}.items()],
        )
        if self.base_url.startswith("https:"):
            import certifi  # requests' CA bundle, so both clients trust the same roots

            curl.setopt(pycurl.CAINFO, certifi.where())

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        url = self.base_url + path.lstrip("/")
        if params:
            url += "?" + urlencode(params)
        retry = self._retry
        while True:
            try:
                status, header_lines, body = self._get(url)
            except (_CurlError, _CurlConnectError) as exc:  # no whole response
                retry = retry.increment("GET", sanitize_url(url), error=exc)
                retry.sleep()
                continue
            if status < 400:
                break
            # retried as urllib3 would: its status list, or a Retry-After it honours
            response = _retry_response(status, header_lines)
            if not retry.is_retry("GET", status, "Retry-After" in response.headers):
                break
            try:
                retry = retry.increment("GET", sanitize_url(url), response=response)
            except MaxRetryError:
                break  # out of attempts: reported below as the status it is
            retry.sleep(response)
        if status >= 400:
            if status not in self._retry_status and status in (401, 403):
                raise SourceAuthError(self.source, self.auth_config_key, f"HTTP {status}")
            kind = "Client" if status < 500 else "Server"
            raise HTTPError(f"{self.source}: {status} {kind} Error for url: {sanitize_url(url)}")
        try:
            return _loads(body) if body else None
        except _DecodeError as exc:
            raise TruncatedResponseError(
                f"{self.source}: unparsable JSON body ({len(body)} bytes) from {sanitize_url(url)}"
            ) from exc

    def _get(self, url: str) -> tuple[int, list[bytes], bytes]:
        """One GET: (status, raw header lines, body); a transport failure as `_CurlError`."""
        curl = self._curl
        body = BytesIO()
        header_lines: list[bytes] = []
        curl.setopt(pycurl.URL, url)
        curl.setopt(pycurl.WRITEFUNCTION, body.write)
        curl.setopt(pycurl.HEADERFUNCTION, header_lines.append)
        try:
            curl.perform()
        except pycurl.error as exc:
            code = exc.args[0] if exc.args else None
            message = f"{self.source}: {curl.errstr() or exc} ({sanitize_url(url)})"
            if code in _CURL_CONNECT_ERRORS:
                raise _CurlConnectError(message) from exc
            if code in _CURL_TRANSPORT_ERRORS:
                raise _CurlError(message) from exc
            raise
        return curl.getinfo(pycurl.RESPONSE_CODE), header_lines, body.getvalue()

    def close(self) -> None:
        self._curl.close()

    def __repr__(self) -> str:
        return f"PooledJSONClient({self.source}, {sanitize_url(self.base_url)})"


class _CurlError(ProtocolError):
    """A call that got no whole response (dropped, timed out, cut off mid-body): retried as
    urllib3 retries a read error."""


class _CurlConnectError(ConnectTimeoutError):
    """A call that could not connect: retried as urllib3 retries a connect error."""


def _retry_response(status: int, header_lines: list[bytes]) -> BaseHTTPResponse:
    """The retryable answer as the urllib3 response its `Retry` policy reads: the status, and
    the last header block libcurl saw (after any 100 Continue), parsed by http.client."""
    starts = [i for i, line in enumerate(header_lines) if line.startswith(b"HTTP/")]
    block = header_lines[starts[-1] + 1 :] if starts else header_lines
    message = http.client.parse_headers(BytesIO(b"".join(block)))
    return HTTPResponse(
        body=b"", headers=HTTPHeaderDict(message.items()), status=status, preload_content=False
    )
