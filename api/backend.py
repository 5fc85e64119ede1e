"""The one place where the service touches the store.

Routes never see pyoxigraph: they call :class:`SparqlService` (``api.service``), which runs these
methods in worker threads. Each method produces a *finished* value (serialised bytes, a list of
rows), because pyoxigraph result iterators must be consumed in the thread that created them.
:class:`Backend` is the protocol a remote store would implement to stand behind the same service.

>>> import pyoxigraph as ox
>>> backend = OxigraphBackend(ox.Store())
>>> backend.update('INSERT DATA { <http://ex/a> <http://ex/p> 1 }', base_iri=None)
>>> backend.select("SELECT ?s WHERE { ?s ?p ?o }", deadline=None, max_rows=10)
[{'s': <NamedNode value=http://ex/a>}]
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, Protocol, TypeVar

import pyoxigraph as ox

from api.errors import BadRequestError, NotAcceptableError
from api.executor import Deadline
from api.results import (
    RowBoundExceeded,
    check_rows,
    serialize_boolean,
    serialize_solutions,
    serialize_solutions_exactly,
    serialize_triples,
)
from graph.store import ResultFormat
from sarcokg.errors import QueryError, StoreError, StoreLockedError

P = ParamSpec("P")
R = TypeVar("R")

__all__ = ["Backend", "DatasetSpec", "OxigraphBackend", "ResultFormats", "open_oxigraph"]


@dataclass(frozen=True)
class DatasetSpec:
    """An RDF dataset given in the protocol (``default-graph-uri`` / ``named-graph-uri``)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True)
class ResultFormats:
    """The negotiated format for each kind of result (``None``: the client accepts none)."""

    tabular: ResultFormat | None
    boolean: ResultFormat | None
    graph: ResultFormat | None


class Backend(Protocol):
    """What the service needs from a store. Methods are blocking; the executor runs them."""

    def query(
        self,
        sparql: str,
        *,
        base_iri: str | None,
        dataset: DatasetSpec,
        formats: ResultFormats,
        deadline: Deadline | None,
        max_rows: int,
    ) -> tuple[ResultFormat, bytes]:
        """Evaluate a query and serialise its result in the format negotiated for its kind."""
        ...

    def select(
        self, sparql: str, *, deadline: Deadline | None, max_rows: int, base_iri: str | None = None
    ) -> list[dict[str, Any]]:
        """Evaluate a SELECT; one dict per row (variable -> pyoxigraph term, unbound omitted)."""
        ...

    def ask(self, sparql: str, *, deadline: Deadline | None, base_iri: str | None = None) -> bool:
        """Evaluate an ASK."""
        ...

    def update(self, sparql: str, *, base_iri: str | None) -> None:
        """Apply a SPARQL Update atomically."""
        ...

    def graph_exists(self, graph: str | None) -> bool:
        """Whether the named graph exists (the default graph always does)."""
        ...

    def graph_bytes(
        self, graph: str | None, fmt: ResultFormat, *, deadline: Deadline | None, max_rows: int
    ) -> bytes:
        """One graph serialised in ``fmt``."""
        ...

    def dataset_bytes(self, fmt: ResultFormat, *, deadline: Deadline | None, max_rows: int) -> bytes:
        """The whole dataset in a quad format."""
        ...

    def replace_graph(self, graph: str | None, triples: Sequence[ox.Triple]) -> None:
        """Atomically replace a graph's content (creating it if needed)."""
        ...

    def add_to_graph(self, graph: str | None, triples: Sequence[ox.Triple]) -> None:
        """Atomically add triples to a graph (creating it if needed)."""
        ...

    def drop_graph(self, graph: str | None) -> None:
        """Remove a named graph, or empty the default graph."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...


def _drops_results_here(method: Callable[P, R]) -> Callable[P, R]:
    """Let no exception carry a pyoxigraph result or iterator out of this (worker) thread.

    pyoxigraph objects may only be dropped in the thread that made them. An exception raised
    while writing a result (deadline, row cap) keeps the finished frames that hold it alive, and
    the event loop would drop them later, in its own thread; clearing those frames drops the
    result here and now.
    """

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except BaseException as exc:
            seen: set[int] = set()
            pending: list[BaseException | None] = [exc]
            while pending:
                current = pending.pop()
                if current is None or id(current) in seen:
                    continue
                seen.add(id(current))
                traceback.clear_frames(current.__traceback__)  # skips frames still running
                pending += [current.__cause__, current.__context__]
            raise

    return wrapper


def _graph_name(graph: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)


def _syntax_message(exc: Exception) -> str:
    """pyoxigraph's parser message on one line, without its long list of expected characters."""
    text = " ".join(str(exc).split())
    cut = text.find(", ['0'")
    if cut > 0:
        text = text[:cut] + ", …"
    return text if len(text) <= 400 else text[:399] + "…"


