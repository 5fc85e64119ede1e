"""`sarcokg extract` (placeholder until its issue lands)."""

from __future__ import annotations

from sarcokg.errors import SarcoKGError


def extract() -> None:
    """Not implemented yet."""
    raise SarcoKGError("'sarcokg extract' is not implemented yet")
