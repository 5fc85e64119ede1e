"""Real SPARQL clients against the live server: SPARQLWrapper and rdflib's SPARQLStore / SPARQLUpdateStore."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, GET, JSON, POST, POSTDIRECTLY, RDFXML, TURTLE, URLENCODED, XML, SPARQLWrapper

from tests.api.conftest import LiveServer

EX = rdflib.Namespace("http://example.org/")
DATA = f"""
INSERT DATA {{
  <{EX}alice> <{EX}name> "Alice" ; <{EX}knows> <{EX}bob> .
  <{EX}bob> <{EX}name> "Bob" .
}}"""
SELECT = f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?name"
CONSTRUCT = f"CONSTRUCT {{ ?s <{EX}label> ?name }} WHERE {{ ?s <{EX}name> ?name }}"


@pytest.fixture
def server(shared_live_server: LiveServer) -> Iterator[LiveServer]:
    shared_live_server.update("DROP ALL ;\n" + DATA)
    yield shared_live_server


def wrapper(server: LiveServer, method: str, request_method: str | None = None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(f"{server.url}/sparql", updateEndpoint=f"{server.url}/update")
    sparql.setMethod(method)
    if request_method:
        sparql.setRequestMethod(request_method)
    return sparql


REQUESTS = [(GET, None), (POST, URLENCODED), (POST, POSTDIRECTLY)]
REQUEST_IDS = ["GET", "POST-form", "POST-direct"]


@pytest.mark.parametrize(("method", "request_method"), REQUESTS, ids=REQUEST_IDS)
def test_sparqlwrapper_select_in_json_xml_and_csv(
    server: LiveServer, method: str, request_method: str | None
) -> None:
    sparql = wrapper(server, method, request_method)
    sparql.setQuery(SELECT)
    sparql.setReturnFormat(JSON)
    data = sparql.query().convert()
    assert isinstance(data, dict)
    assert [b["name"]["value"] for b in data["results"]["bindings"]] == ["Alice", "Bob"]

    sparql.setReturnFormat(XML)
    document = sparql.query().convert()
    literals = [e.firstChild.data for e in document.getElementsByTagName("literal")]  # type: ignore[union-attr]
    assert literals == ["Alice", "Bob"]

    sparql.setReturnFormat(CSV)
    table = sparql.query().convert()
    assert isinstance(table, bytes)
    assert list(csv.reader(io.StringIO(table.decode("utf-8")))) == [
        ["s", "name"],
        [str(EX.alice), "Alice"],
        [str(EX.bob), "Bob"],
    ]


@pytest.mark.parametrize(("method", "request_method"), REQUESTS, ids=REQUEST_IDS)
def test_sparqlwrapper_construct_in_turtle_and_rdfxml(
    server: LiveServer, method: str, request_method: str | None
) -> None:
    sparql = wrapper(server, method, request_method)
    sparql.setQuery(CONSTRUCT)
    sparql.setReturnFormat(TURTLE)
    turtle = sparql.query().convert()
    assert isinstance(turtle, bytes)
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert set(graph.objects(None, EX.label)) == {rdflib.Literal("Alice"), rdflib.Literal("Bob")}

    sparql.setReturnFormat(RDFXML)
    with warnings.catch_warnings():  # SPARQLWrapper parses into rdflib's deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        converted = sparql.query().convert()
    assert isinstance(converted, rdflib.Graph)
    assert set(converted.objects(None, EX.label)) == {rdflib.Literal("Alice"), rdflib.Literal("Bob")}


def test_sparqlwrapper_ask(server: LiveServer) -> None:
    sparql = wrapper(server, GET)
    sparql.setQuery(f"ASK {{ <{EX}alice> <{EX}knows> <{EX}bob> }}")
    sparql.setReturnFormat(JSON)
    assert sparql.query().convert()["boolean"] is True  # type: ignore[index,call-overload]


def test_sparqlwrapper_update_with_the_token(server: LiveServer) -> None:
    sparql = wrapper(server, POST)
    assert server.token
    sparql.addCustomHttpHeader("Authorization", f"Bearer {server.token}")
    sparql.setQuery(f'INSERT DATA {{ <{EX}carol> <{EX}name> "Carol" }}')
    result = sparql.query()
    assert result.response.status == 204
    sparql.setQuery(SELECT)
    sparql.setReturnFormat(JSON)
    names = [b["name"]["value"] for b in sparql.query().convert()["results"]["bindings"]]  # type: ignore[index,call-overload]
    assert names == ["Alice", "Bob", "Carol"]


def test_sparqlwrapper_update_without_the_token_fails(server: LiveServer) -> None:
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    sparql = wrapper(server, POST)
    sparql.setQuery("DROP ALL")
    with pytest.raises((SPARQLWrapperException, OSError)):
        sparql.query()


def test_rdflib_sparqlstore_reads(server: LiveServer) -> None:
    store = SPARQLStore(f"{server.url}/sparql")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(SELECT))
    assert [str(row[1]) for row in rows] == ["Alice", "Bob"]  # type: ignore[index]
    assert (EX.alice, EX.knows, EX.bob) in graph
    assert len(list(graph.triples((None, EX.name, None)))) == 2
    store.close()


def test_rdflib_sparqlupdatestore_writes(server: LiveServer) -> None:
    store = SPARQLUpdateStore(
        f"{server.url}/sparql", f"{server.url}/update", headers={"Authorization": f"Bearer {server.token}"}
    )
    graph = rdflib.Graph(store=store, identifier=EX.people)
    graph.add((EX.dave, EX.name, rdflib.Literal("Dave")))
    graph.update(f'INSERT DATA {{ <{EX}erin> <{EX}name> "Erin" }}')  # rdflib wraps it in GRAPH <people>
    assert set(graph.objects(None, EX.name)) == {rdflib.Literal("Dave"), rdflib.Literal("Erin")}
    graph.remove((EX.dave, None, None))
    assert set(graph.objects(None, EX.name)) == {rdflib.Literal("Erin")}
    store.close()
