"""The dataset's description for machines: VoID and DCAT in one graph (``/.well-known/void``).

It says what the dataset is (title, licence, the IRI space of its data, the vocabulary), how big
it is (triples, instances per class, reports, cases), and how to get it (the SPARQL endpoint,
the dumps with their media types and compression). Counts are per store generation.

>>> counts = DatasetCounts(triples=10, classes={"https://w3id.org/sarcokg/ontology#Patient": 2})
>>> triples = void_triples("http://127.0.0.1:8000", "https://w3id.org/sarcokg/id/", counts)
>>> any(t.predicate.value.endswith("#triples") and t.object.value == "10" for t in triples)
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from api.backend_select import BackendSelect
from api.dumps import DUMPS
from api.linked_data import curie
from ontology import ONTOLOGY_IRI, SMO_NS
from sarcokg import __version__

__all__ = ["LICENSE", "DatasetCounts", "count_dataset", "void_triples"]

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
IANA = "https://www.iana.org/assignments/media-types/"
VOID_PREFIXES = {"void": VOID, "dcat": DCAT, "dcterms": DCT, "smo": SMO_NS}


@dataclass
class DatasetCounts:
    """How many triples (quads, all graphs), and instances of each class."""

    triples: int
    classes: dict[str, int] = field(default_factory=dict)
    example: str | None = None


def count_dataset(store: BackendSelect) -> DatasetCounts:
    """Count the store's quads and typed instances, and pick an example patient (run in a worker)."""
    total = store.select("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
    rows = store.select(
        "SELECT ?class (COUNT(?s) AS ?n) WHERE { { ?s a ?class } UNION { GRAPH ?g { ?s a ?class } } } "
        "GROUP BY ?class"
    )
    classes = {
        row["class"].value: int(row["n"].value) for row in rows if isinstance(row.get("class"), ox.NamedNode)
    }
    example = store.select(f"SELECT ?p WHERE {{ GRAPH ?g {{ ?p a <{SMO_NS}Patient> }} }} LIMIT 1")
    return DatasetCounts(
        triples=int(total[0]["n"].value),
        classes=dict(sorted(classes.items())),
        example=example[0]["p"].value if example else None,
    )


def void_triples(service_url: str, base_iri: str, counts: DatasetCounts) -> list[ox.Triple]:
    """The VoID + DCAT description; ``service_url`` is where this service answers (no trailing /)."""
    url = service_url.rstrip("/")
    dataset = ox.NamedNode(f"{url}/.well-known/void#sarcokg")
    endpoint = ox.NamedNode(f"{url}/sparql")
    service = ox.NamedNode(f"{url}/.well-known/void#sparql-service")
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def integer(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=XSD_INTEGER)

    add(dataset, RDF_TYPE.value, ox.NamedNode(VOID + "Dataset"))
    add(dataset, RDF_TYPE.value, ox.NamedNode(DCAT + "Dataset"))
    add(dataset, DCT + "title", ox.Literal("SarcoKG", language="en"))
    add(
        dataset,
        DCT + "description",
        ox.Literal(
            "An open knowledge graph of sarcoma metastasis case reports: patients, primary tumours, "
            "metastases with sites and intervals, treatments and outcomes, each fact linked to its "
            "evidence in the report text.",
            language="en",
        ),
    )
    add(dataset, DCT + "license", ox.NamedNode(LICENSE))
    add(dataset, DCT + "hasVersion", ox.Literal(__version__))
    add(dataset, VOID + "uriSpace", ox.Literal(base_iri))
    add(dataset, VOID + "vocabulary", ox.NamedNode(SMO_NS))
    add(dataset, DCT + "conformsTo", ox.NamedNode(ONTOLOGY_IRI))
    add(dataset, VOID + "sparqlEndpoint", endpoint)
    add(dataset, VOID + "triples", integer(counts.triples))
    add(dataset, VOID + "classes", integer(len(counts.classes)))
    if counts.example:
        add(dataset, VOID + "exampleResource", ox.NamedNode(counts.example))
    add(dataset, DCAT + "landingPage", ox.NamedNode(f"{url}/docs"))
    for cls, n in counts.classes.items():
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", curie(cls)).strip("-")
        partition = ox.NamedNode(f"{url}/.well-known/void#class-{slug}")
        add(dataset, VOID + "classPartition", partition)
        add(partition, VOID + "class", ox.NamedNode(cls))
        add(partition, VOID + "entities", integer(n))
    for dump in DUMPS.values():
        download = ox.NamedNode(f"{url}/dumps/{dump.name}")
        distribution = ox.NamedNode(f"{url}/.well-known/void#dump-{dump.name}")
        add(dataset, VOID + "dataDump", download)
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, RDF_TYPE.value, ox.NamedNode(DCAT + "Distribution"))
        add(distribution, DCT + "description", ox.Literal(dump.description, language="en"))
        add(distribution, DCAT + "downloadURL", download)
        add(distribution, DCAT + "mediaType", ox.NamedNode(IANA + dump.format.value))
        add(distribution, DCAT + "compressFormat", ox.NamedNode(IANA + "application/gzip"))
        add(distribution, DCT + "license", ox.NamedNode(LICENSE))
    add(dataset, DCAT + "distribution", ox.NamedNode(f"{url}/.well-known/void#sparql-distribution"))
    sparql_distribution = ox.NamedNode(f"{url}/.well-known/void#sparql-distribution")
    add(sparql_distribution, RDF_TYPE.value, ox.NamedNode(DCAT + "Distribution"))
    add(sparql_distribution, DCAT + "accessURL", endpoint)
    add(sparql_distribution, DCAT + "accessService", service)
    add(service, RDF_TYPE.value, ox.NamedNode(DCAT + "DataService"))
    add(service, DCAT + "endpointURL", endpoint)
    add(service, DCAT + "servesDataset", dataset)
    add(service, DCT + "conformsTo", ox.NamedNode("https://www.w3.org/TR/sparql11-protocol/"))
    # grouped by subject, so Turtle writes each resource once
    order = {subject: n for n, subject in enumerate(dict.fromkeys(str(t.subject) for t in out))}
    return sorted(out, key=lambda t: order[str(t.subject)])
