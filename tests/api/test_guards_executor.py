"""The executor's contract with real threads (no server): slots, deadlines, the one writer."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

import pytest

from api.errors import ServiceBusyError
from api.executor import Deadline, QueryExecutor
from sarcokg.errors import QueryTimeoutError


def sleeper(seconds: float, done: threading.Event | None = None) -> Callable[[Deadline], str]:
    def job(deadline: Deadline) -> str:
        time.sleep(seconds)  # like a pyoxigraph aggregate: cannot be interrupted
        if done is not None:
            done.set()
        return "finished"

    return job


def test_a_slow_read_times_out_but_keeps_its_slot_until_it_ends() -> None:
    executor = QueryExecutor(max_concurrent=1)
    done = threading.Event()

    async def scenario() -> None:
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match=r"0\.2 s deadline"):
            await executor.run_read(sleeper(0.8, done), timeout_s=0.2)
        assert time.monotonic() - started < 0.5
        assert executor.busy == 1
        with pytest.raises(ServiceBusyError) as busy:
            await executor.run_read(lambda d: "quick", timeout_s=1)
        assert busy.value.headers == {"Retry-After": "1"}
        await asyncio.sleep(0.9)
        assert done.is_set() and executor.busy == 0
        assert await executor.run_read(lambda d: "quick", timeout_s=1) == "quick"

    asyncio.run(scenario())
    executor.shutdown()


def test_jobs_see_their_deadline() -> None:
    executor = QueryExecutor(max_concurrent=2)

    def stops_at_deadline(deadline: Deadline) -> int:
        rows = 0
        while True:  # a streaming result: checked per row
            deadline.check()
            rows += 1
            time.sleep(0.001)

    async def scenario() -> None:
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError):
            await executor.run_read(stops_at_deadline, timeout_s=0.2)
        await asyncio.sleep(0.1)
        assert executor.busy == 0  # stopped by its own check, not left running
        assert time.monotonic() - started < 1

    asyncio.run(scenario())
    executor.shutdown()


def test_writes_are_serialised_and_bump_the_generation() -> None:
    executor = QueryExecutor(max_concurrent=2)
    inside = 0
    overlaps = 0
    lock = threading.Lock()

    def write(deadline: Deadline) -> None:
        nonlocal inside, overlaps
        with lock:
            inside += 1
            overlaps = max(overlaps, inside)
        time.sleep(0.02)
        with lock:
            inside -= 1

    async def scenario() -> None:
        await asyncio.gather(*(executor.run_write(write, timeout_s=5) for _ in range(8)))

    asyncio.run(scenario())
    assert overlaps == 1
    assert executor.generation == 8
    executor.shutdown()


def test_a_write_past_its_deadline_says_it_may_still_apply_and_queued_writes_are_dropped() -> None:
    executor = QueryExecutor(max_concurrent=1)
    ran: list[str] = []

    def slow(deadline: Deadline) -> None:
        time.sleep(0.6)
        ran.append("slow")

    def queued(deadline: Deadline) -> None:
        ran.append("queued")

    async def scenario() -> None:
        slow_write = asyncio.ensure_future(executor.run_write(slow, timeout_s=0.2))
        await asyncio.sleep(0.05)
        with pytest.raises(ServiceBusyError, match="nothing was applied"):
            await executor.run_write(queued, timeout_s=0.1)
        with pytest.raises(QueryTimeoutError, match="may yet be applied"):
            await slow_write
        await asyncio.sleep(0.8)

    asyncio.run(scenario())
    assert ran == ["slow"]  # applied late, as announced; the queued write never ran
    assert executor.generation == 1
    executor.shutdown()
