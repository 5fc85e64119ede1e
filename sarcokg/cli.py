"""The ``sarcokg`` command line: a thin typer layer over the packages (DESIGN.md §7).

Each command lives in ``sarcokg/commands/<name>.py`` and imports its heavy dependencies
inside the function, so ``sarcokg --help`` stays fast. Every ``SarcoKGError`` becomes one
line on stderr and exit status 1.
"""

from __future__ import annotations

import sys

import typer

from sarcokg.commands import export, extract, load, ontology, query, serve
from sarcokg.errors import SarcoKGError

__all__ = ["app", "main"]

app = typer.Typer(
    name="sarcokg",
    help="SarcoKG: the open knowledge graph of sarcoma metastasis case reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("extract")(extract.extract)
app.command("load")(load.load)
app.command("query")(query.query)
app.command("export")(export.export)
app.command("serve")(serve.serve)
app.add_typer(ontology.app, name="ontology")


def main() -> None:
    """Entry point: run the app, turning SarcoKG errors into one-line messages."""
    try:
        app()
    except SarcoKGError as exc:
        print(f"sarcokg: error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("sarcokg: interrupted", file=sys.stderr)
        sys.exit(130)
