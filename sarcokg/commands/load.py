"""`sarcokg load` (placeholder until its issue lands)."""

from __future__ import annotations

from sarcokg.errors import SarcoKGError


def load() -> None:
    """Not implemented yet."""
    raise SarcoKGError("'sarcokg load' is not implemented yet")
