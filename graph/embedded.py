"""The embedded store: a pyoxigraph (RocksDB) store in a folder on disk (``SARCOKG_STORE``).

Atomicity comes from pyoxigraph itself: ``update`` and ``extend`` are transactions. The one
exception is the loader's fast path for batches of *new* report graphs
(:meth:`EmbeddedStore.add_new_graphs`), which uses pyoxigraph's ``bulk_extend`` — several times
faster, not atomic — under a write-ahead journal (:mod:`graph._journal`): opening the store
drops every graph of a chunk that was still in flight when the last writer died, so each
report graph is always whole or absent.

RocksDB allows one read-write process per folder: a second open fails on its ``LOCK`` file and
is reported as :class:`~sarcokg.errors.StoreLockedError` with a way out. Queries see the real
default graph (not the union of all graphs): name graphs with ``GRAPH`` as on Oxigraph's server.
pyoxigraph result iterators must be consumed in the thread that created them, which is why
:meth:`select` returns a list and :meth:`graph_quads` should be drained where it was called.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
)
from pyoxigraph import Store as OxStore

from graph._journal import BulkJournal
from graph._sparql import iri_ref, replace_graph_update
from graph.store import ResultFormat, Store
from sarcokg.errors import QueryError, SarcoKGError, StoreError, StoreLockedError

__all__ = ["BULK_MIN_QUADS", "EmbeddedStore", "locked_message"]

BULK_MIN_QUADS = 20_000
"""Below this many quads ``add_new_graphs`` uses the transactional ``extend``: bulk loading
writes a set of new files per call, which only pays off for large chunks."""

# Temporary SST files pyoxigraph's bulk loader writes into the store folder before ingesting
# them; a crash leaves them behind (RocksDB's own files always have a suffix or a prefix).
_BULK_LEFTOVER = re.compile(r"^(?:\d{12,}|bulk-\d+\.sst)$")


def locked_message(path: Path | str, service_url: str = "http://127.0.0.1:8000") -> str:
    """The one-line explanation for a store held by another process.

    >>> print(locked_message("data/store"))  # doctest: +NORMALIZE_WHITESPACE
    the store data/store is locked by another process (is 'sarcokg serve' running?); stop it, or
    load through the service: curl -H 'Authorization: Bearer $SARCOKG_TOKEN' -F file=@report.txt
    http://127.0.0.1:8000/api/reports
    """
    return (
        f"the store {path} is locked by another process (is 'sarcokg serve' running?); stop it, "
        f"or load through the service: curl -H 'Authorization: Bearer $SARCOKG_TOKEN' "
        f"-F file=@report.txt {service_url.rstrip('/')}/api/reports"
    )


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


class EmbeddedStore(Store):
    """A pyoxigraph store on disk, created if missing.

    >>> import tempfile
    >>> from pyoxigraph import Literal, Quad
    >>> store = EmbeddedStore(Path(tempfile.mkdtemp()) / "store")
    >>> g = NamedNode("http://example.org/g")
    >>> store.replace_graph(g.value, [Quad(g, NamedNode("http://example.org/p"), Literal("x"), g)])
    >>> store.count(g.value), store.named_graphs()
    (1, ['http://example.org/g'])
    >>> store.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    [{'o': <Literal value=x datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>}]
    >>> store.close()
    """

    def __init__(self, path: str | Path, *, service_url: str = "http://127.0.0.1:8000") -> None:
        self.path = Path(path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            store = OxStore(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(locked_message(self.path, service_url)) from None
            raise StoreError(f"cannot open the store {self.path}: {_one_line(exc)}") from None
        self._store: OxStore | None = store
        self._write_lock = threading.RLock()
        self._journal = BulkJournal(self.path)
        self.recovered_graphs: list[str] = self._recover()
        """Graphs dropped on opening because a bulk chunk was interrupted (usually empty)."""

    # -- the Store interface ---------------------------------------------------------------

    @property
    def oxigraph(self) -> OxStore:
        """The underlying ``pyoxigraph.Store`` (for code that needs pyoxigraph directly)."""
        if self._store is None:
            raise StoreError(f"the store {self.path} is closed")
        return self._store

    def select(self, sparql: str, *, timeout_s: float | None = None) -> list[dict[str, Any]]:
        """Run a SELECT. pyoxigraph cannot interrupt a query, so ``timeout_s`` is not enforced."""
        result = self._query(sparql)
        if not isinstance(result, QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [variable.value for variable in result.variables]
        rows: list[dict[str, Any]] = []
        for solution in result:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = value
            rows.append(row)
        return rows

    def ask(self, sparql: str, *, timeout_s: float | None = None) -> bool:
        """Run an ASK."""
        result = self._query(sparql)
        if not isinstance(result, QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(result)

    def query_raw(self, sparql: str, fmt: ResultFormat, *, timeout_s: float | None = None) -> bytes:
        """Run any query and serialise its result in ``fmt``."""
        result = self._query(sparql)
        try:
            if isinstance(result, QueryTriples):
                if fmt.rdf_format is None:
                    raise QueryError(f"a graph result cannot be written as {fmt.value}")
                data = result.serialize(format=fmt.rdf_format)
            else:
                if fmt.results_format is None:
                    raise QueryError(f"a SELECT/ASK result cannot be written as {fmt.value}")
                data = result.serialize(format=fmt.results_format)
        except (ValueError, OSError) as exc:
            raise QueryError(f"cannot write the result as {fmt.value}: {_one_line(exc)}") from None
        assert data is not None  # serialize() without an output returns the bytes
        return bytes(data)

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update in one transaction (all operations or none)."""
        with self._write_lock:
            try:
                self.oxigraph.update(sparql)
            except SyntaxError as exc:
                raise QueryError(f"bad SPARQL update: {_one_line(exc)}") from None
            except OSError as exc:
                raise StoreError(f"store {self.path}: {_one_line(exc)}") from None
            except (RuntimeError, ValueError) as exc:
                raise QueryError(f"update failed: {_one_line(exc)}") from None

    def replace_graph(self, graph_iri: str, quads: Iterable[Any]) -> None:
        """Atomically replace a graph: ``extend`` when it is new, else one drop-and-insert update."""
        node = NamedNode(graph_iri)
        batch = list(quads)
        for quad in batch:
            if quad.graph_name != node:
                raise ValueError(f"quad {quad} is not in graph <{graph_iri}>")
        with self._write_lock:
            store = self.oxigraph
            if store.contains_named_graph(node):
                self.update(replace_graph_update(graph_iri, batch))
            elif batch:
                self._write(store.extend, batch)

    def drop_graph(self, graph_iri: str) -> None:
        """Remove a named graph (no error if absent)."""
        self.update(f"DROP SILENT GRAPH {iri_ref(graph_iri)}")

    def graph_quads(self, graph_iri: str | None) -> Iterator[Any]:
        """Stream the quads of one graph (or of the whole store); drain it in this thread."""
        graph = NamedNode(graph_iri) if graph_iri is not None else None
        return iter(self.oxigraph.quads_for_pattern(None, None, None, graph))

    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs."""
        return [g.value for g in self.oxigraph.named_graphs() if isinstance(g, NamedNode)]

    def count(self, graph_iri: str | None = None) -> int:
        """Number of quads in one graph, or in the whole store (default graph included)."""
        if graph_iri is None:
            return len(self.oxigraph)
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri_ref(graph_iri)} {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"].value)

    def close(self) -> None:
        """Flush and release the RocksDB lock (the store object is dropped)."""
        if self._store is not None:
            with contextlib.suppress(OSError):
                self._store.flush()
            self._store = None

    # -- beyond the interface: the loader's fast path, exports -------------------------------

    def has_graph(self, graph_iri: str) -> bool:
        """Whether the named graph exists."""
        return bool(self.oxigraph.contains_named_graph(NamedNode(graph_iri)))

    def add_new_graphs(
        self, quads: Iterable[Any], graphs: Sequence[str], *, bulk: bool | None = None, check: bool = True
    ) -> None:
        """Write the quads of graphs that do not exist yet, each graph whole or not at all.

        The bulk path (``bulk_extend`` under the journal) is several times faster than the
        transactional ``extend``; by default it is taken for iterators and for sequences of at
        least :data:`BULK_MIN_QUADS` quads. ``quads`` may be a generator: pyoxigraph's bulk
        loader writes a batch on its own threads while the generator produces the next one.
        Raises ``ValueError`` if one of ``graphs`` already exists (replacing needs
        :meth:`replace_graph`) or, with ``check``, if a quad is outside ``graphs`` (the loader
        turns the check off: its quads come from the mapping, one graph per report).
        """
        wanted = {NamedNode(g) for g in graphs}

        def checked() -> Iterator[Any]:
            for quad in quads:
                if quad.graph_name not in wanted:
                    raise ValueError(f"quad {quad} is not in one of the graphs being added")
                yield quad

        if bulk is None:
            bulk = not isinstance(quads, Sequence) or len(quads) >= BULK_MIN_QUADS
        with self._write_lock:
            store = self.oxigraph
            clashes = [g.value for g in wanted if store.contains_named_graph(g)]
            if clashes:
                raise ValueError(f"graph already exists: <{clashes[0]}> (use replace_graph)")
            source = checked() if check else quads
            if not bulk:
                self._write(store.extend, list(source))
                return
            self._journal.begin(list(graphs))
            try:
                self._write(store.bulk_extend, source)
            except BaseException:
                # Drop what part of the chunk got in; if even that fails the journal stays,
                # and the next open of the store finishes the job.
                with contextlib.suppress(SarcoKGError):
                    self._recover()
                raise
            self._journal.end()

    def dump(
        self,
        output: IO[bytes],
        fmt: RdfFormat,
        *,
        graph_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> None:
        """Serialise the whole dataset (or one graph's triples) into ``output``, streaming."""
        try:
            if graph_iri is None:
                self.oxigraph.dump(output, fmt, prefixes=prefixes)
            else:
                self.oxigraph.dump(output, fmt, from_graph=NamedNode(graph_iri), prefixes=prefixes)
        except OSError as exc:
            raise StoreError(f"cannot export the store {self.path}: {_one_line(exc)}") from None

    def optimize(self) -> None:
        """Compact the store (slow; reclaims space after large loads and deletions)."""
        with self._write_lock:
            self._write(self.oxigraph.optimize)

    # -- internals -------------------------------------------------------------------------

    def _query(self, sparql: str) -> Any:
        try:
            return self.oxigraph.query(sparql)
        except SyntaxError as exc:
            raise QueryError(f"bad SPARQL query: {_one_line(exc)}") from None
        except OSError as exc:
            raise StoreError(f"store {self.path}: {_one_line(exc)}") from None
        except (RuntimeError, ValueError) as exc:
            raise QueryError(f"query failed: {_one_line(exc)}") from None

    def _write(self, method: Any, *args: Any) -> None:
        try:
            method(*args)
        except OSError as exc:
            raise StoreError(f"cannot write to the store {self.path}: {_one_line(exc)}") from None

    def _recover(self) -> list[str]:
        """Drop the graphs of a bulk chunk interrupted by a crash; clean its temporary files."""
        try:
            pending = self._journal.pending()
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        if not pending:
            return []
        for start in range(0, len(pending), 1000):
            part = pending[start : start + 1000]
            self.update(" ;\n".join(f"DROP SILENT GRAPH {iri_ref(g)}" for g in part))
        for leftover in self.path.iterdir():
            if leftover.is_file() and _BULK_LEFTOVER.match(leftover.name):
                leftover.unlink(missing_ok=True)
        self._journal.end()
        return pending
