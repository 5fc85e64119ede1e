"""Document ids: ``pmid-<PMID>``, ``pmcid-<PMCID>``, ``doi-<slug>`` or a slug of the file's
stem, unique within one file (the contract in loaders/records.py).

Several documents without identifiers in one file get ``<stem>``, ``<stem>-2``,
``<stem>-3``...; two documents with the same identifier in one file are an error for the
second, because they would share case ids and overwrite each other in the store.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

__all__ = [
    "COMPOUND_SUFFIXES",
    "DocIdAllocator",
    "DuplicateDocIdError",
    "id_doc_id",
    "normalize_doi",
    "normalize_pmcid",
    "normalize_pmid",
    "report_stem",
    "slugify",
]

COMPOUND_SUFFIXES = (".bioc.xml", ".bioc.json")


def slugify(text: str) -> str:
    """A lower-case ASCII slug usable in an IRI and as a case-id prefix.

    >>> slugify("Case Report (Smith 2019)")
    'case-report-smith-2019'
    >>> slugify("Über_Fall 7")
    'uber_fall-7'
    >>> slugify("10.1186/S13569-016-0046-2")
    '10.1186-s13569-016-0046-2'
    >>> slugify("???")
    'report'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9._-]+", "-", ascii_text)
    slug = re.sub(r"-{2,}", "-", slug).strip("-._")
    return slug or "report"


def report_stem(path: str | Path) -> str:
    """A file's name without its report extension (``.bioc.xml`` counts as one).

    >>> report_stem("examples/seed-000.txt"), report_stem("pmc/set.bioc.json"), report_stem("notes")
    ('seed-000', 'set', 'notes')
    """
    name = Path(path).name
    for suffix in COMPOUND_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return Path(name).stem or name


def normalize_pmid(value: str | None) -> str | None:
    """A PMID as digits, or None when absent; raises ValueError when it is not a number.

    >>> normalize_pmid(" 12345678 "), normalize_pmid(None)
    ('12345678', None)
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        raise ValueError(f"PMID {value!r} is not a number")
    return value


def normalize_pmcid(value: str | None) -> str | None:
    """A PMC id as ``PMC<digits>`` (JATS and BioC often give only the digits).

    >>> normalize_pmcid("1234567"), normalize_pmcid("pmc1234567"), normalize_pmcid("n/a")
    ('PMC1234567', 'PMC1234567', None)
    """
    if value is None:
        return None
    match = re.fullmatch(r"(?:PMC)?\s*(\d+)", value.strip(), flags=re.IGNORECASE)
    return f"PMC{match.group(1)}" if match else None


def normalize_doi(value: str | None) -> str | None:
    """A bare DOI (no resolver prefix), or None when the value is not a DOI.

    >>> normalize_doi("https://doi.org/10.1186/s13569-016-0046-2")
    '10.1186/s13569-016-0046-2'
    >>> normalize_doi("doi: 10.1000/xyz"), normalize_doi("none")
    ('10.1000/xyz', None)
    """
    if value is None:
        return None
    match = re.search(r"10\.\d{4,9}/\S+", value.strip())
    return match.group(0).rstrip(".") if match else None


def id_doc_id(*, pmid: str | None = None, pmcid: str | None = None, doi: str | None = None) -> str | None:
    """The identifier-based doc id, preferring PMID, then PMCID, then DOI.

    >>> id_doc_id(pmid="123", doi="10.1/x"), id_doc_id(pmcid="PMC9"), id_doc_id(doi="10.1/A.b")
    ('pmid-123', 'pmcid-PMC9', 'doi-10.1-a.b')
    >>> id_doc_id() is None
    True
    """
    if pmid:
        return f"pmid-{pmid}"
    if pmcid:
        return f"pmcid-{pmcid}"
    if doi:
        return f"doi-{slugify(doi)}"
    return None


class DuplicateDocIdError(ValueError):
    """A second document in one file with a doc id already used."""


class DocIdAllocator:
    """Hands out unique doc ids for the documents of one file.

    >>> ids = DocIdAllocator("examples/seed-000.txt")
    >>> ids.claim(None), ids.claim(None), ids.claim("pmid-1")
    ('seed-000', 'seed-000-2', 'pmid-1')
    >>> try:
    ...     ids.claim("pmid-1")
    ... except DuplicateDocIdError as exc:
    ...     print(exc)
    duplicate: pmid-1 is already used by an earlier document of this file
    """

    def __init__(self, path: str | Path) -> None:
        self.stem = slugify(report_stem(path))
        self._used: set[str] = set()
        self._unnamed = 0

    def claim(self, preferred: str | None) -> str:
        """Reserve ``preferred`` (an identifier-based id) or the next stem-based id."""
        if preferred is not None:
            if preferred in self._used:
                raise DuplicateDocIdError(
                    f"duplicate: {preferred} is already used by an earlier document of this file"
                )
            self._used.add(preferred)
            return preferred
        while True:
            self._unnamed += 1
            candidate = self.stem if self._unnamed == 1 else f"{self.stem}-{self._unnamed}"
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate
