"""`sarcokg export` (placeholder until its issue lands)."""

from __future__ import annotations

from sarcokg.errors import SarcoKGError


def export() -> None:
    """Not implemented yet."""
    raise SarcoKGError("'sarcokg export' is not implemented yet")
