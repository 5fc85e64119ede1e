"""`sarcokg query` (placeholder until its issue lands)."""

from __future__ import annotations

from sarcokg.errors import SarcoKGError


def query() -> None:
    """Not implemented yet."""
    raise SarcoKGError("'sarcokg query' is not implemented yet")
