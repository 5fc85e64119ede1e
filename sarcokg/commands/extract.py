"""``sarcokg extract FILE [--format json|turtle]``: print a report's case records; no store.

JSON is DESIGN.md §4: one object when the file yields one patient, a list otherwise.
Turtle is the RDF the store would hold for the file (report, provenance, patients,
evidence), without the named graph.

A file that cannot be read at all is one error line and exit status 1. A file with
several reports (a PubMed set) where some cannot be read or extracted prints the
records of the good ones on stdout, one error line per bad one on stderr, and exits 1,
so that a script notices while a reader still gets what could be read.
"""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sarcokg.errors import InputError

if TYPE_CHECKING:
    from loaders.records import CaseRecord, SourceDocument

__all__ = ["OutputFormat", "extract"]


class OutputFormat(enum.StrEnum):
    """Output formats of ``sarcokg extract``."""

    json = "json"
    turtle = "turtle"


def extract(
    file: Annotated[
        Path, typer.Argument(help="A report: .txt, PubMed/JATS/BioC XML, BioC JSON, curated YAML/JSON.")
    ],
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="json (DESIGN.md §4 case records) or turtle (RDF).")
    ] = OutputFormat.json,
) -> None:
    """Extract the case record(s) of one report file and print them (no store is touched)."""
    from loaders import ReadFailure, extract_document, read_path

    results: list[tuple[SourceDocument, list[CaseRecord]]] = []
    failures: list[str] = []
    for item in read_path(file):  # raises InputError when the file cannot be read at all
        if isinstance(item, ReadFailure):
            failures.append(str(item))
            continue
        try:
            results.append((item, extract_document(item)))
        except InputError as exc:
            failures.append(str(exc))
    if not results:
        _report(failures or [f"{file}: no report found"])
    if format is OutputFormat.json:
        records = [r.model_dump(mode="json") for _doc, recs in results for r in recs]
        payload: object = records[0] if len(records) == 1 else records
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_turtle(results))
    if failures:
        _report(failures)


def _report(failures: list[str]) -> None:
    for message in failures:
        print(f"sarcokg: error: {message}", file=sys.stderr)
    raise typer.Exit(1)


def _turtle(results: list[tuple[SourceDocument, list[CaseRecord]]]) -> str:
    from datetime import UTC, datetime

    import pyoxigraph

    from graph.mapping import document_to_quads
    from sarcokg import __version__
    from sarcokg.config import get_settings

    base = get_settings().base_iri
    now = datetime.now(UTC)
    triples: list[pyoxigraph.Triple] = []
    for doc, records in results:
        quads = document_to_quads(doc, records, base_iri=base, generated_at=now, version=__version__)
        triples.extend(q.triple for q in quads)
    prefixes = {
        "smo": "https://w3id.org/sarcokg/ontology#",
        "oa": "http://www.w3.org/ns/oa#",
        "prov": "http://www.w3.org/ns/prov#",
        "dcterms": "http://purl.org/dc/terms/",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    }
    data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)
    assert data is not None
    return data.decode("utf-8")
