"""The SPARQL 1.1 Service Description served by ``GET /sparql`` without a query.

>>> data = service_description("http://127.0.0.1:8000/sparql", ResultFormat.NTRIPLES)
>>> b"<http://www.w3.org/ns/sparql-service-description#SPARQL11Query>" in data
True
"""

from __future__ import annotations

import pyoxigraph as ox

from api.results import serialize_triples
from graph.store import ResultFormat

__all__ = ["service_description"]

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PREFIXES = {"sd": SD, "formats": FORMATS}

_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def service_description(endpoint: str, fmt: ResultFormat) -> bytes:
    """Describe the query endpoint (language, result formats, default dataset) in ``fmt``.

    Updates go to a separate endpoint (``/update``), so this one claims SPARQL 1.1 Query only.
    """
    service = ox.NamedNode(endpoint)
    dataset, default_graph = ox.BlankNode(), ox.BlankNode()

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, sd("Graph")),
    ]
    triples.extend(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + f)) for f in _RESULT_FORMATS)
    return serialize_triples(triples, fmt, deadline=None, max_rows=len(triples), prefixes=PREFIXES)
