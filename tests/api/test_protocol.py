"""SPARQL 1.1 Protocol at /sparql and /update against a real ``sarcokg serve`` (uvicorn) process.

The tricky cases of the W3C suites are here as focused tests: dataset parameters, using-graph-uri,
UTF-16 bodies, GET /update, HEAD, negotiation (406), ETag/304, methods (405 + Allow), media types (415).
"""

from __future__ import annotations

import csv
import io
import json
import socket
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
import rdflib

from tests.api.conftest import LiveServer

EX = "http://example.org/"
SR = "{http://www.w3.org/2005/sparql-results#}"
DATA = f"""
INSERT DATA {{
  <{EX}alice> <{EX}name> "Alice"@en ; <{EX}age> 42 ; <{EX}knows> <{EX}bob> .
  <{EX}bob> <{EX}name> "Bob, \\"the\\" builder" .
  GRAPH <{EX}g1> {{ <{EX}g1s> a <{EX}Thing> }}
  GRAPH <{EX}g2> {{ <{EX}g2s> a <{EX}Thing> }}
  GRAPH <{EX}g3> {{ <{EX}g3s> a <{EX}Thing> }}
}}"""
NAMES = f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?s"


@pytest.fixture
def server(shared_live_server: LiveServer) -> Iterator[LiveServer]:
    """The module's server with the test data freshly loaded."""
    shared_live_server.update("DROP ALL ;\n" + DATA)
    yield shared_live_server


def names_in(response: httpx.Response) -> list[str]:
    data = response.json()
    return [b["name"]["value"] for b in data["results"]["bindings"]]


# -- query forms and result formats ------------------------------------------------------------


def test_select_as_json_by_default_via_get_post_form_and_post_direct(client: httpx.Client) -> None:
    via_get = client.get("/sparql", params={"query": NAMES})
    via_form = client.post("/sparql", data={"query": NAMES})
    via_direct = client.post("/sparql", content=NAMES, headers={"Content-Type": "application/sparql-query"})
    for response in (via_get, via_form, via_direct):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/sparql-results+json"
        assert "Accept" in response.headers["vary"]
        assert names_in(response) == ["Alice", 'Bob, "the" builder']
    alice = via_get.json()["results"]["bindings"][0]["name"]
    assert alice == {"type": "literal", "value": "Alice", "xml:lang": "en"}


def test_select_as_xml_csv_and_tsv(client: httpx.Client) -> None:
    xml = client.get("/sparql", params={"query": NAMES}, headers={"Accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"] == "application/sparql-results+xml"
    literals = [e.text for e in ET.fromstring(xml.content).iter(f"{SR}literal")]
    assert literals == ["Alice", 'Bob, "the" builder']

    csv_response = client.get("/sparql", params={"query": NAMES}, headers={"Accept": "text/csv"})
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(csv_response.text)))
    assert rows == [["s", "name"], [f"{EX}alice", "Alice"], [f"{EX}bob", 'Bob, "the" builder']]

    tsv = client.get("/sparql", params={"query": NAMES}, headers={"Accept": "text/tab-separated-values"})
    assert tsv.headers["content-type"] == "text/tab-separated-values; charset=utf-8"
    assert tsv.text.splitlines() == [
        "?s\t?name",
        f'<{EX}alice>\t"Alice"@en',
        f'<{EX}bob>\t"Bob, \\"the\\" builder"',
    ]


def test_q_values_and_the_format_parameter_choose_the_format(client: httpx.Client) -> None:
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"
    assert (
        client.get("/sparql", params={"query": NAMES}, headers={"Accept": accept})
        .headers["content-type"]
        .startswith("text/csv")
    )
    by_param = client.get("/sparql", params={"query": NAMES, "format": "tsv"}, headers={"Accept": "text/csv"})
    assert by_param.headers["content-type"].startswith("text/tab-separated-values")


