"""A ``select(sparql, timeout_s=)`` view of the service's backend, for the helpers of ``graph`` and
``queries`` (``record_from_store``, ``queries.registry.run``) and the statistics scans.

>>> import pyoxigraph as ox
>>> from api.backend import OxigraphBackend
>>> BackendSelect(OxigraphBackend(ox.Store())).select("SELECT ?x WHERE { BIND(1 AS ?x) }")[0]["x"].value
'1'
"""

from __future__ import annotations

from typing import Any

from api.backend import Backend
from api.executor import Deadline

__all__ = ["UNCAPPED", "BackendSelect"]

#: Internal queries (scans, one case's triples) are not user queries: no row cap of their own.
UNCAPPED = 1 << 62


class BackendSelect:
    """``select(sparql, timeout_s=None)`` over a backend, bound to one job's deadline.

    The helpers in ``graph`` and ``queries`` take any object with this method; inside a service
    job this adapter gives them the backend with that job's deadline and row cap.
    """

    def __init__(
        self, backend: Backend, *, deadline: Deadline | None = None, max_rows: int = UNCAPPED
    ) -> None:
        self.backend = backend
        self.deadline = deadline
        self.max_rows = max_rows

    def select(self, sparql: str, *, timeout_s: float | None = None) -> list[dict[str, Any]]:
        """Rows of a SELECT (the job's deadline applies; ``timeout_s`` is accepted and ignored)."""
        return self.backend.select(sparql, deadline=self.deadline, max_rows=self.max_rows)
