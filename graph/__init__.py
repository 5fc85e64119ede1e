"""graph: case records as RDF, the stores that hold them, loading and export.

What this package owns:

- :mod:`graph.store` — the one :class:`Store` interface (select, ask, query_raw, update,
  atomic ``replace_graph``, drop, streaming ``graph_quads``, ``named_graphs``, ``count``).
- :mod:`graph.embedded` — :class:`EmbeddedStore`, pyoxigraph on disk (``SARCOKG_STORE``),
  with a journalled bulk path for large batches of new report graphs.
- :mod:`graph.remote` — :class:`RemoteStore`, any SPARQL 1.1 Query/Update + Graph Store
  server (``SARCOKG_ENDPOINT``), tested on ``oxigraph serve`` and Virtuoso.
- :mod:`graph.mapping` / :mod:`graph.ontology_graph` — CaseRecord -> quads (one named graph
  per report) and the ontology + roll-up closure graphs; :mod:`graph.record_reader` the reverse.
- :mod:`graph.loading` — the load pipeline behind ``sarcokg load`` and ``POST /api/reports``:
  skip unchanged reports by SHA-256, replace changed ones, write each report atomically.
- :mod:`graph.export` — streamed dumps behind ``sarcokg export``.

:func:`open_store` picks the backend from the settings:

>>> import tempfile
>>> from pathlib import Path
>>> from sarcokg.config import Settings
>>> store = open_store(Settings(store=Path(tempfile.mkdtemp()) / "s", _env_file=None))
>>> type(store).__name__, store.count()
('EmbeddedStore', 0)
>>> store.close()
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.embedded import EmbeddedStore
    from graph.remote import RemoteStore, ResultCapError
    from graph.store import ResultFormat, Store
    from sarcokg.config import Settings

__all__ = ["EmbeddedStore", "RemoteStore", "ResultCapError", "ResultFormat", "Store", "open_store"]

# Imported on first use, so that ``import graph.export`` (for a command's options) stays cheap.
_LAZY = {
    "EmbeddedStore": "graph.embedded",
    "RemoteStore": "graph.remote",
    "ResultCapError": "graph.remote",
    "ResultFormat": "graph.store",
    "Store": "graph.store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")


def open_store(settings: Settings) -> Store:
    """The remote store when ``settings.endpoint`` is set, else the embedded store folder.

    Raises :class:`~sarcokg.errors.StoreLockedError` when another process (usually
    ``sarcokg serve``) holds the embedded store; the message says how to load through it.
    """
    from graph.embedded import EmbeddedStore
    from graph.remote import RemoteStore

    if settings.endpoint:
        return RemoteStore(
            settings.endpoint,
            settings.update_endpoint,
            settings.gsp_endpoint,
            settings.endpoint_user,
            settings.endpoint_password,
            timeout_s=settings.max_query_timeout_s,
        )
    return EmbeddedStore(settings.store, service_url=f"http://{settings.host}:{settings.port}")
