"""Plain-text reports: one document per file, the text exactly as decoded.

The document id is the file's stem (``seed-000.txt`` -> ``seed-000``) unless the text
carries its own identifier lines as PubMed's text export does (``PMID: 12345678``,
``PMCID: PMC1234567``, ``DOI: 10.1000/xyz`` at the start of a line, one value each).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from loaders.readers._base import ReadFailure, make_document
from loaders.readers._detect import RawInput
from loaders.readers._ids import DocIdAllocator, id_doc_id, normalize_doi, normalize_pmcid
from loaders.records import Section, Source, SourceDocument
from sarcokg.errors import InputError

__all__ = ["identifier_lines", "read_text"]

_ID_LINES = {
    "pmid": re.compile(r"^[ \t]*PMID:[ \t]*(\d+)\b", re.MULTILINE),
    "pmcid": re.compile(r"^[ \t]*PMCID:[ \t]*(PMC\d+)\b", re.MULTILINE | re.IGNORECASE),
    "doi": re.compile(r"^[ \t]*DOI:[ \t]*(10\.\d{4,9}/\S+)", re.MULTILINE | re.IGNORECASE),
}


def identifier_lines(text: str) -> dict[str, str | None]:
    """PMID, PMCID and DOI from identifier lines, when each names exactly one value.

    >>> identifier_lines("Title.\\n\\nDOI: 10.1000/xyz.1\\nPMID: 12345678 [Indexed for MEDLINE]\\n")
    {'pmid': '12345678', 'pmcid': None, 'doi': '10.1000/xyz.1'}
    >>> identifier_lines("PMID: 1\\nPMID: 2")["pmid"] is None   # two different: not this report's id
    True
    """
    found: dict[str, str | None] = {}
    for key, pattern in _ID_LINES.items():
        values = {match.group(1) for match in pattern.finditer(text)}
        found[key] = values.pop() if len(values) == 1 else None
    found["pmcid"] = normalize_pmcid(found["pmcid"])
    found["doi"] = normalize_doi(found["doi"])
    return found


def read_text(raw: RawInput, ids: DocIdAllocator) -> Iterator[SourceDocument | ReadFailure]:
    """Read a plain-text report: one SourceDocument, one untitled section over its content."""
    text = raw.text
    if not text.strip():
        raise InputError("file contains only whitespace", path=raw.display)
    identifiers = identifier_lines(text)
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    doc = make_document(
        ids.claim(id_doc_id(**identifiers)),
        text,
        [Section(title=None, start=start, end=end)],
        Source(format="text", **identifiers),
        path=raw.display,
    )
    return iter([doc])
