"""Pieces every reader shares: the per-document failure, the text builder that keeps
section offsets exact, and the content hash the loader uses to skip unchanged reports."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from loaders.records import CaseRecord, Section, Source, SourceDocument
from sarcokg.errors import InputError

__all__ = ["ReadFailure", "TextBuilder", "clean_inline", "content_sha256", "make_document"]


@dataclass(frozen=True)
class ReadFailure:
    """One document of a file that could not be read; the file's other documents still are.

    ``where`` names the document ("article 2 (PMID 12345678)", "record 3"); ``str()`` is
    the one-line message a user sees, in the same shape as :class:`InputError`.

    >>> str(ReadFailure("set.xml", "article 2 (PMID 123)", "no abstract or title text"))
    'set.xml: article 2 (PMID 123): no abstract or title text'
    >>> str(ReadFailure("cases.yaml", "record 2", "patient.age: input should be a valid integer", line=7))
    'cases.yaml:7: record 2: patient.age: input should be a valid integer'
    """

    path: str
    where: str
    message: str
    line: int | None = None

    def as_error(self) -> InputError:
        """The same failure as an exception, for callers that stop at the first one."""
        return InputError(self.message, path=self.path, line=self.line, where=self.where)

    def __str__(self) -> str:
        return str(self.as_error())


def clean_inline(text: str) -> str:
    """Collapse the whitespace that XML layout puts inside a paragraph into single spaces.

    >>> clean_inline("  Renal\\n      leiomyosarcoma\\u00a0(LMS) ")
    'Renal leiomyosarcoma (LMS)'
    """
    return " ".join(text.split())


class TextBuilder:
    """Assemble a document's text block by block, recording each section's exact span.

    Sections are separated by a blank line; a section's heading, when shown, sits on its own
    line just before the body, and the section's span covers the body only, so
    ``text[section.start:section.end]`` is exactly the section's paragraphs.

    >>> b = TextBuilder()
    >>> b.add_section("Title", ["Lung metastasis of a renal leiomyosarcoma"], heading=False)
    >>> b.add_section("Case presentation", ["A 64-year-old woman.", "  She died.  "])
    >>> print(b.text)
    Lung metastasis of a renal leiomyosarcoma
    <BLANKLINE>
    Case presentation
    A 64-year-old woman.
    <BLANKLINE>
    She died.
    >>> s = b.sections[1]
    >>> (s.title, b.text[s.start:s.end].splitlines()[0])
    ('Case presentation', 'A 64-year-old woman.')
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.sections: list[Section] = []

    def add_section(self, title: str | None, paragraphs: list[str], *, heading: bool = True) -> None:
        """Append one section; empty paragraphs are dropped and an empty section is skipped."""
        body = [p for p in (clean_inline(p) for p in paragraphs) if p]
        if not body:
            return
        if self._length:
            self._append("\n\n")
        title = clean_inline(title) if title else None
        if title and heading:
            self._append(title + "\n")
        start = self._length
        self._append("\n\n".join(body))
        self.sections.append(Section(title=title or None, start=start, end=self._length))

    def _append(self, piece: str) -> None:
        self._parts.append(piece)
        self._length += len(piece)

    @property
    def text(self) -> str:
        return "".join(self._parts)


def content_sha256(doc: SourceDocument) -> str:
    """Hex SHA-256 of what a document says, not of the file it came from.

    Hashed: ``doc_id``, ``text``, ``sections``, the bibliographic fields of ``source``
    (not ``path`` nor ``sha256`` itself) and curated ``records`` (without their
    ``source.path``/``source.sha256``), as canonical JSON. One file may hold many documents,
    so a per-document hash lets the loader skip exactly the reports that did not change;
    moving a file or re-encoding it (Latin-1 to UTF-8, CRLF to LF) does not change it.

    >>> doc = SourceDocument(doc_id="seed-000", text="A 64-year-old woman.")
    >>> moved = doc.model_copy(update={"source": Source(path="elsewhere/seed-000.txt")})
    >>> content_sha256(doc) == content_sha256(moved)
    True
    >>> content_sha256(doc) == content_sha256(doc.model_copy(update={"text": "A 65-year-old woman."}))
    False
    """
    volatile = {"path", "sha256"}
    payload = {
        "doc_id": doc.doc_id,
        "text": doc.text,
        "sections": [s.model_dump(mode="json") for s in doc.sections],
        "source": doc.source.model_dump(mode="json", exclude=volatile),
        "records": None
        if doc.records is None
        else [r.model_dump(mode="json", exclude={"source": volatile}) for r in doc.records],
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def make_document(
    doc_id: str,
    text: str,
    sections: list[Section],
    source: Source,
    *,
    path: str,
    records: list[CaseRecord] | None = None,
) -> SourceDocument:
    """Build a SourceDocument with ``source.path`` and ``source.sha256`` filled in.

    >>> doc = make_document("seed-000", "Text.", [], Source(format="text"), path="seed-000.txt")
    >>> (doc.source.path, len(doc.source.sha256))
    ('seed-000.txt', 64)
    """
    doc = SourceDocument(
        doc_id=doc_id,
        text=text,
        sections=sections,
        source=source.model_copy(update={"path": path}),
        records=records,
    )
    doc.source.sha256 = content_sha256(doc)
    return doc
