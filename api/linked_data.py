"""Linked data: which resource a ``/id/...`` URL names, what its description is, in which format.

Data IRIs live under ``Settings.base_iri`` (default ``https://w3id.org/sarcokg/id/``), whatever host
serves them: the request path ``/id/{rest}`` names ``{base}{rest}``, so the same service answers
behind w3id.org's redirect, on localhost or on a mirror.

A resource's description is its own triples, those of the nodes minted under its IRI (an evidence
annotation's ``/target``, ``/position`` and ``/quote``), the triples pointing at it (up to
:data:`MAX_INBOUND`), and the labels of the ontology terms it uses.

>>> site_path_for("https://w3id.org/sarcokg/id/patient/x-1", "https://w3id.org/sarcokg/id/")
'/id/patient/x-1'
>>> site_path_for("https://w3id.org/sarcokg/ontology#Lung", "https://w3id.org/sarcokg/id/")
'/ontology#Lung'
>>> split_format("patient/doi-10.1000-x.ttl")
('patient/doi-10.1000-x', <ResultFormat.TURTLE: 'text/turtle'>)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from api.backend_select import BackendSelect
from api.results import RDF_FORMATS
from graph import vocab as v
from graph.store import ResultFormat
from ontology import ONTOLOGY_IRI, SMO_NS, Ontology

__all__ = [
    "EXTENSIONS",
    "MAX_INBOUND",
    "PREFIXES",
    "RDF_OFFERS",
    "Description",
    "alternate_links",
    "curie",
    "describe",
    "serialize_description",
    "site_path_for",
    "split_format",
    "triples_of",
]

#: Inbound links listed in a description (an agent is the object of every activity's link).
MAX_INBOUND = 500

#: Per-format URL suffixes (``None``: HTML).
EXTENSIONS: dict[str, ResultFormat | None] = {
    "ttl": ResultFormat.TURTLE,
    "jsonld": ResultFormat.JSONLD,
    "nt": ResultFormat.NTRIPLES,
    "rdf": ResultFormat.RDFXML,
    "html": None,
}
#: The RDF formats a resource is offered in, server preference first (for ``Link`` headers).
RDF_OFFERS: tuple[tuple[str, ResultFormat], ...] = (
    ("text/turtle", ResultFormat.TURTLE),
    ("application/ld+json", ResultFormat.JSONLD),
    ("application/n-triples", ResultFormat.NTRIPLES),
    ("application/rdf+xml", ResultFormat.RDFXML),
)
_SUFFIX = {fmt: ext for ext, fmt in EXTENSIONS.items() if fmt is not None}

PREFIXES = {
    "smo": SMO_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "obo": "http://purl.obolibrary.org/obo/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
}


def site_path_for(iri: str, base_iri: str) -> str | None:
    """The path on this service that dereferences ``iri`` (``None`` for other IRIs)."""
    if iri.startswith(base_iri):
        return "/id/" + iri[len(base_iri) :]
    if iri.startswith(SMO_NS):
        return "/ontology#" + iri[len(SMO_NS) :]
    if iri == ONTOLOGY_IRI:
        return "/ontology"
    return None


def curie(iri: str) -> str:
    """A compact name for an IRI when one of the usual prefixes fits.

    >>> curie("https://w3id.org/sarcokg/ontology#hasSite")
    'smo:hasSite'
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def split_format(rest: str) -> tuple[str, ResultFormat | None] | None:
    """``rest`` without a per-format suffix and the format it asks for; ``None`` if it has none.

    (HTML's suffix gives ``(stem, None)``.) Case ids may contain dots, so callers first try
    the full path as an IRI and only then this.
    """
    stem, dot, ext = rest.rpartition(".")
    if not dot or not stem or ext not in EXTENSIONS:
        return None
    return stem, EXTENSIONS[ext]


def alternate_links(path: str) -> str:
    """A ``Link`` header listing every per-format URL of the resource at ``path``.

    >>> alternate_links("/id/patient/x").split(", ")[0]
    '</id/patient/x.ttl>; rel="alternate"; type="text/turtle"'
    """
    links = [f'<{path}.{_SUFFIX[fmt]}>; rel="alternate"; type="{media}"' for media, fmt in RDF_OFFERS]
    links.append(f'<{path}.html>; rel="alternate"; type="text/html"')
    return ", ".join(links)


@dataclass
class Description:
    """The triples about one resource, split for the HTML page."""

    iri: str
    outbound: list[ox.Triple] = field(default_factory=list)
    owned: list[ox.Triple] = field(default_factory=list)
    inbound: list[ox.Triple] = field(default_factory=list)
    labels: list[ox.Triple] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """Whether the store knows the resource at all."""
        return bool(self.outbound or self.inbound)

    def triples(self) -> list[ox.Triple]:
        """Everything, for the RDF serialisations (no duplicates, stable order)."""
        return list(dict.fromkeys([*self.outbound, *self.owned, *self.inbound, *self.labels]))

    def types(self) -> set[str]:
        """The ``rdf:type`` IRIs of the resource."""
        return {
            t.object.value
            for t in self.outbound
            if t.predicate == v.RDF_TYPE and isinstance(t.object, ox.NamedNode)
        }


def _values(iris: Sequence[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def triples_of(
    store: BackendSelect, iris: Sequence[str], *, skip: ox.NamedNode | None = None
) -> list[ox.Triple]:
    """The triples of these subjects (in any graph), in a stable order (subject, predicate, object),
    without the predicate ``skip`` (a report's long text, say).

    One ``VALUES`` lookup: fast however large the store, unlike joins with ``OPTIONAL``.
    """
    if not iris:
        return []
    without = f"FILTER(?p != {skip})" if skip is not None else ""
    rows = store.select(
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {_values(iris)} }} GRAPH ?g {{ ?s ?p ?o {without} }} }}"
    )
    triples = [ox.Triple(row["s"], row["p"], row["o"]) for row in rows]
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def describe(store: BackendSelect, iri: str, ontology: Ontology) -> Description:
    """The description of ``iri`` (see the module docstring); run it in a worker thread."""
    node = ox.NamedNode(iri)
    out = Description(iri)
    out.outbound = triples_of(store, [iri])
    # nodes minted under this IRI (evidence/x-1/target, .../position, .../quote), two levels deep
    frontier = [t.object.value for t in out.outbound if isinstance(t.object, ox.NamedNode)]
    for _level in range(2):
        owned = sorted({o for o in frontier if o.startswith(iri + "/")})
        if not owned:
            break
        found = triples_of(store, owned)
        out.owned.extend(found)
        frontier = [t.object.value for t in found if isinstance(t.object, ox.NamedNode)]
    rows = store.select(f"SELECT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {node} }} }} LIMIT {MAX_INBOUND}")
    out.inbound = sorted(
        (ox.Triple(row["s"], row["p"], node) for row in rows),
        key=lambda t: (str(t.subject), str(t.predicate)),
    )
    used = {
        t.object.value
        for t in [*out.outbound, *out.owned]
        if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(SMO_NS)
    }
    for term_iri in sorted(used):
        term = ontology.get(term_iri)
        if term is not None:
            out.labels.append(ox.Triple(ox.NamedNode(term_iri), v.RDFS_LABEL, ox.Literal(term.label)))
    return out


def serialize_description(description: Description, fmt: ResultFormat) -> bytes:
    """The description in one RDF format, with the usual prefixes."""
    assert fmt in RDF_FORMATS
    data = ox.serialize(description.triples(), format=RDF_FORMATS[fmt], prefixes=PREFIXES)
    assert data is not None
    return data
