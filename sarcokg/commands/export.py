"""``sarcokg export``: the store as an RDF dump, streamed to a file or standard output."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from graph.export import ExportFormat


def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="RDF syntax. nquads, trig and jsonld keep named graphs; turtle, ntriples and rdfxml "
            "cannot, so without --graph they get the union of all graphs.",
        ),
    ] = ExportFormat.NQUADS,
    compress: Annotated[bool, typer.Option("--gzip", help="Compress the output with gzip.")] = False,
    graph: Annotated[
        str | None,
        typer.Option("--graph", help="Export only this named graph (its IRI).", show_default=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default: standard output).", show_default=False),
    ] = None,
) -> None:
    """Export the store (SARCOKG_STORE, or SARCOKG_ENDPOINT when set) as RDF.

    Streamed in constant memory, so any store size works. A file given with --output is
    written under a temporary name and renamed when complete, so it is never half-written.
    """
    from graph import open_store
    from graph._sparql import iri_ref
    from graph.export import export as write_export
    from sarcokg.config import get_settings
    from sarcokg.errors import InputError, SarcoKGError, StoreLockedError

    if graph is not None:
        try:
            iri_ref(graph)
        except ValueError:
            raise typer.BadParameter(f"{graph!r} is not an absolute IRI", param_hint="--graph") from None
    settings = get_settings()
    try:
        opened = open_store(settings)
    except StoreLockedError:
        raise StoreLockedError(
            f"the store {settings.store} is locked by another process (is 'sarcokg serve' running?); "
            f"stop it, or download the service's dump: "
            f"curl -O http://{settings.host}:{settings.port}/dumps/sarcokg.nq.gz"
        ) from None
    with opened as store:
        if graph is not None and not store.ask(f"ASK {{ GRAPH {iri_ref(graph)} {{ ?s ?p ?o }} }}"):
            raise SarcoKGError(f"the store has no named graph <{graph}>")
        if output is None:
            write_export(store, sys.stdout.buffer, fmt, graph_iri=graph, compress=compress)
            sys.stdout.buffer.flush()
            return
        partial = output.with_name(f".{output.name}.partial")
        try:
            with open(partial, "wb") as handle:
                write_export(store, handle, fmt, graph_iri=graph, compress=compress)
            os.replace(partial, output)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror or exc}", path=output) from None
        finally:
            partial.unlink(missing_ok=True)
    print(f"exported {fmt.value} to {output} ({output.stat().st_size:,} bytes)", file=sys.stderr)
