"""SERVICE and LOAD are refused before evaluation: a loopback listener must receive ZERO requests.

The control test first shows that pyoxigraph really does fetch such URLs, so the listener is able
to catch a leak; then every spelling goes through the live server, and look-alikes (comments,
strings, IRIs, prefixed names, variables) must still work.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pyoxigraph as ox
import pytest

from api.guards import forbidden_keywords
from tests.api.conftest import LiveServer


class Listener:
    """A loopback HTTP server that counts every request it receives."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def _count(self) -> None:
                listener.hits.append(f"{self.command} {self.path}")
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_HEAD = _count

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def forbidden_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?x) SERVICE ?x {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?x {{ <{url}> }} SERVICE SILENT ?x {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{url}> SELECT * WHERE {{ SeRvIcE e: {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # a comment\n SERVICE # another\n <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
        f'SELECT * WHERE {{ ?s ?p "SERVICE" . SERVICE<{url}>{{?s ?p ?o}} }}',
    ]


def forbidden_updates(url: str) -> list[str]:
    return [
        f"LOAD <{url}>",
        f"load silent <{url}> into graph <http://example.org/g>",
        f"CLEAR DEFAULT ; LOAD <{url}>",
        f"\\u004cOAD <{url}>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"DELETE {{ ?s ?p ?o }} WHERE {{ service silent ?x {{ ?s ?p ?o }} VALUES ?x {{ <{url}> }} }}",
    ]


def test_control_pyoxigraph_really_fetches_service_and_load(listener: Listener) -> None:
    """Without the guard the listener is hit: the zero-request assertions below can fail."""
    before = len(listener.hits)
    store = ox.Store()
    with pytest.raises(OSError):
        list(store.query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))  # type: ignore[arg-type]
    with pytest.raises(OSError):
        store.update(f"LOAD <{listener.url}>")
    assert len(listener.hits) >= before + 2


def test_service_is_refused_whatever_the_spelling(shared_live_server: LiveServer, listener: Listener) -> None:
    hits = len(listener.hits)
    with shared_live_server.client() as client:
        for query in forbidden_queries(listener.url):
            for response in (
                client.get("/sparql", params={"query": query}),
                client.post("/sparql", data={"query": query}),
                client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}),
            ):
                assert response.status_code == 403, (query, response.text)
                assert "SERVICE is not allowed" in response.text
    assert listener.hits[hits:] == []


def test_load_and_service_in_updates_are_refused(shared_live_server: LiveServer, listener: Listener) -> None:
    hits = len(listener.hits)
    shared_live_server.update('INSERT DATA { <http://example.org/keep> <http://example.org/p> "kept" }')
    with shared_live_server.client(headers=shared_live_server.auth) as client:
        for update in forbidden_updates(listener.url):
            response = client.post("/update", data={"update": update})
            assert response.status_code == 403, (update, response.text)
            assert "is not allowed" in response.text
            direct = client.post(
                "/update", content=update, headers={"Content-Type": "application/sparql-update"}
            )
            assert direct.status_code == 403
        ask = client.get("/sparql", params={"query": "ASK { <http://example.org/keep> ?p ?o }"})
        assert ask.json()["boolean"] is True  # "CLEAR DEFAULT ; LOAD" was refused as a whole
    assert listener.hits[hits:] == []


def test_look_alikes_still_work(shared_live_server: LiveServer, listener: Listener) -> None:
    hits = len(listener.hits)
    shared_live_server.update(
        "PREFIX load: <http://example.org/load#> PREFIX service: <http://example.org/service#> "
        f'INSERT DATA {{ <http://example.org/SERVICE> service:load "SERVICE <{listener.url}> {{}}" . '
        f"load:a load:service load:LOAD . "
        f'<http://example.org/multi> service:load """\nSERVICE <{listener.url}>\n""" }}'
    )
    queries = [
        "PREFIX service: <http://example.org/service#> "
        f"SELECT ?service WHERE {{ ?service service:load ?o }} # SERVICE <{listener.url}> {{ }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(CONTAINS(?o, 'SERVICE <{listener.url}>')) }}",
        f'SELECT * WHERE {{ ?s ?p """\nSERVICE <{listener.url}>\n""" }}',
        "SELECT ?load WHERE { ?load <http://example.org/load#service> ?x }",
        "SELECT * WHERE { <http://example.org/SERVICE> ?p ?o }",
        "PREFIX : <http://example.org/load#> SELECT * WHERE { :a :service :LOAD }",
    ]
    with shared_live_server.client(headers=shared_live_server.auth) as client:
        for query in queries:
            response = client.get("/sparql", params={"query": query})
            assert response.status_code == 200, (query, response.text)
            assert response.json()["results"]["bindings"], query
        updates = [
            f'INSERT DATA {{ <http://example.org/x> <http://example.org/note> "LOAD <{listener.url}>" }}',
            "PREFIX load: <http://example.org/load#> "
            "INSERT { ?s load:seen true } WHERE { ?s load:service ?load }",
            f"# LOAD <{listener.url}>\n"
            "INSERT DATA { <http://example.org/load> <http://example.org/service> 1 }",
        ]
        for update in updates:
            response = client.post("/update", data={"update": update})
            assert response.status_code == 204, (update, response.text)
    assert listener.hits[hits:] == []


def test_the_guard_follows_the_parser_not_the_text() -> None:
    """Unit view of the decision (no server): only real SERVICE/LOAD operations count."""
    url = "http://127.0.0.1:9/x"
    for query in forbidden_queries(url):
        assert forbidden_keywords(query, update=False) == {"SERVICE"}, query
    for update in forbidden_updates(url):
        assert forbidden_keywords(update, update=True), update
    assert forbidden_keywords(f'SELECT * {{ ?s ?p "SERVICE <{url}> {{}}" }}', update=False) == set()
    assert forbidden_keywords("SELECT ?service { ?service <urn:p> ?load }", update=True) == set()
    # Text rdflib cannot parse but containing the bare keyword is refused, not waved through.
    assert forbidden_keywords(f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} ", update=False) == {"SERVICE"}


def test_queries_without_the_keyword_are_not_parsed_twice() -> None:
    """The fast path: text without the bare keyword never reaches rdflib (cheap for big queries)."""
    big = "SELECT * WHERE { VALUES ?x { " + " ".join(f'"v{i}"' for i in range(20000)) + " } }"
    assert forbidden_keywords(big, update=False) == set()


def test_refusal_happens_before_any_data_is_touched(shared_live_server: LiveServer) -> None:
    shared_live_server.update('INSERT DATA { <http://example.org/keep2> <http://example.org/p> "kept" }')
    update = "DELETE WHERE { ?s ?p ?o } ; LOAD <http://127.0.0.1:9/nothing>"
    response = httpx.post(
        f"{shared_live_server.url}/update", data={"update": update}, headers=shared_live_server.auth
    )
    assert response.status_code == 403
    ask = httpx.get(
        f"{shared_live_server.url}/sparql", params={"query": "ASK { <http://example.org/keep2> ?p ?o }"}
    )
    assert ask.json()["boolean"] is True
