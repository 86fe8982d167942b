"""conversations.replies for many threads at once, handed back in the order asked.

Slack needs one conversations.replies call per thread, so a workspace with hundreds of
thousands of threads spends its run in round trips. `ReplyFetcher` keeps a bounded number of
calls in flight on a thread pool (each worker with its own client: its own session, retries
and backoff) and yields each thread's pages in the order the threads were given, so the
caller's de-duplication, counts and deletion bookkeeping are exactly those of a sequential
read.

Concurrency stops at the first push-back: when a call fails in a worker even after its
retries (rate limits, server errors, cut-off bodies under load, or any other error), that
thread is read again by the caller's own client and every later thread is read sequentially.
So an error the API keeps giving is raised exactly where, and as, a sequential read raises
it, and a rate-limited API is never hammered by several callers at once.
"""

from __future__ import annotations

import logging
import queue
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ingestion.common.errors import SourceAPIError
from ingestion.slack import settings

log = logging.getLogger(__name__)

ClientFactory = Callable[[], Any]
PagesFn = Callable[[Any, dict[str, Any]], Iterator[list[Any]]]


@dataclass
class ThreadPages:
    """The pages read of one thread; `readable` is False when Slack refused the thread (the
    pages read before the refusal are kept, as a sequential read would have used them)."""

    pages: list[list[Any]] = field(default_factory=list)
    readable: bool = True


class ReplyFetcher:
    """Reads many threads' replies with up to `workers` calls in flight."""

    def __init__(self, client: Any, make_client: ClientFactory, pages: PagesFn, workers: int):
        self._client = client  # the caller's client, for the sequential path
        self._make_client = make_client
        self._pages = pages
        self._workers = max(1, int(workers))
        self._clients: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._pool: ThreadPoolExecutor | None = None

    def _fetch(self, client: Any, params: dict[str, Any]) -> ThreadPages:
        result = ThreadPages()
        try:
            for page in self._pages(client, params):
                result.pages.append(page)
        except SourceAPIError as exc:
            if exc.error == "thread_not_found" or exc.error in settings.SKIPPABLE_CHANNEL_ERRORS:
                result.readable = False
            else:
                raise
        return result

    def _fetch_in_worker(self, params: dict[str, Any]) -> ThreadPages:
        client = self._clients.get()  # never blocks: one client per worker
        try:
            return self._fetch(client, params)
        finally:
            self._clients.put(client)

    def fetch_all(self, requests: Iterable[dict[str, Any]]) -> Iterator[ThreadPages]:
        """Each request's pages, in request order."""
        todo = iter(requests)
        if self._workers > 1:
            yield from self._fetch_concurrently(todo)
        for params in todo:  # sequential (also whatever is left after a push-back)
            yield self._fetch(self._client, params)

    def _fetch_concurrently(self, todo: Iterator[dict[str, Any]]) -> Iterator[ThreadPages]:
        if self._pool is None:
            # clients are made here, in the caller's thread, where dlt's config resolves
            for _ in range(self._workers):
                self._clients.put(self._make_client())
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="slack-replies")
        window = self._workers * 4
        pending: deque[tuple[dict[str, Any], Future[ThreadPages]]] = deque()
        pushed_back = False
        try:
            for params in todo:
                pending.append((params, self._pool.submit(self._fetch_in_worker, params)))
                if len(pending) >= window:
                    break
            while pending:
                params, future = pending.popleft()
                try:
                    done = future.result()
                except Exception as exc:  # noqa: BLE001 - re-read sequentially, which raises
                    if not pushed_back:
                        log.warning(
                            "slack: conversations.replies failed under %d concurrent calls "
                            "(%s); reading the remaining threads one at a time",
                            self._workers,
                            type(exc).__name__,
                        )
                        self._workers = 1
                    pushed_back = True
                    done = self._fetch(self._client, params)
                if not pushed_back:
                    following = next(todo, None)
                    if following is not None:
                        pending.append(
                            (following, self._pool.submit(self._fetch_in_worker, following))
                        )
                yield done
        finally:
            for _, future in pending:
                future.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        while not self._clients.empty():
            client = self._clients.get_nowait()
            if hasattr(client, "close"):
                client.close()
