"""Render the ontology in other RDF syntaxes (``sarcokg ontology export``, ``/ontology``).

The Turtle file is the only hand-kept source; RDF/XML (what owlready2, Protégé and most OWL
tools read best), N-Triples, Turtle and JSON-LD are produced from it on demand and never
committed.

>>> OntologyFormat("rdfxml").media_type
'application/rdf+xml'
>>> data = export_ontology(OntologyFormat.NTRIPLES)
>>> b"<https://w3id.org/sarcokg/ontology#Leiomyosarcoma>" in data
True
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

__all__ = ["OntologyFormat", "export_ontology"]


class OntologyFormat(StrEnum):
    """The syntaxes the ontology can be exported in."""

    RDFXML = "rdfxml"
    NTRIPLES = "ntriples"
    TURTLE = "turtle"
    JSONLD = "jsonld"

    @property
    def media_type(self) -> str:
        """The IANA media type of this syntax."""
        return _MEDIA_TYPES[self]

    @property
    def extension(self) -> str:
        """The usual file extension (``owl`` for RDF/XML, as OWL tools expect)."""
        return _EXTENSIONS[self]

    @classmethod
    def parse(cls, name: str) -> OntologyFormat:
        """The format named ``name`` (``ValueError`` listing the choices otherwise).

        >>> OntologyFormat.parse("JSONLD") is OntologyFormat.JSONLD
        True
        """
        try:
            return cls(name.strip().lower())
        except ValueError:
            choices = ", ".join(f.value for f in cls)
            raise ValueError(f"unknown ontology format {name!r} (choose from {choices})") from None


_MEDIA_TYPES = {
    OntologyFormat.RDFXML: "application/rdf+xml",
    OntologyFormat.NTRIPLES: "application/n-triples",
    OntologyFormat.TURTLE: "text/turtle",
    OntologyFormat.JSONLD: "application/ld+json",
}
_EXTENSIONS = {
    OntologyFormat.RDFXML: "owl",
    OntologyFormat.NTRIPLES: "nt",
    OntologyFormat.TURTLE: "ttl",
    OntologyFormat.JSONLD: "jsonld",
}


def export_ontology(
    fmt: OntologyFormat | str = OntologyFormat.RDFXML, *, path: str | Path | None = None
) -> bytes:
    """The ontology at ``path`` (default: the configured one) serialised as ``fmt``.

    N-Triples lines are sorted so that exports of the same file compare equal.
    ``OntologyError`` if the file cannot be read or parsed.
    """
    from rdflib import URIRef

    from ._ontology import load_ontology

    fmt = fmt if isinstance(fmt, OntologyFormat) else OntologyFormat.parse(fmt)
    graph = load_ontology(path).graph
    if fmt is OntologyFormat.RDFXML:
        return graph.serialize(format="xml", encoding="utf-8")
    if fmt is OntologyFormat.TURTLE:
        return graph.serialize(format="turtle", encoding="utf-8")
    if fmt is OntologyFormat.JSONLD:
        used = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
        context = {
            prefix: str(ns)
            for prefix, ns in graph.namespaces()
            if prefix and any(iri.startswith(str(ns)) for iri in used)
        }
        return graph.serialize(format="json-ld", context=context, indent=1, encoding="utf-8")
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    return b"".join(sorted(line for line in lines if line.strip()))
