"""Dumps (``/dumps/``) and the VoID/DCAT description against a real server with the example reports.

Dumps are parsed back (pyoxigraph for N-Quads/TriG, rdflib for Turtle) and compared with what the
SPARQL endpoint says the store holds; the VoID counts are checked the same way.
"""

from __future__ import annotations

import gzip

import httpx
import pyoxigraph as ox
import rdflib
from rdflib import RDF, URIRef

from tests.api.conftest import LiveServer

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SMO = "https://w3id.org/sarcokg/ontology#"
ALL_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def sparql_count(client: httpx.Client, query: str = ALL_QUADS) -> int:
    response = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def download(client: httpx.Client, name: str) -> bytes:
    response = client.get(f"/dumps/{name}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/gzip"
    assert f'filename="{name}"' in response.headers["content-disposition"]
    return gzip.decompress(response.content)


def test_index_lists_the_dumps(client: httpx.Client) -> None:
    listing = client.get("/dumps/", headers={"Accept": "application/json"}).json()
    names = [d["name"] for d in listing["dumps"]]
    assert names == ["sarcokg.nq.gz", "sarcokg.trig.gz", "sarcokg.ttl.gz"]
    assert {d["media_type"] for d in listing["dumps"]} == {
        "application/n-quads",
        "application/trig",
        "text/turtle",
    }
    page = client.get("/dumps/", headers={"Accept": "text/html"}).text
    assert '<a href="/dumps/sarcokg.nq.gz">' in page


def test_nquads_and_trig_dumps_hold_every_quad(client: httpx.Client) -> None:
    expected = sparql_count(client)
    for name, fmt in (("sarcokg.nq.gz", ox.RdfFormat.N_QUADS), ("sarcokg.trig.gz", ox.RdfFormat.TRIG)):
        quads = list(ox.parse(download(client, name), format=fmt))
        assert len(set(quads)) == expected, name
        graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        assert "https://w3id.org/sarcokg/id/graph/seed-000" in graphs
        assert "https://w3id.org/sarcokg/ontology" in graphs
    # the second download is served from the file written for this generation
    assert client.get("/dumps/", headers={"Accept": "application/json"}).json()["dumps"][0]["bytes"] > 0


def test_turtle_dump_merges_the_graphs(client: httpx.Client) -> None:
    graph = rdflib.Graph()
    graph.parse(data=download(client, "sarcokg.ttl.gz"), format="turtle")
    patient = URIRef("https://w3id.org/sarcokg/id/patient/seed-001-1")
    assert (patient, RDF.type, URIRef(SMO + "Patient")) in graph
    assert (URIRef(SMO + "Lung"), rdflib.RDFS.label, rdflib.Literal("lung")) in graph
    distinct = sparql_count(
        client, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    assert len(graph) == distinct


def test_dump_follows_writes_and_unknown_dump_is_404(server: LiveServer, client: httpx.Client) -> None:
    before = download(client, "sarcokg.nq.gz")
    server.update(
        "INSERT DATA { GRAPH <http://example.org/extra> { <http://example.org/a> <http://example.org/b> 1 } }"
    )
    try:
        after = download(client, "sarcokg.nq.gz")
        assert b"<http://example.org/extra>" in after and b"<http://example.org/extra>" not in before
    finally:
        server.update("DROP SILENT GRAPH <http://example.org/extra>")
    head = client.head("/dumps/sarcokg.nq.gz")
    assert head.status_code == 200 and head.content == b""
    assert client.get("/dumps/sarcokg.xlsx").status_code == 404


def test_void_and_dcat_description(server: LiveServer, client: httpx.Client) -> None:
    response = client.get("/.well-known/void")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph()
    graph.parse(data=response.content, format="turtle")
    dataset = URIRef(f"{server.url}/.well-known/void#sarcokg")
    assert (dataset, RDF.type, VOID.Dataset) in graph and (dataset, RDF.type, DCAT.Dataset) in graph
    assert int(str(graph.value(dataset, VOID.triples))) == sparql_count(client)
    assert str(graph.value(dataset, DCT.license)).startswith("https://creativecommons.org/licenses/by/")
    assert str(graph.value(dataset, VOID.sparqlEndpoint)) == f"{client.base_url}/sparql".replace(
        "//sparql", "/sparql"
    )
    patients = {
        int(str(graph.value(partition, VOID.entities)))
        for partition in graph.objects(dataset, VOID.classPartition)
        if graph.value(partition, VOID["class"]) == URIRef(SMO + "Patient")
    }
    assert patients == {2}
    downloads = [str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(dataset, DCAT.distribution)]
    dumps = [url for url in downloads if url != "None"]
    assert len(dumps) == 3
    for url in dumps:
        assert httpx.head(url).status_code == 200, url
    services = list(graph.subjects(RDF.type, DCAT.DataService))
    assert len(services) == 1 and str(graph.value(services[0], DCAT.endpointURL)).endswith("/sparql")


def test_void_in_other_formats(client: httpx.Client) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert response.headers["content-type"] == "application/n-triples"
    assert b"<http://rdfs.org/ns/void#triples>" in response.content
    assert client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406
