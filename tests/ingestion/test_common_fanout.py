"""`FanOut`: many calls at once, results in the order asked, sequential after a push-back.

Hand-built cases: requests are small integers, a "client" is a named object, and `fetch`
answers `request * 10` (so every expected value is worked by hand here).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import pytest

from ingestion.common.fanout import WINDOW_PER_WORKER, FanOut

WAIT = 10.0  # seconds a synchronisation point may wait before the test fails


@dataclass
class Client:
    name: str
    closed: bool = False

    def close(self) -> None:
        self.closed = True


@dataclass
class Calls:
    """What `fetch` saw: (client name, request) per call, and the most calls at once."""

    seen: list[tuple[str, int]] = field(default_factory=list)
    running: int = 0
    most: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self, client: Client, request: int) -> None:
        with self.lock:
            self.seen.append((client.name, request))
            self.running += 1
            self.most = max(self.most, self.running)

    def leave(self) -> None:
        with self.lock:
            self.running -= 1


def _factory() -> tuple[list[Client], object]:
    made: list[Client] = []

    def make() -> Client:
        made.append(Client(f"worker{len(made)}"))
        return made[-1]

    return made, make


def test_results_come_back_in_request_order_though_calls_finish_out_of_order():
    # request 0 cannot finish before request 3 has: completion order differs from request order
    three_done = threading.Event()

    def fetch(client: Client, request: int) -> int:
        if request == 0:
            assert three_done.wait(WAIT)
        if request == 3:
            three_done.set()
        return request * 10

    _, make = _factory()
    with FanOut(Client("caller"), make, fetch, workers=4) as fan:
        assert list(fan.map(range(8))) == [0, 10, 20, 30, 40, 50, 60, 70]


def test_calls_in_flight_never_exceed_workers_and_do_run_together():
    calls = Calls()
    together = threading.Barrier(3, timeout=WAIT)  # the first three calls must overlap

    def fetch(client: Client, request: int) -> int:
        calls.enter(client, request)
        try:
            if request < 3:
                together.wait()
            time.sleep(0.002)
            return request * 10
        finally:
            calls.leave()

    made, make = _factory()
    with FanOut(Client("caller"), make, fetch, workers=3) as fan:
        assert list(fan.map(range(30))) == [r * 10 for r in range(30)]
    assert calls.most == 3
    assert len(made) == 3
    assert all(c.closed for c in made)  # close() closes the workers' clients
    assert {name for name, _ in calls.seen} <= {"worker0", "worker1", "worker2"}


def test_requests_are_taken_ahead_only_within_the_window():
    started: list[int] = []
    lock = threading.Lock()

    def fetch(client: Client, request: int) -> int:
        with lock:
            started.append(request)
        return request * 10

    taken: list[int] = []

    def requests():
        for r in range(1000):
            taken.append(r)
            yield r

    _, make = _factory()
    with FanOut(Client("caller"), make, fetch, workers=2) as fan:
        results = fan.map(requests())
        assert next(results) == 0
        # 2 workers x WINDOW_PER_WORKER submitted, plus one refill after the first result
        assert len(taken) == 2 * WINDOW_PER_WORKER + 1
        assert list(results) == [r * 10 for r in range(1, 1000)]


def test_one_worker_means_sequential_on_the_callers_client():
    calls = Calls()

    def fetch(client: Client, request: int) -> int:
        calls.enter(client, request)
        calls.leave()
        return request * 10

    made, make = _factory()
    fan = FanOut(Client("caller"), make, fetch, workers=1)
    assert list(fan.map([5, 1, 4])) == [50, 10, 40]
    assert made == []  # no worker client is ever made
    assert calls.seen == [("caller", 5), ("caller", 1), ("caller", 4)]


def test_a_failed_concurrent_call_is_retried_by_the_caller_and_the_rest_goes_sequentially():
    calls = Calls()

    def fetch(client: Client, request: int) -> int:
        calls.enter(client, request)
        calls.leave()
        if request == 5 and client.name != "caller":
            raise ConnectionError("worker pushed back")  # only the workers' calls fail
        return request * 10

    _, make = _factory()
    with FanOut(Client("caller"), make, fetch, workers=2) as fan:
        results = list(fan.map(range(20)))
        assert fan.workers == 1  # concurrency has stopped for good
        # a later map stays sequential on the caller's client
        assert list(fan.map([100, 101])) == [1000, 1010]

    assert results == [r * 10 for r in range(20)]
    by_caller = [r for name, r in calls.seen if name == "caller"]
    # request 5 re-read by the caller, then every request not yet submitted when it failed
    assert by_caller[0] == 5
    # window: 2 workers x 4 = 8 submitted at first, one more per result taken before 5
    # (results 0..4 -> requests 8..12): the caller reads 13.. itself
    assert by_caller[1:] == [*range(13, 20), 100, 101]
    assert [r for name, r in calls.seen if name != "caller"] != []


def test_an_error_the_api_keeps_giving_is_raised_where_a_sequential_read_raises_it():
    class Refused(Exception):
        pass

    raised_by: list[str] = []

    def fetch(client: Client, request: int) -> int:
        if request == 6:
            raised_by.append(client.name)
            raise Refused(f"request {request} refused")
        return request * 10

    def read(workers: int) -> tuple[list[int], Exception]:
        got: list[int] = []
        _, make = _factory()
        with FanOut(Client("caller"), make, fetch, workers=workers) as fan:
            with pytest.raises(Refused) as info:
                for result in fan.map(range(12)):
                    got.append(result)
        return got, info.value

    sequential, seq_error = read(1)
    concurrent, con_error = read(4)
    assert sequential == concurrent == [0, 10, 20, 30, 40, 50]
    assert str(seq_error) == str(con_error) == "request 6 refused"
    # the error that reached the caller came from the caller's own client, as sequentially
    assert raised_by[0] == "caller"
    assert raised_by[-1] == "caller"
    assert any(name != "caller" for name in raised_by[1:])


def test_interleaved_maps_share_the_workers_and_close_waits_for_the_last():
    # as when dlt interleaves two batches of a transformer: each closes when it is done
    calls = Calls()

    def fetch(client: Client, request: int) -> int:
        calls.enter(client, request)
        time.sleep(0.001)
        calls.leave()
        return request * 10

    made, make = _factory()
    fan = FanOut(Client("caller"), make, fetch, workers=2)
    first, second = fan.map(range(0, 10)), fan.map(range(100, 110))
    got_first, got_second = [], []
    for a, b in zip(first, second, strict=True):
        got_first.append(a)
        got_second.append(b)
        if len(got_first) == 5:
            fan.close()  # a close while the other iteration still runs is deferred
            assert not any(c.closed for c in made)
    assert got_first == [r * 10 for r in range(0, 10)]
    assert got_second == [r * 10 for r in range(100, 110)]
    assert calls.most <= 2  # one set of workers for both iterations
    assert len(made) == 2 and all(c.closed for c in made)  # released once both ended
