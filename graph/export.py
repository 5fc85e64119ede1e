"""Dump a store (or one named graph) as RDF, streamed in constant memory.

Quads flow from the store to the file one at a time: pyoxigraph's ``Store.dump`` for a whole
embedded store, otherwise :meth:`Store.graph_quads` fed to ``pyoxigraph.serialize``. Nothing
is gathered in memory, whatever the store's size.

Formats without named graphs (Turtle, N-Triples, RDF/XML) cannot say which graph a triple came
from: without ``graph_iri`` they get the union of all graphs, and a triple that sits in several
graphs (the software agent of every report, say) is written once per graph — RDF parsers keep
one copy. Dataset formats (N-Quads, TriG, JSON-LD) keep graph names, also for one graph.
"""

from __future__ import annotations

import enum
import gzip
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, cast

from pyoxigraph import RdfFormat, serialize

if TYPE_CHECKING:
    from graph.store import Store

__all__ = ["PREFIXES", "ExportFormat", "export"]

PREFIXES = {
    "smo": "https://w3id.org/sarcokg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "obo": "http://purl.obolibrary.org/obo/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}


class ExportFormat(enum.Enum):
    """The RDF syntaxes ``sarcokg export`` writes (value: the ``--format`` name).

    >>> ExportFormat("trig").rdf_format.media_type, ExportFormat.TRIG.keeps_graphs
    ('application/trig', True)
    >>> ExportFormat.TURTLE.extension, ExportFormat.TURTLE.keeps_graphs
    ('ttl', False)
    """

    NQUADS = "nquads"
    TRIG = "trig"
    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    JSONLD = "jsonld"
    RDFXML = "rdfxml"

    @property
    def rdf_format(self) -> RdfFormat:
        return {
            "nquads": RdfFormat.N_QUADS,
            "trig": RdfFormat.TRIG,
            "turtle": RdfFormat.TURTLE,
            "ntriples": RdfFormat.N_TRIPLES,
            "jsonld": RdfFormat.JSON_LD,
            "rdfxml": RdfFormat.RDF_XML,
        }[self.value]

    @property
    def keeps_graphs(self) -> bool:
        """Whether the syntax can say which named graph a triple belongs to."""
        return bool(self.rdf_format.supports_datasets)

    @property
    def extension(self) -> str:
        return str(self.rdf_format.file_extension)


def _triples(quads: Iterator[Any]) -> Iterator[Any]:
    for quad in quads:
        yield quad.triple


def export(
    store: Store,
    output: IO[bytes],
    fmt: ExportFormat,
    *,
    graph_iri: str | None = None,
    compress: bool = False,
) -> None:
    """Write the store (or only ``graph_iri``) to ``output`` in ``fmt``, gzipped if ``compress``.

    >>> import io, tempfile
    >>> from pathlib import Path
    >>> from pyoxigraph import Literal, NamedNode, Quad
    >>> from graph.embedded import EmbeddedStore
    >>> store = EmbeddedStore(Path(tempfile.mkdtemp()) / "s")
    >>> g = NamedNode("http://example.org/g")
    >>> store.replace_graph(g.value, [Quad(g, NamedNode("http://example.org/p"), Literal("x"), g)])
    >>> out = io.BytesIO()
    >>> export(store, out, ExportFormat.NQUADS)
    >>> out.getvalue()
    b'<http://example.org/g> <http://example.org/p> "x" <http://example.org/g> .\\n'
    >>> store.close()
    """
    from graph.embedded import EmbeddedStore

    target: IO[bytes] = (
        cast(IO[bytes], gzip.GzipFile(fileobj=output, mode="wb", mtime=0)) if compress else output
    )
    rdf_format = fmt.rdf_format
    prefixes = PREFIXES if rdf_format in (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.RDF_XML) else None
    try:
        if isinstance(store, EmbeddedStore) and graph_iri is None and fmt.keeps_graphs:
            store.dump(target, rdf_format, prefixes=prefixes)
        elif isinstance(store, EmbeddedStore) and graph_iri is not None and not fmt.keeps_graphs:
            store.dump(target, rdf_format, graph_iri=graph_iri, prefixes=prefixes)
        else:
            quads = store.graph_quads(graph_iri)
            serialize(quads if fmt.keeps_graphs else _triples(quads), target, rdf_format, prefixes=prefixes)
    finally:
        if compress:
            target.close()
