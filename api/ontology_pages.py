"""The ontology as ``/ontology`` serves it: the Turtle source as written, other RDF formats
converted by pyoxigraph, and one HTML page with an anchor per term (so a term IRI such as
``https://w3id.org/sarcokg/ontology#Lung``, whose fragment stays in the browser, lands on it).

Everything is cached per ontology file hash: the file is small and changes rarely.

>>> from ontology import load_ontology
>>> b"@prefix" in ontology_bytes(load_ontology(), ResultFormat.TURTLE)
True
"""

from __future__ import annotations

import threading
from typing import Any

import pyoxigraph as ox

from api.html_pages import render
from api.linked_data import PREFIXES
from api.results import RDF_FORMATS
from graph.store import ResultFormat
from ontology import ONTOLOGY_IRI, Ontology, OntologyTerm

__all__ = ["KIND_ORDER", "ontology_bytes", "ontology_html"]

KIND_ORDER = (
    "model",
    "histology",
    "site",
    "agent",
    "regimen",
    "procedure",
    "radiotherapy",
    "diagnostic",
    "response",
)
_CACHE: dict[tuple[str, str], bytes] = {}
_LOCK = threading.Lock()


def _cached(onto: Ontology, key: str, make: Any) -> bytes:
    with _LOCK:
        found = _CACHE.get((onto.sha256, key))
    if found is None:
        found = make()
        with _LOCK:
            _CACHE[(onto.sha256, key)] = found
    return found


def ontology_bytes(onto: Ontology, fmt: ResultFormat) -> bytes:
    """The ontology in ``fmt`` (Turtle: the source file itself)."""

    def make() -> bytes:
        if fmt is ResultFormat.TURTLE:
            return onto.path.read_bytes()
        triples = ox.parse(onto.path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI)
        data = ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=PREFIXES)
        assert data is not None
        return data

    return _cached(onto, fmt.name, make)


def _term_context(onto: Ontology, term: OntologyTerm) -> dict[str, Any]:
    organ = onto.organ_site(term.iri) if term.kind == "site" and not term.organ_level else None
    return {
        "id": term.local_name,
        "iri": term.iri,
        "label": term.label,
        "definition": term.definition,
        "synonyms": [f"{form} ({scope})" for form, scope in term.synonyms()],
        "xrefs": list(term.xrefs),
        "matches": list(term.matches),
        "organ_level": term.organ_level,
        "organ_site": {"id": organ.local_name, "label": organ.label} if organ is not None else None,
        "deprecated": term.deprecated,
        "parents": [{"id": p.local_name, "label": p.label} for p in onto.parents(term.iri)],
        "children": [{"id": c.local_name, "label": c.label} for c in onto.children(term.iri)],
    }


def ontology_html(onto: Ontology) -> bytes:
    """One page: every term by kind, with label, definition, synonyms, mappings and neighbours."""

    def make() -> bytes:
        sections = []
        for kind in KIND_ORDER:
            terms = onto.terms(kind)  # type: ignore[arg-type]
            if terms:
                sections.append({"kind": kind, "terms": [_term_context(onto, t) for t in terms]})
        page = render(
            "ontology.html",
            ontology_iri=ONTOLOGY_IRI,
            sha256=onto.sha256,
            sections=sections,
            alternates=[
                {"href": "/ontology.ttl", "type": "text/turtle", "label": "Turtle"},
                {"href": "/ontology.jsonld", "type": "application/ld+json", "label": "JSON-LD"},
                {"href": "/ontology.nt", "type": "application/n-triples", "label": "N-Triples"},
                {"href": "/ontology.rdf", "type": "application/rdf+xml", "label": "RDF/XML"},
            ],
        )
        return page.encode("utf-8")

    return _cached(onto, "html", make)
