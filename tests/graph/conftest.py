"""Fixtures for the store tests: ``any_store``, each backend in turn.

The session servers (``oxigraph_url``, ``virtuoso_url`` and their ``*_remote`` stores) come from
``tests/conftest.py``, shared with the other areas; the helpers behind them are in
:mod:`tests.servers`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import EmbeddedStore, Store
from tests.servers import RemoteTestStore


@pytest.fixture(params=["embedded", "oxigraph", "virtuoso"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each backend in turn, without test data: a fresh embedded store, or a session server
    cleaned of the graphs earlier tests created."""
    if request.param == "embedded":
        embedded = EmbeddedStore(tmp_path / "store")
        yield embedded
        embedded.close()
        return
    remote: RemoteTestStore = request.getfixturevalue(f"{request.param}_remote")
    remote.cleanup()
    yield remote.store
    remote.cleanup()
