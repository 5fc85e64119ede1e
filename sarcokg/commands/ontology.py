"""`sarcokg ontology check|export` (placeholder until its issue lands)."""

from __future__ import annotations

import typer

from sarcokg.errors import SarcoKGError

app = typer.Typer(help="Check or export the ontology.", no_args_is_help=True)


@app.command("check")
def check() -> None:
    """Not implemented yet."""
    raise SarcoKGError("'sarcokg ontology check' is not implemented yet")
