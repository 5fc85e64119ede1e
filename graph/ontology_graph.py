"""The two ontology graphs of the store: the file's triples and the materialised roll-up closure.

Oxigraph does no inference, so the hierarchy the queries need is written out once:
``<closure graph>`` holds ``?x smo:rollsUpTo ?y`` for every domain term and each term at or
above it (reflexive, over ``rdfs:subClassOf`` and *part of*). A query then rolls a sub-site up
with one triple pattern (``GRAPH <.../closure> { ?sub smo:rollsUpTo smo:Pancreas }``).

The closure graph also says which ontology file it was computed from (``smo:sha256`` of the
file), so a loader can tell whether the stored ontology is current with one small query
(:data:`STORED_ONTOLOGY_SHA256_QUERY`).
"""

from __future__ import annotations

from pyoxigraph import BlankNode, CanonicalizationAlgorithm, Dataset, Literal, NamedNode, Quad
from rdflib import BNode, URIRef
from rdflib import Literal as RdflibLiteral
from rdflib.term import Node

from graph import vocab as v
from ontology import Ontology

__all__ = [
    "CLOSURE_GRAPH_IRI",
    "ONTOLOGY_GRAPH_IRI",
    "STORED_ONTOLOGY_SHA256_QUERY",
    "closure_quads",
    "ontology_quads",
]

ONTOLOGY_GRAPH_IRI = v.ONTOLOGY_GRAPH.value
CLOSURE_GRAPH_IRI = v.CLOSURE_GRAPH.value

STORED_ONTOLOGY_SHA256_QUERY = f"""SELECT ?sha256 WHERE {{
  GRAPH <{CLOSURE_GRAPH_IRI}> {{ <{CLOSURE_GRAPH_IRI}> <{v.SHA256.value}> ?sha256 }}
}}"""
"""SELECT the ``?sha256`` of the ontology file the stored closure was computed from (0 or 1 row)."""


def ontology_quads(onto: Ontology) -> list[Quad]:
    """The ontology file's triples as quads of the ontology graph.

    The file's blank nodes (OWL restrictions) stay blank nodes, named by RDFC-1.0 canonical
    labelling, so the same file always gives the same quads (a reload changes nothing).

    >>> from ontology import load_ontology
    >>> quads = ontology_quads(load_ontology())
    >>> {q.graph_name.value for q in quads}
    {'https://w3id.org/sarcokg/ontology'}
    >>> len(quads) == len(load_ontology().graph)
    True
    """
    bnodes: dict[BNode, BlankNode] = {}

    def convert(term: Node) -> NamedNode | BlankNode | Literal:
        if isinstance(term, URIRef):
            return NamedNode(str(term))
        if isinstance(term, BNode):
            if term not in bnodes:
                bnodes[term] = BlankNode()
            return bnodes[term]
        if isinstance(term, RdflibLiteral):
            if term.language:
                return Literal(str(term), language=term.language)
            if term.datatype is not None:
                return Literal(str(term), datatype=NamedNode(str(term.datatype)))
            return Literal(str(term))
        raise TypeError(f"unexpected RDF term in the ontology: {term!r}")

    dataset = Dataset()
    for s, p, o in onto.graph:
        subject = convert(s)
        predicate = convert(p)
        assert not isinstance(subject, Literal) and isinstance(predicate, NamedNode)
        dataset.add(Quad(subject, predicate, convert(o), v.ONTOLOGY_GRAPH))
    # canonical blank node ids: the same file gives the same quads, so reloading changes nothing
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def closure_quads(onto: Ontology) -> list[Quad]:
    """``x smo:rollsUpTo y`` for every domain term, plus the file's hash, in the closure graph.

    >>> from ontology import load_ontology
    >>> onto = load_ontology()
    >>> tail, pancreas = onto.find("tail of pancreas").iri, onto.find("pancreas").iri
    >>> Quad(NamedNode(tail), v.ROLLS_UP_TO, NamedNode(pancreas), v.CLOSURE_GRAPH) in closure_quads(onto)
    True
    """
    graph = v.CLOSURE_GRAPH
    quads = [
        Quad(graph, v.SHA256, Literal(onto.sha256), graph),
        Quad(graph, v.PROV_WAS_DERIVED_FROM, v.ONTOLOGY_GRAPH, graph),
    ]
    rolls_up_to = v.ROLLS_UP_TO.value
    for x, predicate, y in onto.closure_triples():
        assert predicate == rolls_up_to
        quads.append(Quad(NamedNode(x), v.ROLLS_UP_TO, NamedNode(y), graph))
    return quads
