"""Fault injection: every Nth request per vendor is rate-limited, fails, or is truncated."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

from ingestion.sample.server.wire import Response, correlation_id, json_response

VENDORS = ("slack", "discourse", "hubspot", "luma")


@dataclass
class Faults:
    """Every `*_every`-th request to a vendor (counted per vendor, 0 = never) answers 429
    with `Retry-After: retry_after`, 503, or a JSON body cut in half. `seed` shifts which
    requests are hit: request n (1-based) is hit when (n + seed) % every == 0."""

    rate_limit_every: int = 0
    retry_after: int = 1
    server_error_every: int = 0
    truncate_every: int = 0
    seed: int = 0

    def update(self, changes: dict[str, Any]) -> None:
        names = {f.name for f in fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        for name, value in changes.items():
            setattr(self, name, int(value))

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def rate_limit_response(vendor: str, retry_after: int) -> Response:
    headers = {"Retry-After": str(retry_after)}
    if vendor == "slack":
        return json_response(429, {"ok": False, "error": "ratelimited"}, "fault", **headers)
    if vendor == "discourse":
        body = {
            "errors": [
                f"You’ve performed this action too many times. Please wait "
                f"{retry_after} seconds before trying again."
            ],
            "error_type": "rate_limit",
            "extras": {"wait_seconds": retry_after, "time_left": f"{retry_after} seconds"},
        }
        return json_response(429, body, "fault", **headers)
    if vendor == "hubspot":
        body = {
            "status": "error",
            "message": "You have reached your secondly limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": correlation_id(),
            "policyName": "SECONDLY",
            "category": "RATE_LIMITS",
        }
        return json_response(429, body, "fault", **headers)
    return json_response(
        429, {"message": "Too many requests, please slow down."}, "fault", **headers
    )


def server_error_response(vendor: str) -> Response:
    if vendor == "slack":
        payload: Any = {"ok": False, "error": "service_unavailable"}
    elif vendor == "hubspot":
        payload = {
            "status": "error",
            "message": "Service Unavailable",
            "correlationId": correlation_id(),
            "category": "SERVICE_UNAVAILABLE",
        }
    elif vendor == "discourse":
        payload = {"errors": ["Service Unavailable"], "error_type": "service_unavailable"}
    else:
        payload = {"message": "Service Unavailable"}
    return json_response(503, payload, "fault")


class FaultInjector:
    """Counts requests per vendor and per route; decides which requests fail."""

    def __init__(self, faults: Faults | None) -> None:
        self.faults = faults or Faults()
        self._lock = threading.Lock()
        self.counts: dict[str, int] = dict.fromkeys(VENDORS, 0)
        self.routes: dict[str, dict[str, int]] = {v: {} for v in VENDORS}
        self.injected: dict[str, int] = {"rate_limit": 0, "server_error": 0, "truncate": 0}

    def next(self, vendor: str) -> str | None:
        """Register one request; return the fault to inject, if any."""
        with self._lock:
            self.counts[vendor] += 1
            n = self.counts[vendor] + self.faults.seed
            f = self.faults
            fault = None
            if f.rate_limit_every > 0 and n % f.rate_limit_every == 0:
                fault = "rate_limit"
            elif f.server_error_every > 0 and n % f.server_error_every == 0:
                fault = "server_error"
            elif f.truncate_every > 0 and n % f.truncate_every == 0:
                fault = "truncate"
            if fault:
                self.injected[fault] += 1
            return fault

    def record_route(self, vendor: str, route: str) -> None:
        with self._lock:
            routes = self.routes[vendor]
            routes[route] = routes.get(route, 0) + 1

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": dict(self.counts),
                "routes": {v: dict(r) for v, r in self.routes.items()},
                "injected": dict(self.injected),
                "faults": self.faults.as_dict(),
            }

    def reset(self) -> None:
        with self._lock:
            self.counts = dict.fromkeys(VENDORS, 0)
            self.routes = {v: {} for v in VENDORS}
            self.injected = dict.fromkeys(self.injected, 0)
