"""Project-wide pytest settings and the real SPARQL servers every area shares (per-area fixtures
live in tests/<area>/conftest.py).

``oxigraph_url`` and ``virtuoso_url`` are one real ``oxigraph serve`` and one Virtuoso 7 for the
whole session (helpers in :mod:`tests.servers`), started on first use and stopped at the end. A
missing Virtuoso skips its tests locally (with the reason) and fails them when ``CI=true``.
Tests that write to a session server remove what they wrote (``*_remote`` fixtures help).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from graph import RemoteStore
from tests.servers import VIRTUOSO_USER, RemoteTestStore, start_oxigraph, start_virtuoso, stop


def pytest_configure(config: pytest.Config) -> None:
    """Keep spaCy/medspaCy and friends quiet and offline in tests."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The query URL of a real ``oxigraph serve`` shared by the session."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server.query_url
    stop(server.process)


@pytest.fixture(scope="session")
def virtuoso_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The /sparql URL of a real Virtuoso 7 (skipped locally if absent; a failure when CI=true)."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server.query_url
    stop(server.process)


@pytest.fixture(scope="session")
def oxigraph_remote(oxigraph_url: str) -> Iterator[RemoteTestStore]:
    """A RemoteStore on the session's ``oxigraph serve`` that can drop what a test added."""
    remote = RemoteTestStore(RemoteStore(oxigraph_url))
    yield remote
    remote.store.close()


@pytest.fixture(scope="session")
def virtuoso_remote(virtuoso_url: str) -> Iterator[RemoteTestStore]:
    """A RemoteStore (with the admin login) on the session's Virtuoso that can drop what a test added."""
    remote = RemoteTestStore(RemoteStore(virtuoso_url, user=VIRTUOSO_USER[0], password=VIRTUOSO_USER[1]))
    yield remote
    remote.store.close()
