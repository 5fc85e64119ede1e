"""Keeping the statistics cubes current, and the answers cached, per store generation.

One :class:`StatsService` per process (``app.state.stats``). The cubes (:mod:`api.stats_cubes`)
are built at start-up on threads of their own (a build does not take a query slot; a request
that needs a cube waits for it within its own deadline). Answers are cached as finished JSON
bytes keyed by the request's parameters and the generation they are true of, so a repeated
request costs a dictionary lookup.

Writes: the report upload calls :meth:`contributions` before writing (under the writer lock) and
:meth:`apply_write` after: each current cube takes away the old content of the written graphs and
adds the new, and moves to the generation the write ends with. Any other write (SPARQL Update,
Graph Store) only bumps the generation; a cube is then rebuilt when next needed.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel

from api.errors import ServiceBusyError
from api.stats import TermView
from api.stats_cubes import CUBE_NAMES, Cube, SelectStore, build_cube
from ontology import Ontology

__all__ = ["DEFAULT_CUBES", "GenerationCache", "StatsService", "collect_outcome"]

#: Built at start-up; the ``certain-`` variants are built on first use.
DEFAULT_CUBES = ("patients", "sites", "first", "treatments")
_CACHE_ENTRIES = 512
Contributions = dict[str, list[tuple[tuple[Any, ...], int]]]


class GenerationCache:
    """A small LRU of values, each valid for the store generation it was computed at.

    >>> cache = GenerationCache(2)
    >>> cache.put("a", 1, "x"); cache.get("a", 1), cache.get("a", 2)
    ('x', None)
    """

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()

    def get(self, key: Hashable, generation: int) -> Any | None:
        """The value cached for ``key`` at ``generation``, or ``None``."""
        with self._lock:
            hit = self._items.get(key)
            if hit is None or hit[0] != generation:
                return None
            self._items.move_to_end(key)
            return hit[1]

    def put(self, key: Hashable, generation: int, value: Any) -> None:
        """Remember ``value`` for ``key`` as of ``generation`` (dropping the least recently used)."""
        with self._lock:
            self._items[key] = (generation, value)
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


class StatsService:
    """The cubes, their builds, and the per-generation answer cache (see the module docstring).

    ``store`` is anything with ``select(sparql, timeout_s=None)``; ``generation`` reads the
    store generation (bumped by the service after every write).
    """

    def __init__(self, store: SelectStore, ontology: Ontology, *, generation: Callable[[], int]) -> None:
        self.store = store
        self.ontology = ontology
        self.view = TermView(ontology)
        self.cubes = {name: Cube(name) for name in CUBE_NAMES}
        self.build_seconds: dict[str, float] = {}
        self._generation = generation
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sarcokg-stats")
        self._lock = threading.Lock()
        self._builds: dict[str, tuple[int, Future[None]]] = {}
        self._answers = GenerationCache(_CACHE_ENTRIES)

    # -- building ----------------------------------------------------------------------------------
    def start(self) -> list[Future[None]]:
        """Start building the default cubes (returns at once; called at service start-up)."""
        wanted = self._generation()
        return [self._ensure_build(name, wanted) for name in DEFAULT_CUBES]

    def _ensure_build(self, name: str, wanted: int) -> Future[None]:
        """A build that leaves cube ``name`` valid for ``wanted`` or later (one per cube at a time)."""
        with self._lock:
            running = self._builds.get(name)
            if running is not None and not running[1].done() and running[0] >= wanted:
                return running[1]
            future = self._pool.submit(self._build, name)
            self._builds[name] = (wanted, future)
            return future

    def _build(self, name: str) -> None:
        cube = self.cubes[name]
        start_generation = self._generation()
        if cube.generation is not None and cube.generation >= start_generation:
            return  # an upload or another build made it current meanwhile
        started = time.perf_counter()
        cells = build_cube(self.store, name, self.ontology)
        counts: Counter[tuple[Any, ...]] = Counter()
        for cell, n in cells:  # "15" and "15.0" months are two RDF terms but one cell
            counts[cell] += n
        with self._lock:
            if cube.generation is None or cube.generation < start_generation:
                cube.counts = counts
                cube.generation = start_generation
        self.build_seconds[name] = time.perf_counter() - started

    async def cells(self, *names: str, timeout_s: float) -> tuple[int, list[dict[tuple[Any, ...], int]]]:
        """A snapshot of the cubes ``names`` as of the current generation (or later), and that generation."""
        wanted = self._generation()
        deadline = time.monotonic() + timeout_s
        while True:
            stale = [n for n in names if not self._current(n, wanted)]
            if not stale:
                break
            builds = asyncio.gather(*(asyncio.wrap_future(self._ensure_build(n, wanted)) for n in stale))
            try:
                await asyncio.wait_for(
                    asyncio.shield(builds), timeout=max(deadline - time.monotonic(), 0.001)
                )
            except TimeoutError:
                builds.add_done_callback(collect_outcome)
                raise ServiceBusyError(
                    "the statistics are being recomputed after a change to the store; try again shortly",
                    retry_after_s=max(1, round(max(self.build_seconds.values(), default=5))),
                ) from None
        with self._lock:
            generation = min(self.cubes[n].generation or 0 for n in names)
            return generation, [dict(self.cubes[n].counts) for n in names]

    def _current(self, name: str, wanted: int) -> bool:
        generation = self.cubes[name].generation
        return generation is not None and generation >= wanted

    # -- writes ------------------------------------------------------------------------------------
    def contributions(self, graphs: Iterable[str], *, generation: int) -> Contributions:
        """What ``graphs`` add to each cube that is current at ``generation`` (call under the writer lock)."""
        current = [name for name, cube in self.cubes.items() if cube.generation == generation]
        return {
            name: [
                cell for graph in graphs for cell in build_cube(self.store, name, self.ontology, graph=graph)
            ]
            for name in current
        }

    def apply_write(self, graphs: Iterable[str], old: Contributions, *, before: int) -> list[str]:
        """After writing ``graphs`` (under the writer lock): swap their old contributions for the new
        ones and move those cubes to ``before + 1``, the generation the write ends with. Returns the
        cubes that followed."""
        new = self.contributions(list(graphs), generation=before)
        followed = []
        with self._lock:
            for name, cells in new.items():
                cube = self.cubes[name]
                if cube.generation != before or name not in old:
                    continue
                cube.add(old[name], sign=-1)
                cube.add(cells)
                cube.generation = before + 1
                followed.append(name)
        return followed

    # -- answers -------------------------------------------------------------------------------------
    async def answer(
        self,
        key: Hashable,
        cubes: tuple[str, ...],
        compute: Callable[..., Any],
        *,
        timeout_s: float,
    ) -> tuple[int, bytes]:
        """The JSON of ``compute(*cube_cells, view)`` and the generation it is true of, cached.

        ``compute`` returns a pydantic model (or anything ``json.dumps`` takes).
        """
        generation = self._generation()
        hit: bytes | None = self._answers.get(key, generation)
        if hit is not None:
            return generation, hit
        computed_at, cells = await self.cells(*cubes, timeout_s=timeout_s)
        result = compute(*cells, self.view)
        if isinstance(result, BaseModel):
            body = result.model_dump_json().encode()
        else:
            body = json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode()
        self._answers.put(key, computed_at, body)
        return computed_at, body

    def status(self) -> dict[str, Any]:
        """Which generation each cube reflects (for ``GET /api/stats``)."""
        generation = self._generation()
        return {
            "generation": generation,
            "current": all(self.cubes[name].generation == generation for name in DEFAULT_CUBES),
            "cubes": {
                name: {
                    "generation": cube.generation,
                    "cells": len(cube.counts),
                    "build_seconds": None
                    if name not in self.build_seconds
                    else round(self.build_seconds[name], 3),
                }
                for name, cube in self.cubes.items()
            },
        }

    def close(self) -> None:
        """Stop the build threads (a running query finishes in the background)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def collect_outcome(future: asyncio.Future[Any]) -> None:
    """Collect the outcome of work nobody waits for any more (asyncio would log it as lost)."""
    if not future.cancelled():
        future.exception()
