"""conversations.replies for many threads at once, handed back in the order asked.

Slack needs one conversations.replies call per thread, so a workspace with hundreds of
thousands of threads spends its run in round trips. `ReplyFetcher` reads them through the
generic `ingestion.common.fanout.FanOut`: a bounded number of calls in flight on a thread pool
(each worker with its own client: its own session, retries and backoff), each thread's pages
yielded in the order the threads were given, so the caller's de-duplication, counts and
deletion bookkeeping are exactly those of a sequential read.

Concurrency stops at the first push-back: when a call fails in a worker even after its
retries (rate limits, server errors, cut-off bodies under load, or any other error), that
thread is read again by the caller's own client and every later thread is read sequentially.
So an error the API keeps giving is raised exactly where, and as, a sequential read raises
it, and a rate-limited API is never hammered by several callers at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ingestion.common.errors import SourceAPIError
from ingestion.common.fanout import FanOut
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
        self._pages = pages
        self._fan: FanOut[dict[str, Any], ThreadPages] = FanOut(
            client, make_client, self._fetch, workers, name="slack-replies"
        )

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

    def fetch_all(self, requests: Iterable[dict[str, Any]]) -> Iterator[ThreadPages]:
        """Each request's pages, in request order."""
        return self._fan.map(requests)

    def close(self) -> None:
        self._fan.close()
