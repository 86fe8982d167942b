"""conversations.replies for many threads at once, handed back in the order asked.

Slack needs one conversations.replies call per thread, so a workspace with hundreds of
thousands of threads spends its run in round trips. `ReplyFetcher` keeps a bounded number of
calls in flight on a thread pool (each worker with its own client: its own session, retries
and backoff) and yields each thread's pages in the order the threads were given, so the
caller's de-duplication, counts and deletion bookkeeping are exactly those of a sequential
read. An error other than "this thread/channel is not readable" is raised where the
sequential read would have raised it.
"""

from __future__ import annotations

import queue
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ingestion.common.errors import SourceAPIError
from ingestion.slack import settings

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
        if self._workers == 1:
            for params in requests:
                yield self._fetch(self._client, params)
            return
        if self._pool is None:
            # clients are made here, in the caller's thread, where dlt's config resolves
            for _ in range(self._workers):
                self._clients.put(self._make_client())
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="slack-replies")
        window = self._workers * 4
        todo = iter(requests)
        pending: deque[Future[ThreadPages]] = deque()
        try:
            for params in todo:
                pending.append(self._pool.submit(self._fetch_in_worker, params))
                if len(pending) >= window:
                    break
            while pending:
                done = pending.popleft().result()
                params = next(todo, None)
                if params is not None:
                    pending.append(self._pool.submit(self._fetch_in_worker, params))
                yield done
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
