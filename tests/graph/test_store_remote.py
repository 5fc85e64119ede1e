"""The remote store against real servers, beyond the shared contract: URL layouts, credentials,
row caps, truncated answers, and what each server makes atomic."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import RemoteStore, ResultCapError, Store
from sarcokg.errors import QueryError, StoreError
from tests.servers import (
    VIRTUOSO_USER,
    RemoteTestStore,
    free_port,
    start_basic_auth_proxy,
    start_oxigraph,
    stop,
)

EX = "http://test.sarcokg.example/"


def quads(graph: str, n: int) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    return [
        ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(f"v{i}"), g) for i in range(n)
    ]


def test_virtuoso_layout_is_recognised_from_the_query_url(virtuoso_url: str) -> None:
    base = virtuoso_url.rsplit("/", 1)[0]
    authenticated = RemoteStore(virtuoso_url, user=VIRTUOSO_USER[0], password=VIRTUOSO_USER[1])
    anonymous = RemoteStore(virtuoso_url)
    try:
        assert authenticated.kind == "virtuoso"
        assert authenticated.update_url == f"{base}/sparql-auth"
        assert authenticated.gsp_url == f"{base}/sparql-graph-crud-auth"
        assert anonymous.update_url == virtuoso_url
    finally:
        authenticated.close()
        anonymous.close()


def test_oxigraph_layout_is_derived_without_asking(oxigraph_url: str) -> None:
    base = oxigraph_url.rsplit("/", 1)[0]
    store = RemoteStore(oxigraph_url)
    assert (store.update_url, store.gsp_url) == (f"{base}/update", f"{base}/store")
    assert store._kind is None  # no request was needed
    store.close()


def test_virtuoso_updates_need_credentials_and_say_so(virtuoso_url: str) -> None:
    with RemoteStore(virtuoso_url) as anonymous, pytest.raises(StoreError, match="SARCOKG_ENDPOINT_USER"):
        anonymous.replace_graph(f"{EX}anon", quads(f"{EX}anon", 1))


def test_wrong_credentials_are_a_clear_error(virtuoso_url: str) -> None:
    with (
        RemoteStore(virtuoso_url, user="dba", password="not-the-password") as store,
        pytest.raises(StoreError, match="refused the credentials"),
    ):
        store.drop_graph(f"{EX}whatever")


def test_virtuoso_row_cap_is_an_error_not_a_short_answer(virtuoso_remote: RemoteTestStore) -> None:
    store = virtuoso_remote.store
    virtuoso_remote.cleanup()
    try:
        store.replace_graph(f"{EX}big", quads(f"{EX}big", 10_500))
        with pytest.raises(ResultCapError, match="10000 rows"):
            store.select(f"SELECT ?s WHERE {{ GRAPH <{EX}big> {{ ?s ?p ?o }} }}")
        assert len(store.select(f"SELECT ?s WHERE {{ GRAPH <{EX}big> {{ ?s ?p ?o }} }} LIMIT 20")) == 20
        assert store.count(f"{EX}big") == 10_500
    finally:
        virtuoso_remote.cleanup()


def test_a_truncated_answer_is_an_error(tmp_path: Path) -> None:
    """``oxigraph serve --timeout-s 1`` cuts a long answer short but still says 200."""
    server = start_oxigraph(tmp_path, "--timeout-s", "1")
    try:
        with RemoteStore(server.query_url) as store:
            store.replace_graph(f"{EX}g", quads(f"{EX}g", 3000))
            cross = f"SELECT * WHERE {{ GRAPH <{EX}g> {{ ?a ?p ?b . ?c ?q ?d }} }}"
            with pytest.raises(StoreError, match="unparsable"):
                store.select(cross)
    finally:
        stop(server.process)


def test_an_unreachable_endpoint_is_a_one_line_store_error() -> None:
    port = free_port()  # nothing listens there
    with RemoteStore(f"http://127.0.0.1:{port}/query") as store, pytest.raises(StoreError) as caught:
        store.count()
    assert "cannot reach" in str(caught.value) and "\n" not in str(caught.value)


def test_not_an_http_url_is_refused() -> None:
    with pytest.raises(StoreError, match="http"):
        RemoteStore("ftp://example.org/sparql")


def test_oxigraph_rolls_back_a_failing_request(oxigraph_remote: RemoteTestStore) -> None:
    """What replace_graph relies on: one request is one transaction on Oxigraph."""
    store = oxigraph_remote.store
    store.replace_graph(f"{EX}t", quads(f"{EX}t", 2))
    with pytest.raises((QueryError, StoreError)):
        store.update(
            f"DROP SILENT GRAPH <{EX}t> ; INSERT DATA {{ GRAPH <{EX}t> {{ <{EX}x> <{EX}p> 1 }} }} ; "
            f"DROP GRAPH <{EX}never-created>"
        )
    assert set(store.graph_quads(f"{EX}t")) == set(quads(f"{EX}t", 2))
    oxigraph_remote.cleanup()


def test_virtuoso_keeps_operations_that_ran_before_a_failing_one(virtuoso_remote: RemoteTestStore) -> None:
    """Documents the quirk replace_graph works around: Virtuoso does not roll a request back.

    Our replace request has no operation that can fail once parsed (a syntax error stops the
    whole request before anything runs, see the next test)."""
    store = virtuoso_remote.store
    store.replace_graph(f"{EX}v", quads(f"{EX}v", 2))
    with pytest.raises((QueryError, StoreError)):
        store.update(
            f"DROP SILENT GRAPH <{EX}v> ; INSERT DATA {{ GRAPH <{EX}v> {{ <{EX}x> <{EX}p> 1 }} }} ; "
            f"DROP GRAPH <{EX}never-created>"
        )
    assert store.count(f"{EX}v") == 1
    virtuoso_remote.cleanup()


def test_a_syntax_error_anywhere_runs_nothing(any_store: Store) -> None:
    store = any_store
    store.replace_graph(f"{EX}w", quads(f"{EX}w", 2))
    with pytest.raises(QueryError):
        store.update(f"DROP SILENT GRAPH <{EX}w> ; INSERT DATA {{ GRAPH <{EX}w> {{ <{EX}x> }} }}")
    assert store.count(f"{EX}w") == 2


def test_blank_nodes_survive_a_replace_on_every_server(any_store: Store) -> None:
    """OWL restrictions are blank nodes; Virtuoso refuses them in INSERT DATA (we use a template)."""
    g = ox.NamedNode(f"{EX}owl")
    restriction = ox.BlankNode("r1")
    data = [
        ox.Quad(ox.NamedNode(f"{EX}Tail"), ox.NamedNode(EX + "subClassOf"), restriction, g),
        ox.Quad(restriction, ox.NamedNode(EX + "onProperty"), ox.NamedNode(EX + "partOf"), g),
        ox.Quad(restriction, ox.NamedNode(EX + "someValuesFrom"), ox.NamedNode(f"{EX}Pancreas"), g),
    ]
    store = any_store
    store.replace_graph(g.value, data)
    rows = store.select(
        f"SELECT ?part WHERE {{ GRAPH <{g.value}> {{ <{EX}Tail> <{EX}subClassOf> ?r . "
        f"?r <{EX}onProperty> <{EX}partOf> ; <{EX}someValuesFrom> ?part }} }}"
    )
    assert [row["part"].value for row in rows] == [f"{EX}Pancreas"]


def test_basic_auth_is_answered_when_the_server_asks_for_it(oxigraph_url: str) -> None:
    upstream = oxigraph_url.rsplit("/", 1)[0]
    proxy = start_basic_auth_proxy(upstream, "curator", "s3cret-pass")
    try:
        with RemoteStore(f"{proxy.url}/query", user="curator", password="s3cret-pass") as store:
            store.replace_graph(f"{EX}basic", quads(f"{EX}basic", 3))
            assert store.count(f"{EX}basic") == 3
            store.drop_graph(f"{EX}basic")
        with (
            RemoteStore(f"{proxy.url}/query", user="curator", password="wrong") as refused,
            pytest.raises(StoreError, match="refused the credentials"),
        ):
            refused.count()
        with RemoteStore(f"{proxy.url}/query") as anonymous, pytest.raises(StoreError, match="refused"):
            anonymous.count()
    finally:
        proxy.server.shutdown()
        proxy.server.server_close()