class OxigraphBackend:
    """The embedded pyoxigraph store (the only backend ``sarcokg serve`` opens today)."""

    def __init__(self, store: ox.Store, *, owner: Any = None) -> None:
        self.store = store
        self._owner = owner  # a graph.store.Store wrapping ``store``, closed with us

    # -- queries --------------------------------------------------------------
    def _run(self, sparql: str, *, base_iri: str | None, dataset: DatasetSpec | None = None) -> Any:
        kwargs: dict[str, Any] = {}
        if dataset:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
        try:
            return self.store.query(sparql, base_iri=base_iri, **kwargs)
        except SyntaxError as exc:
            raise QueryError(f"bad SPARQL query: {_syntax_message(exc)}") from None
        except ValueError as exc:  # e.g. an invalid IRI in default-graph-uri
            raise BadRequestError(f"bad request: {_syntax_message(exc)}") from None
        except OSError as exc:
            raise StoreError(f"cannot read the store: {exc}") from None

    @_drops_results_here
    def query(
        self,
        sparql: str,
        *,
        base_iri: str | None,
        dataset: DatasetSpec,
        formats: ResultFormats,
        deadline: Deadline | None,
        max_rows: int,
    ) -> tuple[ResultFormat, bytes]:
        """Evaluate and serialise in this thread (see the module docstring)."""
        result = self._run(sparql, base_iri=base_iri, dataset=dataset)
        if deadline is not None:
            deadline.check()
        if isinstance(result, ox.QuerySolutions):
            fmt, kind = formats.tabular, "SELECT results"
        elif isinstance(result, ox.QueryBoolean):
            fmt, kind = formats.boolean, "an ASK result"
        else:
            fmt, kind = formats.graph, "an RDF graph (CONSTRUCT/DESCRIBE)"
        if fmt is None:
            raise NotAcceptableError(f"none of the formats in the Accept header can carry {kind}")
        try:
            if isinstance(result, ox.QuerySolutions):
                try:
                    return fmt, serialize_solutions(result, fmt, deadline=deadline, max_rows=max_rows)
                except RowBoundExceeded:  # maybe over the cap: evaluate again and count exactly
                    again = self._run(sparql, base_iri=base_iri, dataset=dataset)
                    assert isinstance(again, ox.QuerySolutions)
                    return fmt, serialize_solutions_exactly(again, fmt, deadline=deadline, max_rows=max_rows)
            if isinstance(result, ox.QueryBoolean):
                return fmt, serialize_boolean(bool(result), fmt)
            return fmt, serialize_triples(result, fmt, deadline=deadline, max_rows=max_rows)
        except OSError as exc:
            raise StoreError(f"cannot read the store: {exc}") from None

    @_drops_results_here
    def select(
        self, sparql: str, *, deadline: Deadline | None, max_rows: int, base_iri: str | None = None
    ) -> list[dict[str, Any]]:
        """Rows as dicts; raises :class:`QueryError` unless ``sparql`` is a SELECT."""
        result = self._run(sparql, base_iri=base_iri)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        return [
            {name: term for name, term in zip(names, row, strict=True) if term is not None}
            for row in check_rows(result, deadline=deadline, max_rows=max_rows)
        ]

    def ask(self, sparql: str, *, deadline: Deadline | None, base_iri: str | None = None) -> bool:
        """The boolean of an ASK; raises :class:`QueryError` for other forms."""
        result = self._run(sparql, base_iri=base_iri)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(result)

    # -- updates --------------------------------------------------------------
    def update(self, sparql: str, *, base_iri: str | None) -> None:
        """Apply ``sparql`` in one transaction."""
        try:
            self.store.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise QueryError(f"bad SPARQL update: {_syntax_message(exc)}") from None
        except ValueError as exc:
            raise QueryError(f"update refused: {_syntax_message(exc)}") from None
        except OSError as exc:
            raise StoreError(f"cannot write the store: {exc}") from None

    # -- graph store ----------------------------------------------------------
    def graph_exists(self, graph: str | None) -> bool:
        """The default graph always exists; named graphs once created or written to."""
        return graph is None or self.store.contains_named_graph(ox.NamedNode(graph))

    @_drops_results_here
    def graph_bytes(
        self, graph: str | None, fmt: ResultFormat, *, deadline: Deadline | None, max_rows: int
    ) -> bytes:
        """Serialise one graph's triples."""
        quads = self.store.quads_for_pattern(None, None, None, _graph_name(graph))
        return serialize_triples((q.triple for q in quads), fmt, deadline=deadline, max_rows=max_rows)

    @_drops_results_here
    def dataset_bytes(self, fmt: ResultFormat, *, deadline: Deadline | None, max_rows: int) -> bytes:
        """Serialise every quad (N-Quads or TriG)."""
        quads = self.store.quads_for_pattern(None, None, None, None)
        return serialize_triples(quads, fmt, deadline=deadline, max_rows=max_rows)

    def replace_graph(self, graph: str | None, triples: Sequence[ox.Triple]) -> None:
        """One update (drop + insert) so readers never see a half-replaced graph."""
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
        if graph is None:
            self.update(f"CLEAR SILENT DEFAULT ;\nINSERT DATA {{\n{body}\n}}", base_iri=None)
        else:
            g = ox.NamedNode(graph)
            self.update(
                f"DROP SILENT GRAPH {g} ;\nCREATE GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}",
                base_iri=None,
            )

    def add_to_graph(self, graph: str | None, triples: Sequence[ox.Triple]) -> None:
        """``Store.extend`` is atomic; an empty POST still creates the named graph."""
        name = _graph_name(graph)
        try:
            if isinstance(name, ox.NamedNode) and not self.store.contains_named_graph(name):
                self.store.add_graph(name)
            self.store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
        except OSError as exc:
            raise StoreError(f"cannot write the store: {exc}") from None

    def drop_graph(self, graph: str | None) -> None:
        """Remove a named graph; for the default graph, remove its triples."""
        try:
            if graph is None:
                self.store.clear_graph(ox.DefaultGraph())
            else:
                self.store.remove_graph(ox.NamedNode(graph))
        except OSError as exc:
            raise StoreError(f"cannot write the store: {exc}") from None

    def close(self) -> None:
        """Flush and release the store (and its owning wrapper, if any)."""
        if self._owner is not None and hasattr(self._owner, "close"):
            self._owner.close()
        else:
            self.store.flush()


def open_oxigraph(path: Any) -> OxigraphBackend:
    """Open (creating if needed) the embedded store folder ``path`` read-write.

    Raises :class:`StoreLockedError` when another process holds it (RocksDB's LOCK file).
    """
    try:
        return OxigraphBackend(ox.Store(str(path)))
    except OSError as exc:
        message = str(exc)
        if "lock" in message.lower():
            raise StoreLockedError(
                f"the store {path} is in use by another process (is 'sarcokg serve' already running?)"
            ) from None
        raise StoreError(f"cannot open the store {path}: {' '.join(message.split())}") from None


def rows_to_triples(rows: Iterable[ox.Quad | ox.Triple]) -> list[ox.Triple]:
    """Triples of parsed quads/triples (GSP bodies are graphs: graph names are dropped)."""
    return [r.triple if isinstance(r, ox.Quad) else r for r in rows]
