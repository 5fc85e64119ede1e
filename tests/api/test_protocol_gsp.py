"""Graph Store Protocol at /store against a real ``sarcokg serve``: indirect and direct identification,
multipart POST, 201 + Location on the container, HEAD, charsets, 404/415/400, and atomic replacement."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from tests.api.conftest import LiveServer

EX = "http://example.org/"
PERSON = f"{EX}person/1"
TURTLE = "text/turtle; charset=utf-8"
JOHN = f'@prefix foaf: <http://xmlns.com/foaf/0.1/> . <{PERSON}> a foaf:Person ; foaf:name "John" .'
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")


@pytest.fixture
def server(shared_live_server: LiveServer) -> Iterator[LiveServer]:
    shared_live_server.update("DROP ALL")
    yield shared_live_server


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client(headers=server.auth) as c:
        yield c


def graph_of(response: httpx.Response) -> rdflib.Graph:
    assert response.status_code == 200, response.text
    return rdflib.Graph().parse(data=response.content, format="turtle")


def names(graph: rdflib.Graph) -> set[str]:
    return {str(o) for o in graph.objects(rdflib.URIRef(PERSON), FOAF.name)}


def test_put_creates_then_replaces_and_get_returns_turtle(client: httpx.Client) -> None:
    target = {"graph": f"{EX}g/people"}
    assert (
        client.put("/store", params=target, content=JOHN, headers={"Content-Type": TURTLE}).status_code == 201
    )
    got = client.get("/store", params=target, headers={"Accept": "text/turtle"})
    assert got.headers["content-type"] == "text/turtle; charset=utf-8"
    assert "Accept" in got.headers["vary"]
    assert names(graph_of(got)) == {"John"}
    jane = JOHN.replace('"John"', '"Jane"')
    assert (
        client.put("/store", params=target, content=jane, headers={"Content-Type": TURTLE}).status_code == 204
    )
    assert names(graph_of(client.get("/store", params=target))) == {"Jane"}


def test_other_rdf_formats_in_and_out(client: httpx.Client) -> None:
    target = {"graph": f"{EX}g/nt"}
    nt = f'<{PERSON}> <http://xmlns.com/foaf/0.1/name> "Nora" .\n'
    assert (
        client.put(
            "/store", params=target, content=nt, headers={"Content-Type": "application/n-triples"}
        ).status_code
        == 201
    )
    rdfxml = client.get("/store", params=target, headers={"Accept": "application/rdf+xml"})
    assert rdfxml.headers["content-type"] == "application/rdf+xml"
    assert names(rdflib.Graph().parse(data=rdfxml.content, format="xml")) == {"Nora"}
    assert client.get("/store", params=target, headers={"Accept": "image/png"}).status_code == 406


def test_post_merges_and_multipart_posts_every_part(client: httpx.Client) -> None:
    target = {"graph": f"{EX}g/merge"}
    assert (
        client.post("/store", params=target, content=JOHN, headers={"Content-Type": TURTLE}).status_code
        == 201
    )
    boundary = "a6fe4cd636164618814be9f8d3d1a0de"
    part = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{{n}}.ttl"; filename="{{n}}.ttl"\r\n'
        f"Content-Type: text/turtle; charset=utf-8\r\n\r\n{{body}}\r\n"
    )
    body = (
        part.format(n="a", body=f'<{PERSON}> <http://xmlns.com/foaf/0.1/name> "Johnny" .')
        + part.format(n="b", body=f"<{PERSON}> <http://xmlns.com/foaf/0.1/nick> [ a <{EX}Nick> ] .")
        + f"--{boundary}--\r\n"
    )
    response = client.post(
        "/store",
        params=target,
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 204, response.text
    graph = graph_of(client.get("/store", params=target))
    assert names(graph) == {"John", "Johnny"}
    assert len(list(graph.objects(rdflib.URIRef(PERSON), FOAF.nick))) == 1


def test_post_to_the_container_creates_a_graph_at_location(server: LiveServer, client: httpx.Client) -> None:
    response = client.post("/store", content=JOHN, headers={"Content-Type": TURTLE})
    assert response.status_code == 201
    location = urljoin(server.url + "/store", response.headers["location"])
    assert location.startswith(server.url + "/store/")
    assert names(graph_of(client.get("/store", params={"graph": location}))) == {"John"}
    assert names(graph_of(client.get(location))) == {"John"}  # the same graph, directly identified


def test_direct_identification_uses_the_request_url(server: LiveServer, client: httpx.Client) -> None:
    url = f"{server.url}/store/people/2.ttl"
    assert (
        client.put("/store/people/2.ttl", content=JOHN, headers={"Content-Type": TURTLE}).status_code == 201
    )
    assert names(graph_of(client.get("/store", params={"graph": url}))) == {"John"}
    assert client.delete("/store/people/2.ttl").status_code == 204
    assert client.get("/store/people/2.ttl").status_code == 404
    assert client.delete("/store/people/2.ttl").status_code == 404


def test_head_has_content_type_and_404s_have_no_body(client: httpx.Client) -> None:
    target = {"graph": f"{EX}g/head"}
    client.put("/store", params=target, content=JOHN, headers={"Content-Type": TURTLE})
    head = client.head("/store", params=target, headers={"Accept": "text/turtle; charset=utf-8"})
    assert head.status_code == 200
    assert head.headers["content-type"] == "text/turtle; charset=utf-8"
    assert head.content == b""
    missing = client.head("/store", params={"graph": f"{EX}g/none"})
    assert missing.status_code == 404
    assert missing.content == b""


def test_default_graph_and_the_whole_dataset(client: httpx.Client) -> None:
    assert client.put("/store?default", content=JOHN, headers={"Content-Type": TURTLE}).status_code == 204
    assert names(graph_of(client.get("/store?default"))) == {"John"}
    client.put(
        "/store",
        params={"graph": f"{EX}g/x"},
        content=JOHN.replace("John", "Xavier"),
        headers={"Content-Type": TURTLE},
    )
    dataset = client.get("/store")
    assert dataset.headers["content-type"] == "application/n-quads"
    quads = list(ox.parse(dataset.content, format=ox.RdfFormat.N_QUADS))
    assert {q.object.value for q in quads if q.predicate.value == str(FOAF.name)} == {"John", "Xavier"}
    assert {q.graph_name for q in quads} == {ox.DefaultGraph(), ox.NamedNode(f"{EX}g/x")}
    assert client.delete("/store?default").status_code == 204
    assert names(graph_of(client.get("/store?default"))) == set()


def test_utf16_graph_bodies_are_transcoded(client: httpx.Client) -> None:
    body = JOHN.replace('"John"', '"Jöhn 東"').encode("utf-16")
    target = {"graph": f"{EX}g/utf16"}
    response = client.put(
        "/store", params=target, content=body, headers={"Content-Type": "text/turtle; charset=utf-16"}
    )
    assert response.status_code == 201, response.text
    assert names(graph_of(client.get("/store", params=target))) == {"Jöhn 東"}


def test_bad_bodies_are_refused_and_change_nothing(client: httpx.Client) -> None:
    target = {"graph": f"{EX}g/keep"}
    client.put("/store", params=target, content=JOHN, headers={"Content-Type": TURTLE})
    broken = client.put("/store", params=target, content="<a> <b> ", headers={"Content-Type": TURTLE})
    assert broken.status_code == 400
    assert "cannot parse" in broken.text
    wrong_type = client.put(
        "/store", params=target, content=JOHN, headers={"Content-Type": "application/pdf"}
    )
    assert wrong_type.status_code == 415
    no_type = client.put("/store", params=target, content=JOHN, headers={"Content-Type": ""})
    assert no_type.status_code == 415
    assert names(graph_of(client.get("/store", params=target))) == {"John"}


def test_bad_targets_are_400(client: httpx.Client) -> None:
    assert client.put("/store", content=JOHN, headers={"Content-Type": TURTLE}).status_code == 400
    assert client.get("/store", params=[("graph", f"{EX}a"), ("graph", f"{EX}b")]).status_code == 400
    assert client.get(f"/store?default&graph={EX}a").status_code == 400
    assert client.get("/store", params={"graph": "not an iri"}).status_code == 400


def test_etag_on_graphs(server: LiveServer, client: httpx.Client) -> None:
    target = {"graph": f"{EX}g/etag"}
    client.put("/store", params=target, content=JOHN, headers={"Content-Type": TURTLE})
    etag = client.get("/store", params=target).headers["etag"]
    assert client.get("/store", params=target, headers={"If-None-Match": etag}).status_code == 304
    client.post("/store", params=target, content=JOHN.replace("John", "Jo"), headers={"Content-Type": TURTLE})
    assert client.get("/store", params=target, headers={"If-None-Match": etag}).status_code == 200
