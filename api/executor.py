"""Running store work off the event loop: a bounded pool for reads, one writer, a deadline on each.

pyoxigraph can neither time out nor cancel a query, so the executor never tries to. Each read
takes one of ``max_concurrent`` slots *before* it is submitted and gives it back only when its
thread really finishes. A runaway query therefore keeps its slot (it counts against the bound)
while its client gets a 504 at the deadline; when every slot is busy new work is refused at once
with a 503 + ``Retry-After`` instead of queueing behind runaways. Jobs get a :class:`Deadline` and
check it per result row, so streaming results stop promptly; aggregates cannot be stopped and run
to their end in the background, after which their result is discarded.

Writes go through one writer thread holding :attr:`QueryExecutor.write_lock` (pyoxigraph's
concurrent read-modify-write updates race), and every finished write bumps :attr:`generation`,
which ETags and caches key on.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from api.errors import ServiceBusyError
from sarcokg.errors import QueryTimeoutError

__all__ = ["Deadline", "QueryExecutor"]

T = TypeVar("T")


class Deadline:
    """A point in time after which work must stop.

    >>> d = Deadline(30)
    >>> d.expired, 29 < d.remaining() <= 30
    (False, True)
    >>> Deadline(0.0, what="query").check()
    Traceback (most recent call last):
    ...
    sarcokg.errors.QueryTimeoutError: the query ran past its 0 s deadline
    """

    __slots__ = ("_end", "seconds", "what")

    def __init__(self, seconds: float, *, what: str = "query") -> None:
        self.seconds = seconds
        self.what = what
        self._end = time.monotonic() + seconds

    @property
    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return time.monotonic() >= self._end

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self._end - time.monotonic())

    def check(self) -> None:
        """Raise :class:`QueryTimeoutError` once the deadline has passed."""
        if time.monotonic() >= self._end:
            raise QueryTimeoutError(f"the {self.what} ran past its {self.seconds:g} s deadline")


class QueryExecutor:
    """A bounded read pool plus one writer thread (see the module docstring).

    >>> ex = QueryExecutor(max_concurrent=2)
    >>> asyncio.run(ex.run_read(lambda deadline: 6 * 7, timeout_s=5))
    42
    >>> ex.generation, asyncio.run(ex.run_write(lambda deadline: "done", timeout_s=5)), ex.generation
    (0, 'done', 1)
    >>> ex.shutdown()
    """

    def __init__(self, *, max_concurrent: int, retry_after_s: int = 1) -> None:
        self.max_concurrent = max_concurrent
        self.retry_after_s = retry_after_s
        self.write_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._busy = 0
        self._busy_lock = threading.Lock()
        self._readers = ThreadPoolExecutor(max_workers=max_concurrent, thread_name_prefix="sarcokg-read")
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sarcokg-write")
        self._generation = itertools.count(1)
        self._current_generation = 0

    # -- state -----------------------------------------------------------------
    @property
    def generation(self) -> int:
        """A counter bumped after every write (ETags and caches key on it)."""
        return self._current_generation

    def bump_generation(self) -> int:
        """Mark the store as changed (called after each write); returns the new generation."""
        self._current_generation = next(self._generation)
        return self._current_generation

    @property
    def busy(self) -> int:
        """Read slots in use, runaway queries included."""
        return self._busy

    # -- reads -------------------------------------------------------------------
    async def run_read(self, job: Callable[[Deadline], T], *, timeout_s: float, what: str = "query") -> T:
        """Run ``job(deadline)`` in a read slot; 503 when saturated, 504 at the deadline."""
        if not self._slots.acquire(blocking=False):
            raise ServiceBusyError(
                f"all {self.max_concurrent} query slots are busy; try again shortly",
                retry_after_s=self.retry_after_s,
            )
        with self._busy_lock:
            self._busy += 1
        deadline = Deadline(timeout_s, what=what)
        try:
            future = self._readers.submit(self._guarded, job, deadline)
        except BaseException:
            self._release_slot(None)
            raise
        # Released when the thread really ends (or the job is cancelled before it starts).
        future.add_done_callback(self._release_slot)
        return await self._await(future, deadline)

    def _release_slot(self, _future: object) -> None:
        with self._busy_lock:
            self._busy -= 1
        self._slots.release()

    @staticmethod
    def _guarded(job: Callable[[Deadline], T], deadline: Deadline) -> T:
        deadline.check()  # waited too long to start: do not start at all
        return job(deadline)

    # -- writes ------------------------------------------------------------------
    async def run_write(self, job: Callable[[Deadline], T], *, timeout_s: float, what: str = "update") -> T:
        """Run ``job(deadline)`` on the writer thread under :attr:`write_lock`; bump the generation.

        A write that has not started by its deadline is dropped (503, nothing applied); one that
        is still running then gets a 504 saying it may still be applied (pyoxigraph cannot stop it).
        """
        deadline = Deadline(timeout_s, what=what)
        started = threading.Event()

        def locked() -> T:
            if deadline.expired:
                raise ServiceBusyError("the store was busy with other writes; nothing was applied")
            started.set()
            with self.write_lock:
                try:
                    return job(deadline)
                finally:
                    self.bump_generation()

        future = self._writer.submit(locked)
        try:
            return await self._await(future, deadline)
        except QueryTimeoutError:
            if future.cancel() or not started.is_set():
                raise ServiceBusyError(
                    "the store was busy with other writes; nothing was applied",
                    retry_after_s=self.retry_after_s,
                ) from None
            raise QueryTimeoutError(
                f"the {what} ran past its {timeout_s:g} s deadline; "
                "it is still running and may yet be applied"
            ) from None

    # -- common ------------------------------------------------------------------
    @staticmethod
    async def _await(future: Future[T], deadline: Deadline) -> T:
        wrapped = asyncio.wrap_future(future)
        # Whoever stops waiting (deadline, client gone), the job's outcome is still collected.
        wrapped.add_done_callback(_swallow)
        try:
            # shield: a timeout must not try to cancel the thread's future under our feet
            return await asyncio.wait_for(asyncio.shield(wrapped), timeout=deadline.remaining())
        except TimeoutError:
            raise QueryTimeoutError(
                f"the {deadline.what} ran past its {deadline.seconds:g} s deadline"
            ) from None

    def shutdown(self, *, wait: bool = False) -> None:
        """Stop accepting work; drop work that has not started."""
        self._readers.shutdown(wait=wait, cancel_futures=True)
        self._writer.shutdown(wait=wait, cancel_futures=True)

    def running_threads(self) -> int:
        """Jobs still running (reads in slots plus a running write)."""
        return self._busy + (1 if self.write_lock.locked() else 0)


def _swallow(future: asyncio.Future[Any]) -> None:
    """Retrieve an abandoned job's outcome so asyncio does not log 'exception never retrieved'."""
    if not future.cancelled():
        future.exception()
