"""`sarcokg serve` (placeholder until its issue lands)."""

from __future__ import annotations

from sarcokg.errors import SarcoKGError


def serve() -> None:
    """Not implemented yet."""
    raise SarcoKGError("'sarcokg serve' is not implemented yet")
