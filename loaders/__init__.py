"""Loaders: from the files researchers have to case records.

Owns two steps and the shapes between them:

- reading (``loaders.readers``): a report file in plain text, PubMed XML, PMC JATS, BioC
  XML/JSON or curated YAML/JSON records becomes one or more :class:`SourceDocument` (text,
  sections with exact offsets, PMID/PMCID/DOI, journal, year, format, content hash), or a
  :class:`ReadFailure` for a report that cannot be read while the rest of its file can.
  A file that cannot be read at all raises ``sarcokg.errors.InputError``.
- extraction: a SourceDocument becomes :class:`CaseRecord` objects (one per patient) with
  evidence spans into the document's text; curated documents carry their records already.

``loaders.records`` holds the pydantic models both sides share (DESIGN.md §4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from loaders.readers import InputFormat, ReadFailure, content_sha256, iter_report_files, read_path
from loaders.records import CaseRecord, Evidence, Section, Source, SourceDocument, Term

if TYPE_CHECKING:
    from loaders.extraction import extract_document

__all__ = [
    "CaseRecord",
    "Evidence",
    "InputFormat",
    "ReadFailure",
    "Section",
    "Source",
    "SourceDocument",
    "Term",
    "content_sha256",
    "extract_document",
    "iter_report_files",
    "read_path",
]


def __getattr__(name: str) -> Any:
    """Import extraction (spaCy, medspaCy: about a second) only when it is first used."""
    if name == "extract_document":
        from loaders.extraction import extract_document

        return extract_document
    raise AttributeError(f"module 'loaders' has no attribute {name!r}")