def test_ask_in_json_and_xml(client: httpx.Client) -> None:
    ask = f"ASK {{ <{EX}alice> <{EX}knows> <{EX}bob> }}"
    assert client.get("/sparql", params={"query": ask}).json() == {"head": {}, "boolean": True}
    xml = client.get("/sparql", params={"query": ask}, headers={"Accept": "application/sparql-results+xml"})
    assert ET.fromstring(xml.content).find(f"{SR}boolean").text == "true"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        (None, "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_in_every_rdf_format(
    client: httpx.Client, accept: str | None, media: str, rdflib_format: str
) -> None:
    query = f"CONSTRUCT {{ ?s <{EX}label> ?name }} WHERE {{ ?s <{EX}name> ?name }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    if media.startswith("text/"):
        assert "charset=utf-8" in response.headers["content-type"]
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert (
        rdflib.URIRef(f"{EX}alice"),
        rdflib.URIRef(f"{EX}label"),
        rdflib.Literal("Alice", lang="en"),
    ) in graph
    assert len(graph) == 2


def test_describe_gives_turtle(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": f"DESCRIBE <{EX}alice>"})
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    assert (rdflib.URIRef(f"{EX}alice"), rdflib.URIRef(f"{EX}age"), rdflib.Literal(42)) in graph


def test_406_when_no_acceptable_format_fits_the_result(client: httpx.Client) -> None:
    assert client.get("/sparql", params={"query": NAMES}, headers={"Accept": "image/png"}).status_code == 406
    construct = "CONSTRUCT WHERE { ?s ?p ?o }"
    response = client.get("/sparql", params={"query": construct}, headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert "CONSTRUCT" in response.text


# -- datasets ----------------------------------------------------------------------------------


def test_default_graph_uri_and_named_graph_uri(client: httpx.Client) -> None:
    select = f"SELECT ?s WHERE {{ ?s a <{EX}Thing> }} ORDER BY ?s"
    params: list[tuple[str, str | int | float | bool | None]] = [
        ("query", select),
        ("default-graph-uri", f"{EX}g1"),
        ("default-graph-uri", f"{EX}g2"),
    ]
    subjects = [b["s"]["value"] for b in client.get("/sparql", params=params).json()["results"]["bindings"]]
    assert subjects == [f"{EX}g1s", f"{EX}g2s"]

    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    response = client.post(f"/sparql?named-graph-uri={quote(EX + 'g3')}", data={"query": graphs})
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [f"{EX}g3"]


def test_protocol_dataset_overrides_from_in_the_query(client: httpx.Client) -> None:
    ask = f"ASK FROM <{EX}g3> {{ GRAPH ?g1 {{ <{EX}g1s> a ?t }} GRAPH ?g2 {{ <{EX}g2s> a ?t }} }}"
    assert client.post("/sparql", data={"query": ask}).json()["boolean"] is False
    overridden = client.post(
        f"/sparql?named-graph-uri={quote(EX + 'g1')}&named-graph-uri={quote(EX + 'g2')}",
        content=ask,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert overridden.json()["boolean"] is True


def test_using_graph_uri_and_using_named_graph_uri_on_updates(
    server: LiveServer, client: httpx.Client
) -> None:
    copy = f"INSERT {{ GRAPH <{EX}out> {{ ?s a <{EX}Copied> }} }} WHERE {{ ?s a <{EX}Thing> }}"
    response = client.post(
        f"/update?using-graph-uri={quote(EX + 'g2')}",
        content=copy,
        headers={"Content-Type": "application/sparql-update", **server.auth},
    )
    assert response.status_code == 204, response.text
    from_named = (
        f"INSERT {{ GRAPH <{EX}out> {{ ?s a <{EX}Named> }} }} WHERE {{ GRAPH ?g {{ ?s a <{EX}Thing> }} }}"
    )
    response = client.post(
        "/update", data={"update": from_named, "using-named-graph-uri": f"{EX}g3"}, headers=server.auth
    )
    assert response.status_code == 204, response.text
    rows = client.get(
        "/sparql", params={"query": f"SELECT ?s ?t WHERE {{ GRAPH <{EX}out> {{ ?s a ?t }} }} ORDER BY ?t"}
    ).json()["results"]["bindings"]
    assert [(r["s"]["value"], r["t"]["value"]) for r in rows] == [
        (f"{EX}g2s", f"{EX}Copied"),
        (f"{EX}g3s", f"{EX}Named"),
    ]


def test_using_graph_uri_with_a_with_clause_is_a_400(server: LiveServer, client: httpx.Client) -> None:
    update = f"WITH <{EX}g1> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"
    response = client.post(
        f"/update?using-named-graph-uri={quote(EX + 'g2')}",
        content=update,
        headers={"Content-Type": "application/sparql-update", **server.auth},
    )
    assert response.status_code == 400
    assert client.get("/sparql", params={"query": f"ASK {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }}"}).json()[
        "boolean"
    ]


def test_relative_iris_resolve_against_the_endpoint(server: LiveServer, client: httpx.Client) -> None:
    response = client.post("/update", data={"update": "INSERT DATA { <thing> <p> <o> }"}, headers=server.auth)
    assert response.status_code == 204
    ask = f"ASK {{ <{server.url}/thing> ?p ?o }}"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True


# -- errors ------------------------------------------------------------------------------------


def test_bad_query_is_a_400_with_the_parsers_message(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert "bad SPARQL query" in response.text and "1:" in response.text
    assert len(response.text.strip().splitlines()) == 1


def test_bad_update_is_a_400_and_changes_nothing(server: LiveServer, client: httpx.Client) -> None:
    before = client.get("/sparql", params={"query": NAMES}).json()
    broken = f'DELETE DATA {{ <{EX}alice> <{EX}name> "Alice"@en }} ; CLEAR XYZ'
    response = client.post("/update", data={"update": broken}, headers=server.auth)
    assert response.status_code == 400
    assert "bad SPARQL update" in response.text
    assert client.get("/sparql", params={"query": NAMES}).json() == before


def test_get_update_is_refused_and_runs_nothing(client: httpx.Client) -> None:
    response = client.get("/update", params={"update": "CLEAR ALL"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    assert client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 400


def test_wrong_methods_get_405_with_allow(client: httpx.Client) -> None:
    response = client.put("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}


def test_repeated_query_parameter_is_a_400(client: httpx.Client) -> None:
    assert client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")]).status_code == 400
    response = client.post("/sparql", data={"query": "ASK {}"}, params={"query": "ASK {}"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/sparql", "text/plain"),
        ("/sparql", None),
        ("/update", "text/plain"),
        ("/update", None),
    ],
)
def test_unsupported_media_types_are_415(server: LiveServer, path: str, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    body = b"ASK {}" if path == "/sparql" else b"CLEAR ALL"
    response = httpx.post(server.url + path, content=body, headers={**headers, **server.auth})
    assert response.status_code == 415


@pytest.mark.parametrize(("path", "kind"), [("/sparql", "query"), ("/update", "update")])
def test_utf16_direct_posts_are_refused(server: LiveServer, path: str, kind: str) -> None:
    body = ("ASK {}" if kind == "query" else "CLEAR ALL").encode("utf-16")
    response = httpx.post(
        server.url + path,
        content=body,
        headers={"Content-Type": f"application/sparql-{kind}; charset=UTF-16", **server.auth},
    )
    assert response.status_code == 415
    assert "UTF-8" in response.text
    ask = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert ask.json()["boolean"] is True  # the CLEAR ALL did not run


def test_non_ascii_queries_round_trip_in_utf8(server: LiveServer, client: httpx.Client) -> None:
    server.update(f'INSERT DATA {{ <{EX}café> <{EX}name> "Ørsted — 東京" }}')
    query = f'SELECT ?s WHERE {{ ?s <{EX}name> "Ørsted — 東京" }}'
    response = client.post(
        "/sparql", content=query.encode("utf-8"), headers={"Content-Type": "application/sparql-query"}
    )
    assert response.json()["results"]["bindings"][0]["s"]["value"] == f"{EX}café"


# -- caching and HEAD --------------------------------------------------------------------------


def test_etag_gives_304_until_the_store_changes(server: LiveServer, client: httpx.Client) -> None:
    first = client.get("/sparql", params={"query": NAMES})
    etag = first.headers["etag"]
    again = client.get("/sparql", params={"query": NAMES}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    other_format = client.get(
        "/sparql", params={"query": NAMES}, headers={"If-None-Match": etag, "Accept": "text/csv"}
    )
    assert other_format.status_code == 200
    server.update(f'INSERT DATA {{ <{EX}carol> <{EX}name> "Carol" }}')
    after = client.get("/sparql", params={"query": NAMES}, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.headers["etag"] != etag
    assert "Carol" in names_in(after)


def test_head_has_the_get_headers_and_no_body(client: httpx.Client) -> None:
    for accept, media in (("text/csv", "text/csv; charset=utf-8"), (None, "application/sparql-results+json")):
        headers = {"Accept": accept} if accept else {}
        get = client.get("/sparql", params={"query": NAMES}, headers=headers)
        head = client.head("/sparql", params={"query": NAMES}, headers=headers)
        assert head.status_code == 200
        assert head.headers["content-type"] == get.headers["content-type"] == media
        assert head.headers["content-length"] == str(len(get.content))
        assert head.content == b""


def test_head_responses_send_no_body_on_a_kept_alive_connection(server: LiveServer) -> None:
    """Oxigraph's server sends a body with HEAD 404s, which garbles the next response."""
    host, port = server.url.removeprefix("http://").split(":")
    requests = (
        b"HEAD /store?graph=http://example.org/missing HTTP/1.1\r\nHost: x\r\n\r\n"
        b"HEAD /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(requests)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    heads = data.split(b"\r\n\r\n")
    assert heads[0].startswith(b"HTTP/1.1 404")
    assert heads[1].startswith(b"HTTP/1.1 200")  # not garbled by a body after the 404
    assert heads[2].startswith(b"HTTP/1.1 200")
    assert json.loads(heads[3]) == {"head": {}, "boolean": True}


# -- service description, query page, CORS -----------------------------------------------------


def test_get_without_query_describes_the_service(server: LiveServer, client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoint = rdflib.URIRef(f"{server.url}/sparql")
    assert (endpoint, rdflib.RDF.type, sd.Service) in graph
    assert (endpoint, sd.endpoint, endpoint) in graph
    assert (endpoint, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert client.get("/sparql").headers["content-type"].startswith("text/turtle")


def test_browsers_get_a_self_contained_query_page(client: httpx.Client) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = client.get("/sparql", headers={"Accept": accept})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<form" in page.text and 'name="query"' in page.text
    for asset in ("/static/query.js", "/static/query.css"):
        assert asset in page.text
        assert client.get(asset).status_code == 200
    assert "//cdn" not in page.text and "https://" not in page.text.replace("https://w3id.org", "")


def test_cors_allows_cross_origin_reads_only(server: LiveServer, client: httpx.Client) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    read = client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
    assert read.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]
    writes = [
        ("/update", "POST"),
        ("/store", "PUT"),
        ("/store", "DELETE"),
        ("/store", "POST"),
        ("/api/reports", "POST"),
    ]
    for path, method in writes:
        refused = client.options(path, headers={**origin, "Access-Control-Request-Method": method})
        assert refused.status_code == 403
        assert "access-control-allow-origin" not in refused.headers
    # A "simple" cross-origin form POST needs no preflight: it fails on the missing token and
    # its answer is not readable cross-origin.
    drop = client.post("/update", data={"update": "DROP ALL"}, headers=origin)
    assert drop.status_code == 401
    assert "access-control-allow-origin" not in drop.headers
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_head_works_wherever_get_does(shared_live_server: LiveServer) -> None:
    """Every parameter-free GET route of the app (whoever wrote it) answers HEAD like GET, minus the body."""
    with shared_live_server.client() as client:
        paths = [
            p
            for p, ops in client.get("/openapi.json").json()["paths"].items()
            if "get" in ops and "{" not in p
        ]
        assert "/sparql" in paths and len(paths) > 1
        for path in paths:
            get = client.get(path)
            head = client.head(path)
            assert head.status_code == get.status_code, path
            assert head.headers.get("content-type") == get.headers.get("content-type"), path
            assert head.content == b"", path
