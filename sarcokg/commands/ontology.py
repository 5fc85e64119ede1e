"""``sarcokg ontology check|export``: validate ``sarcoma.ttl`` after an edit, or render it.

The logic lives in :mod:`ontology.check` and :mod:`ontology.export`; this module only parses
options, resolves which file to use (``--ontology``, else ``SARCOKG_ONTOLOGY``, else the
bundled file) and sets the exit status.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from sarcokg.errors import SarcoKGError

__all__ = ["app", "check", "export"]

# Kept in step with ontology.export.OntologyFormat (a test checks it); spelled out here so that
# `sarcokg --help` does not import rdflib.
_FORMATS = ("rdfxml", "ntriples", "turtle", "jsonld")

app = typer.Typer(help="Check or export the ontology.", no_args_is_help=True)


def _ontology_path(option: Path | None) -> Path:
    from ontology import ONTOLOGY_FILE
    from sarcokg.config import get_settings

    return option or get_settings().ontology or ONTOLOGY_FILE


@app.command("check")
def check(
    ontology: Path | None = typer.Option(
        None, "--ontology", help="Turtle file to check (default: SARCOKG_ONTOLOGY or the bundled one)."
    ),
    reasoner: bool = typer.Option(
        True, "--reasoner/--no-reasoner", help="Run HermiT for consistency (starts a JVM, ~1 s)."
    ),
) -> None:
    """Parse with rdflib, pyoxigraph and py-horned-owl, reason with HermiT, lint, and count terms.

    Prints the counts always, one line per problem, and exits 1 when there is any problem.
    """
    from ontology.check import check_ontology

    report = check_ontology(_ontology_path(ontology), reasoner=reasoner)
    for line in report.lines():
        print(line)
    if not report.ok:
        raise typer.Exit(1)


@app.command("export")
def export(
    fmt: str = typer.Option("rdfxml", "--format", "-f", help=f"One of: {', '.join(_FORMATS)}."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
    ontology: Path | None = typer.Option(
        None, "--ontology", help="Turtle file to export (default: SARCOKG_ONTOLOGY or the bundled one)."
    ),
) -> None:
    """Render the ontology as RDF/XML, N-Triples, Turtle or JSON-LD."""
    from ontology.export import OntologyFormat, export_ontology

    try:
        chosen = OntologyFormat.parse(fmt)
    except ValueError as exc:
        raise SarcoKGError(str(exc)) from None
    data = export_ontology(chosen, path=_ontology_path(ontology))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise SarcoKGError(f"{output}: cannot write: {exc.strerror or exc}") from exc
    print(f"wrote {output} ({chosen.value}, {len(data)} bytes)", file=sys.stderr)
