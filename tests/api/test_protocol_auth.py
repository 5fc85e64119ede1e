"""Writes need ``Authorization: Bearer <SARCOKG_TOKEN>``; with no token set, the service is read-only."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.api.conftest import LiveServer

INSERT = "INSERT DATA { <http://example.org/a> <http://example.org/p> 1 }"
ASK = "ASK { <http://example.org/a> ?p ?o }"
TURTLE = {"Content-Type": "text/turtle"}
BODY = "<http://example.org/a> <http://example.org/p> 2 ."


def writes(server: LiveServer, headers: dict[str, str]) -> list[httpx.Response]:
    """One of every kind of write, with ``headers``."""
    url = server.url
    return [
        httpx.post(f"{url}/update", data={"update": INSERT}, headers=headers),
        httpx.post(
            f"{url}/update", content=INSERT, headers={"Content-Type": "application/sparql-update", **headers}
        ),
        httpx.put(f"{url}/store?graph=http://example.org/g", content=BODY, headers={**TURTLE, **headers}),
        httpx.post(f"{url}/store?default", content=BODY, headers={**TURTLE, **headers}),
        httpx.post(f"{url}/store", content=BODY, headers={**TURTLE, **headers}),
        httpx.put(f"{url}/store/direct/g", content=BODY, headers={**TURTLE, **headers}),
        httpx.delete(f"{url}/store?default", headers=headers),
    ]


def store_is_empty(server: LiveServer) -> bool:
    response = httpx.get(
        f"{server.url}/sparql", params={"query": "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"}
    )
    return response.json()["boolean"] is False


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({}, None),
        ({"Authorization": "Bearer wrong-token-0000"}, "invalid_token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "invalid_token"),
        ({"Authorization": "Bearer"}, "invalid_token"),
    ],
    ids=["missing", "wrong", "basic", "empty"],
)
def test_writes_without_the_right_token_are_401(
    shared_live_server: LiveServer, headers: dict[str, str], error: str | None
) -> None:
    shared_live_server.update("DROP ALL")
    for response in writes(shared_live_server, headers):
        assert response.status_code == 401, (response.request.method, response.request.url)
        challenge = response.headers["www-authenticate"]
        assert challenge.startswith("Bearer ")
        assert (f'error="{error}"' in challenge) if error else ("error=" not in challenge)
    assert store_is_empty(shared_live_server)


def test_the_right_token_writes(shared_live_server: LiveServer) -> None:
    shared_live_server.update("DROP ALL")
    statuses = [r.status_code for r in writes(shared_live_server, shared_live_server.auth)]
    assert statuses == [204, 204, 201, 204, 201, 201, 204]
    in_graph = "ASK { GRAPH <http://example.org/g> { <http://example.org/a> ?p 2 } }"
    assert httpx.get(f"{shared_live_server.url}/sparql", params={"query": in_graph}).json()["boolean"] is True
    assert (
        httpx.get(f"{shared_live_server.url}/sparql", params={"query": ASK}).json()["boolean"] is False
    )  # DELETE ?default


def test_reads_need_no_token(shared_live_server: LiveServer) -> None:
    assert httpx.get(f"{shared_live_server.url}/sparql", params={"query": "ASK {}"}).status_code == 200
    assert httpx.get(f"{shared_live_server.url}/store?default").status_code == 200


def test_without_a_configured_token_the_service_is_read_only(
    live_server_factory: Callable[..., LiveServer],
) -> None:
    server = live_server_factory(token=None)
    try:
        for headers in ({}, {"Authorization": "Bearer anything-at-all"}):
            for response in writes(server, headers):
                assert response.status_code == 403, (response.request.method, response.request.url)
                assert "read-only" in response.text
        assert store_is_empty(server)
        assert httpx.get(f"{server.url}/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
    finally:
        server.stop()
