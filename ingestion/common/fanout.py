"""Many independent API calls at once, handed back in the order asked.

Some vendors need one call (or a few) per item: Slack's conversations.replies per thread,
Discourse's `/t/{id}.json` and `/post_action_users.json` per topic. Made one after another, a
run spends its time in round trips. `FanOut` keeps a bounded number of calls in flight on a
thread pool (each worker with its own client: its own connections, retries and backoff) and
yields each request's result in the order the requests were given, so whatever the caller
does with the results (de-duplication, counts, deletion bookkeeping) is exactly what a
sequential read would do.

Concurrency stops at the first push-back: when a call fails in a worker even after its
client's retries (rate limits, server errors, cut-off bodies under load, or any other
error), that request is made again by the caller's own client and every later request is
made sequentially, for the rest of this `FanOut`'s life. So an error the API keeps giving is
raised exactly where, and as, a sequential read raises it, and a rate-limited API is never
hammered by several callers at once.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

Request = TypeVar("Request")
Result = TypeVar("Result")

_END: Any = object()

WINDOW_PER_WORKER = 4
"""Requests submitted ahead per worker (bounds memory: results wait in order to be taken)."""


class FanOut(Generic[Request, Result]):
    """Runs `fetch(client, request)` for many requests with up to `workers` calls in flight.

    Args:
        client: the caller's client, used for the sequential path and for re-reading a
            request whose concurrent call failed.
        make_client: makes one client per worker; called in the caller's thread (where
            dlt's config resolves), the first time requests run concurrently.
        fetch: reads one request with the client it is given; must be thread-safe across
            distinct clients.
        workers: calls in flight at once; 1 (or less) means sequential.
        name: names the worker threads and the push-back warning (e.g. `slack-replies`).
    """

    def __init__(
        self,
        client: Any,
        make_client: Callable[[], Any],
        fetch: Callable[[Any, Request], Result],
        workers: int,
        name: str = "fanout",
    ) -> None:
        self._client = client
        self._make_client = make_client
        self._fetch = fetch
        self._workers = max(1, int(workers))
        self._name = name
        self._clients: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._made: list[Any] = []
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._active = 0  # `map` iterations under way (a dlt transformer may interleave them)
        self._close_requested = False

    @property
    def workers(self) -> int:
        """Calls in flight at most (1 once a push-back made it sequential)."""
        return self._workers

    def map(self, requests: Iterable[Request]) -> Iterator[Result]:
        """Each request's result, in request order.

        Several `map` iterations may be under way at once (e.g. one per batch, interleaved
        by dlt); they share the workers, so calls in flight stay at most `workers`.
        """
        with self._lock:
            self._active += 1
        try:
            todo = iter(requests)
            if self._workers > 1:
                yield from self._concurrently(todo)
            for request in todo:  # sequential (also whatever is left after a push-back)
                yield self._fetch(self._client, request)
        finally:
            with self._lock:
                self._active -= 1
                release = self._close_requested and self._active == 0
            if release:
                self._release()

    def _in_worker(self, request: Request) -> Result:
        client = self._clients.get()  # never blocks: one client per worker thread
        try:
            return self._fetch(client, request)
        finally:
            self._clients.put(client)

    def _start(self) -> ThreadPoolExecutor:
        self._close_requested = False
        if self._pool is None:
            for _ in range(self._workers):
                client = self._make_client()
                self._made.append(client)
                self._clients.put(client)
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix=self._name)
        return self._pool

    def _concurrently(self, todo: Iterator[Request]) -> Iterator[Result]:
        pool = self._start()
        window = self._workers * WINDOW_PER_WORKER
        pending: deque[tuple[Request, Future[Result]]] = deque()
        pushed_back = False
        try:
            for request in todo:
                pending.append((request, pool.submit(self._in_worker, request)))
                if len(pending) >= window:
                    break
            while pending:
                request, future = pending.popleft()
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - re-read sequentially, which raises
                    if not pushed_back:
                        log.warning(
                            "%s: a call failed under %d concurrent calls (%s); making the "
                            "remaining calls one at a time",
                            self._name,
                            self._workers,
                            type(exc).__name__,
                        )
                        self._workers = 1
                    pushed_back = True
                    result = self._fetch(self._client, request)
                if not pushed_back and self._workers > 1:  # (another `map` may have pushed back)
                    following = next(todo, _END)
                    if following is not _END:
                        pending.append((following, pool.submit(self._in_worker, following)))
                yield result
        finally:
            for _, future in pending:
                future.cancel()

    def close(self) -> None:
        """Stop the workers and close their clients (a later `map` starts them again). While
        a `map` iteration is still under way, that happens when the last one ends."""
        with self._lock:
            if self._active:
                self._close_requested = True
                return
        self._release()

    def _release(self) -> None:
        self._close_requested = False
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        while not self._clients.empty():
            self._clients.get_nowait()
        made, self._made = self._made, []
        for client in made:
            if hasattr(client, "close"):
                client.close()

    def __enter__(self) -> FanOut[Request, Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
