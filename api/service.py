"""``SparqlService``: the store as the HTTP service sees it (guards, deadlines, one writer).

One instance per process, created when the app starts and kept in ``app.state.service``. Every
route that touches data goes through it:

* ``await service.select(sparql)`` / ``ask`` / ``query(sparql, fmt)``: guarded reads in a query
  slot with the deadline (default ``Settings.query_timeout_s``, capped at ``max_query_timeout_s``);
* ``await service.read(fn)`` / ``write(fn)``: any blocking function of the backend, in a slot or on
  the writer thread under ``write_lock``;
* ``service.generation``: bumped after every write, for ETags and result caches.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from api.backend import Backend, DatasetSpec, OxigraphBackend, ResultFormats, open_oxigraph
from api.executor import Deadline, QueryExecutor
from api.guards import refuse_remote_access
from api.update_dataset import apply_protocol_dataset
from graph.store import ResultFormat
from sarcokg.config import Settings
from sarcokg.errors import StoreError

__all__ = ["SparqlService", "open_backend"]

T = TypeVar("T")


def open_backend(settings: Settings) -> Backend:
    """Open the store named by ``settings`` (once per process)."""
    if settings.endpoint:
        raise StoreError(
            "'sarcokg serve' serves the embedded store; unset SARCOKG_ENDPOINT "
            "(a remote store would need a Backend for it in api/backend.py)"
        )
    try:
        from graph.embedded import EmbeddedStore  # STORE's wrapper, when present
    except ImportError:
        return open_oxigraph(settings.store)
    embedded = EmbeddedStore(settings.store)
    raw = getattr(embedded, "oxigraph", None) or getattr(embedded, "_store", None)
    if raw is None:
        embedded.close()
        return open_oxigraph(settings.store)
    return OxigraphBackend(raw, owner=embedded)


class SparqlService:
    """Guarded, deadline-bound access to one store (see the module docstring)."""

    def __init__(
        self, settings: Settings, backend: Backend, *, executor: QueryExecutor | None = None
    ) -> None:
        self.settings = settings
        self.backend = backend
        self.executor = executor or QueryExecutor(max_concurrent=settings.max_concurrent_queries)

    @classmethod
    def open(cls, settings: Settings) -> SparqlService:
        """Open the configured store; raises ``StoreLockedError`` if another process holds it."""
        return cls(settings, open_backend(settings))

    # -- state ----------------------------------------------------------------
    @property
    def generation(self) -> int:
        """Bumped after every write."""
        return self.executor.generation

    @property
    def write_lock(self) -> Any:
        """The one writer lock (a ``threading.Lock``); :meth:`write` takes it for you."""
        return self.executor.write_lock

    @property
    def store(self) -> Any:
        """The ``graph.store.Store`` behind the backend, when there is one (for blocking helpers)."""
        return getattr(self.backend, "_owner", None)

    def timeout_for(self, requested: float | None) -> float:
        """The deadline for a request: the default, or ``requested`` capped at the maximum.

        >>> from pathlib import Path
        >>> settings = Settings(store=Path("/nonexistent"), _env_file=None)
        >>> s = SparqlService(settings, backend=None)  # type: ignore[arg-type]
        >>> s.timeout_for(None), s.timeout_for(5), s.timeout_for(1000)
        (30.0, 5, 120.0)
        """
        if requested is None:
            return self.settings.query_timeout_s
        return min(requested, self.settings.max_query_timeout_s)

    # -- generic jobs -----------------------------------------------------------
    async def read(
        self, fn: Callable[[Backend, Deadline], T], *, timeout_s: float | None = None, what: str = "query"
    ) -> T:
        """Run ``fn(backend, deadline)`` in a query slot."""
        return await self.executor.run_read(
            lambda d: fn(self.backend, d), timeout_s=self.timeout_for(timeout_s), what=what
        )

    async def write(
        self, fn: Callable[[Backend, Deadline], T], *, timeout_s: float | None = None, what: str = "update"
    ) -> T:
        """Run ``fn(backend, deadline)`` on the writer thread under :attr:`write_lock`."""
        return await self.executor.run_write(
            lambda d: fn(self.backend, d), timeout_s=self.timeout_for(timeout_s), what=what
        )

    # -- SPARQL -------------------------------------------------------------------
    async def select(self, sparql: str, *, timeout_s: float | None = None) -> list[dict[str, Any]]:
        """Rows of a SELECT (variable -> pyoxigraph term), within the row cap."""
        max_rows = self.settings.max_rows

        def job(backend: Backend, deadline: Deadline) -> list[dict[str, Any]]:
            refuse_remote_access(sparql)
            return backend.select(sparql, deadline=deadline, max_rows=max_rows)

        return await self.read(job, timeout_s=timeout_s)

    async def ask(self, sparql: str, *, timeout_s: float | None = None) -> bool:
        """The boolean of an ASK."""

        def job(backend: Backend, deadline: Deadline) -> bool:
            refuse_remote_access(sparql)
            return backend.ask(sparql, deadline=deadline)

        return await self.read(job, timeout_s=timeout_s)

    async def query(self, sparql: str, fmt: ResultFormat, *, timeout_s: float | None = None) -> bytes:
        """Any query's result serialised in ``fmt`` (which must suit the query's kind)."""
        formats = ResultFormats(tabular=fmt, boolean=fmt, graph=fmt)
        _, body = await self.protocol_query(
            sparql, base_iri=None, dataset=DatasetSpec(), formats=formats, timeout_s=timeout_s
        )
        return body

    async def protocol_query(
        self,
        sparql: str,
        *,
        base_iri: str | None,
        dataset: DatasetSpec,
        formats: ResultFormats,
        timeout_s: float | None,
    ) -> tuple[ResultFormat, bytes]:
        """A SPARQL Protocol query: guard, evaluate, serialise, all in one slot."""
        max_rows = self.settings.max_rows

        def job(backend: Backend, deadline: Deadline) -> tuple[ResultFormat, bytes]:
            refuse_remote_access(sparql)
            return backend.query(
                sparql,
                base_iri=base_iri,
                dataset=dataset,
                formats=formats,
                deadline=deadline,
                max_rows=max_rows,
            )

        return await self.read(job, timeout_s=timeout_s)

    async def protocol_update(
        self, sparql: str, *, base_iri: str | None, using: DatasetSpec, timeout_s: float | None = None
    ) -> None:
        """A SPARQL Protocol update: guard (SERVICE, LOAD), then apply on the writer thread."""
        # Checked off the event loop (a big update takes a while to scan) and before the writer.
        await asyncio.to_thread(refuse_remote_access, sparql, update=True)
        rewritten = apply_protocol_dataset(sparql, using) if using else sparql

        def job(backend: Backend, deadline: Deadline) -> None:
            backend.update(rewritten, base_iri=base_iri)

        await self.write(job, timeout_s=timeout_s)

    def close(self) -> None:
        """Stop the pools and release the store."""
        self.executor.shutdown(wait=False)
        self.backend.close()
