"""Deadlines, the concurrency bound, the row cap and the size caps, on real servers.

pyoxigraph cannot cancel a query. The pathological query here is an aggregate over a cross join
of 5,000 triples (about 6 s alone on this machine): it cannot be interrupted, so it shows that a
runaway keeps its slot but neither blocks other queries nor delays its own client's error.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import httpx
import pytest

from tests.api.conftest import LiveServer

N_TRIPLES = 5000
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d FILTER(STR(?b) < STR(?d)) }"
# Streams a row every millisecond or so for ~5 s: stopped by the per-row deadline check.
TRICKLE = "SELECT ?a ?c WHERE { ?a ?p ?b . ?c ?q ?d FILTER(STR(?b) = STR(?d)) }"
SIMPLE = "ASK { ?s ?p ?o }"


def fill(server: LiveServer) -> None:
    triples = " ".join(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .' for i in range(N_TRIPLES))
    server.update(f"INSERT DATA {{ {triples} }}")


def timed_post(url: str, query: str, **params: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.post(f"{url}/sparql", params=params, data={"query": query}, timeout=120)
    return response, time.monotonic() - started


def wait_until_free(server: LiveServer, limit_s: float = 90) -> None:
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        if httpx.get(f"{server.url}/sparql", params={"query": SIMPLE}).status_code == 200:
            return
        time.sleep(0.2)
    pytest.fail("the runaway query never gave its slot back")


@pytest.fixture(scope="module")
def two_slots(live_server_factory: Callable[..., LiveServer]) -> Iterator[LiveServer]:
    server = live_server_factory(max_concurrent_queries=2)
    fill(server)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def one_slot(live_server_factory: Callable[..., LiveServer]) -> Iterator[LiveServer]:
    server = live_server_factory(max_concurrent_queries=1, query_timeout_s=1, max_query_timeout_s=2)
    fill(server)
    yield server
    server.stop()


def test_a_runaway_query_neither_blocks_the_service_nor_delays_its_error(two_slots: LiveServer) -> None:
    result: dict[str, tuple[httpx.Response, float]] = {}
    bad = threading.Thread(
        target=lambda: result.setdefault("bad", timed_post(two_slots.url, RUNAWAY, timeout="1"))
    )
    bad.start()
    time.sleep(0.4)  # the runaway is evaluating now
    started = time.monotonic()
    simple = httpx.get(f"{two_slots.url}/sparql", params={"query": SIMPLE}, timeout=10)
    simple_s = time.monotonic() - started
    bad.join(30)
    response, elapsed = result["bad"]
    assert simple.status_code == 200 and simple.json()["boolean"] is True
    assert simple_s < 1.0, f"a simple query took {simple_s:.2f} s during the runaway"
    assert response.status_code in (503, 504)
    assert "deadline" in response.text
    assert elapsed < 1.0 + 1.0, f"the runaway's client waited {elapsed:.2f} s for a 1 s deadline"
    wait_until_free(two_slots)


def test_saturation_is_a_503_with_retry_after_and_runaways_keep_their_slot(one_slot: LiveServer) -> None:
    response, elapsed = timed_post(one_slot.url, RUNAWAY)  # no timeout parameter: the 1 s default applies
    assert response.status_code == 504
    assert elapsed < 2.0
    busy = httpx.get(f"{one_slot.url}/sparql", params={"query": SIMPLE})
    assert busy.status_code == 503  # the runaway still runs in the only slot
    assert int(busy.headers["retry-after"]) >= 1
    assert "busy" in busy.text
    wait_until_free(one_slot)


def test_streaming_results_stop_at_the_deadline_and_free_their_slot(one_slot: LiveServer) -> None:
    wait_until_free(one_slot)
    response, elapsed = timed_post(one_slot.url, TRICKLE, timeout="100")  # capped at 2 s
    assert response.status_code == 504
    assert "2 s deadline" in response.text
    assert elapsed < 2.0 + 1.0
    time.sleep(0.2)
    after = httpx.get(f"{one_slot.url}/sparql", params={"query": SIMPLE})
    assert after.status_code == 200  # the per-row check stopped it: the slot is free again


def test_bad_timeout_values_are_400(one_slot: LiveServer) -> None:
    for value in ("abc", "0", "-3"):
        response = httpx.get(f"{one_slot.url}/sparql", params={"query": SIMPLE, "timeout": value})
        assert response.status_code == 400, value


# -- row cap and size caps -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def capped(live_server_factory: Callable[..., LiveServer]) -> Iterator[LiveServer]:
    server = live_server_factory(max_rows=5, max_upload_bytes=4000)
    server.update(
        "INSERT DATA { "
        + " ".join(f"<http://example.org/r{i}> <http://example.org/p> {i} ." for i in range(6))
        + " }"
    )
    server.update(
        "INSERT DATA { GRAPH <http://example.org/g> { "
        + " ".join(f"<http://example.org/r{i}> <http://example.org/p> {i} ." for i in range(6))
        + " } }"
    )
    yield server
    server.stop()


def test_results_over_the_row_cap_are_an_explicit_error(capped: LiveServer) -> None:
    with capped.client() as client:
        over = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert over.status_code == 422
        assert "more than 5 rows" in over.text
        exact = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
        assert exact.status_code == 200
        assert len(exact.json()["results"]["bindings"]) == 5
        for fmt in ("text/csv", "application/sparql-results+xml"):
            assert (
                client.get(
                    "/sparql", params={"query": "SELECT * { ?s ?p ?o }"}, headers={"Accept": fmt}
                ).status_code
                == 422
            )
        construct = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        assert construct.status_code == 422
        assert "more than 5 triples" in construct.text
        assert client.get("/store", params={"graph": "http://example.org/g"}).status_code == 422


def test_query_text_over_256_kib_is_a_413(capped: LiveServer) -> None:
    padding = "#" + "x" * (256 * 1024) + "\n"
    big = padding + "ASK {}"
    with capped.client() as client:
        assert (
            client.post(
                "/sparql", content=big, headers={"Content-Type": "application/sparql-query"}
            ).status_code
            == 413
        )
        assert client.post("/sparql", data={"query": big}).status_code == 413
        fits = "#" + "x" * (200 * 1024) + "\nASK {}"
        # GET too (httpx refuses such long URLs itself: http.client does not)
        host, port = capped.url.removeprefix("http://").split(":")
        for query, status in ((big, 413), (fits, 200)):
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            connection.request("GET", "/sparql?" + urlencode({"query": query}))
            assert connection.getresponse().status == status
            connection.close()
        assert (
            client.post(
                "/sparql", content=fits, headers={"Content-Type": "application/sparql-query"}
            ).status_code
            == 200
        )


def test_uploads_over_the_cap_are_a_413_and_change_nothing(capped: LiveServer) -> None:
    big = " ".join(f'<http://example.org/big{i}> <http://example.org/p> "{"y" * 40}" .' for i in range(100))
    assert len(big) > 4000
    with capped.client(headers=capped.auth) as client:
        put = client.put(
            "/store",
            params={"graph": "http://example.org/g"},
            content=big,
            headers={"Content-Type": "text/turtle"},
        )
        assert put.status_code == 413
        update = client.post(
            "/update",
            content=f"INSERT DATA {{ {big} }}",
            headers={"Content-Type": "application/sparql-update"},
        )
        assert update.status_code == 413
        ask = client.get("/sparql", params={"query": "ASK { <http://example.org/big0> ?p ?o }"})
        assert ask.json()["boolean"] is False


def test_row_cap_counts_exactly_when_values_look_like_row_separators(capped: LiveServer) -> None:
    """Literals holding '},{' or line breaks inflate the fast row bound; the cap must still be exact."""
    value = '"a},{b\\n},{c\\nd"'
    tricky = " ".join(f"<http://example.org/t{i}> <http://example.org/q> {value} ." for i in range(5))
    capped.update(f"INSERT DATA {{ GRAPH <http://example.org/tricky> {{ {tricky} }} }}")
    query = "SELECT ?s ?o WHERE { GRAPH <http://example.org/tricky> { ?s ?p ?o } }"
    with capped.client() as client:
        for accept in ("application/sparql-results+json", "text/csv", "application/sparql-results+xml"):
            response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
            assert response.status_code == 200, (accept, response.text)
        rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
        assert len(rows) == 5
        assert {row["o"]["value"] for row in rows} == {"a},{b\n},{c\nd"}
