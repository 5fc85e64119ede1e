"""The SarcoKG HTTP service (``sarcokg serve``).

What this package owns:

* ``app.create_app(settings)``: the FastAPI app; the store is opened once, at start-up;
* ``service.SparqlService``: the only door to the store (``backend``), with the guards, a deadline
  on every query, a bounded pool of query threads, one writer thread and a generation counter;
* ``routes/sparql.py``, ``routes/update.py``, ``routes/store.py``: SPARQL 1.1 Protocol
  (``/sparql``, ``/update``) and Graph Store Protocol (``/store``), content negotiation
  (``negotiation``), result writers (``results``);
* ``deps``: ``SettingsDep``, ``ServiceDep``, ``RequireWriter`` (bearer token for every write);
* ``guards``: SERVICE and LOAD refused before evaluation (server-side request forgery);
* ``cors``: CORS for reads only; ``head``: HEAD wherever GET is; ``errors``: every
  ``SarcoKGError`` mapped to one HTTP status; ``http``: capped bodies, ETags, per-method routes;
* ``routes/research.py`` and its helpers: researcher endpoints, linked data, dumps, VoID.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from api.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    """``api.create_app`` on first use: importing ``api.guards`` alone stays light."""
    if name == "create_app":
        from api.app import create_app

        return create_app
    raise AttributeError(f"module 'api' has no attribute {name!r}")
