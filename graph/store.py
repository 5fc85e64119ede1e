"""The store interface: what the loader, the named queries and the API need from a
SPARQL store, whichever engine sits behind it (embedded pyoxigraph or a remote server)."""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Any

from pyoxigraph import QueryResultsFormat, RdfFormat

__all__ = ["ResultFormat", "Store"]


class ResultFormat(enum.Enum):
    """Serialisations a query result can be asked for (media type as value)."""

    JSON = "application/sparql-results+json"
    XML = "application/sparql-results+xml"
    CSV = "text/csv"
    TSV = "text/tab-separated-values"
    TURTLE = "text/turtle"
    NTRIPLES = "application/n-triples"
    NQUADS = "application/n-quads"
    TRIG = "application/trig"
    JSONLD = "application/ld+json"
    RDFXML = "application/rdf+xml"

    @property
    def rdf_format(self) -> RdfFormat | None:
        """pyoxigraph's RDF format for this media type (``None`` for query-results formats).

        >>> ResultFormat.TURTLE.rdf_format == RdfFormat.TURTLE, ResultFormat.CSV.rdf_format
        (True, None)
        """
        return RdfFormat.from_media_type(self.value)

    @property
    def results_format(self) -> QueryResultsFormat | None:
        """pyoxigraph's query-results format (``None`` for RDF formats).

        >>> ResultFormat.JSON.results_format == QueryResultsFormat.JSON
        True
        """
        return QueryResultsFormat.from_media_type(self.value)


class Store(ABC):
    """One SPARQL 1.1 store. All writes of one report are atomic (all or nothing).

    Quads and terms are pyoxigraph objects (``pyoxigraph.Quad``, ``NamedNode``...) on
    every backend, so callers never care which engine is behind.
    """

    @abstractmethod
    def select(self, sparql: str, *, timeout_s: float | None = None) -> list[dict[str, Any]]:
        """Run a SELECT; one dict per row, variable name -> pyoxigraph term (unbound omitted)."""

    @abstractmethod
    def ask(self, sparql: str, *, timeout_s: float | None = None) -> bool:
        """Run an ASK."""

    @abstractmethod
    def query_raw(self, sparql: str, fmt: ResultFormat, *, timeout_s: float | None = None) -> bytes:
        """Run any query and return the serialised result in ``fmt`` (protocol pass-through)."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update atomically."""

    @abstractmethod
    def replace_graph(self, graph_iri: str, quads: Iterable[Any]) -> None:
        """Atomically replace a named graph's content with ``quads`` (all in that graph)."""

    @abstractmethod
    def drop_graph(self, graph_iri: str) -> None:
        """Remove a named graph (no error if absent)."""

    @abstractmethod
    def graph_quads(self, graph_iri: str | None) -> Iterator[Any]:
        """Stream the quads of one named graph, or of every graph when ``None``."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs."""

    @abstractmethod
    def count(self, graph_iri: str | None = None) -> int:
        """Number of quads in one graph, or in the whole store."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store (flush, unlock)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
