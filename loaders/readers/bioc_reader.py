"""BioC collections, XML or JSON (PubTator, the BioC-PMC service, text-mining pipelines).

The ``bioc`` package reads each ``document`` (one at a time, so one broken document becomes
a ReadFailure and the others are still read). A document's passages are joined in order:
the passage typed ``title``/``front`` (section type ``TITLE``) is the article title; heading
passages (``title_1``, ``abstract_title_1``...) name the section of the passages that
follow; without a heading, the section is named from ``section_type`` ("DISCUSS" ->
"Discussion") or ``type``. References, tables, figure captions, footnotes and
acknowledgement/funding/conflict passages are left out. Passage offsets and annotations of
the input are not used: offsets refer to the text built here.

Identifiers come from the document's and its first passage's infons (``pmid``/``article-id_pmid``,
``pmcid``/``article-id_pmc``, ``doi``/``article-id_doi``, ``journal``, ``year``), or from the
document ``id`` when it is a PMC id, or a number in a collection whose source is PubMed,
PubTator or PMC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import bioc
from bioc.biocjson.decoder import parse_doc
from lxml import etree

from loaders.readers._base import ReadFailure, TextBuilder, clean_inline, make_document
from loaders.readers._detect import RawInput
from loaders.readers._ids import DocIdAllocator, id_doc_id, normalize_doi, normalize_pmcid, normalize_pmid
from loaders.readers._xml import parse_xml
from loaders.records import Source, SourceDocument
from sarcokg.errors import InputError

__all__ = ["read_bioc_json", "read_bioc_xml"]

_SKIPPED_TYPES = re.compile(r"ref|table.*|fig.*|footnote|.*caption.*|kwd|keyword")
_SKIPPED_SECTION_TYPES = frozenset(
    {"REF", "TABLE", "FIG", "SUPPL", "ACK_FUND", "AUTH_CONT", "COMP_INT", "ABBR", "KEYWORD", "REVIEW_INFO"}
)
_HEADING_TYPES = re.compile(r"(abstract_)?title_\d+")
_SECTION_NAMES = {
    "ABSTRACT": "Abstract",
    "INTRO": "Introduction",
    "CASE": "Case report",
    "METHODS": "Methods",
    "RESULTS": "Results",
    "DISCUSS": "Discussion",
    "CONCL": "Conclusions",
    "APPENDIX": "Appendix",
}
_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")


def _with_defaults(obj: Any, what: str, **defaults: Any) -> dict[str, Any]:
    """A copy of a BioC JSON object with the members the ``bioc`` decoder requires filled in
    (hand-written and some tools' BioC JSON leave empty ones out)."""
    if not isinstance(obj, dict):
        raise ValueError(f"a {what} must be a JSON object")
    filled = {"infons": {}, "annotations": [], "relations": [], **defaults, **obj}
    filled["infons"] = {str(k): str(v) for k, v in (filled["infons"] or {}).items() if v is not None}
    return filled


def read_bioc_xml(raw: RawInput, ids: DocIdAllocator) -> Iterator[SourceDocument | ReadFailure]:
    """Read a BioC XML collection (malformed XML raises InputError with line and column)."""
    root = parse_xml(raw.data, raw.display)
    if root.tag != "collection":
        raise InputError(f"not a BioC collection: root element <{root.tag}>", path=raw.display)
    source = root.findtext("source") or ""
    documents = root.findall("document")
    if not documents:
        raise InputError("no <document> in this BioC collection", path=raw.display)

    def convert(element: etree._Element) -> bioc.BioCDocument:
        document = etree.tostring(element, encoding="unicode")
        return bioc.biocxml.loads(f"<collection><source/><date/><key/>{document}</collection>").documents[0]

    items = [(source, element, element.sourceline) for element in documents]
    return _read_documents(items, convert, raw, ids)


def read_bioc_json(raw: RawInput, ids: DocIdAllocator) -> Iterator[SourceDocument | ReadFailure]:
    """Read a BioC JSON collection, or a list of them as the BioC-PMC service returns."""
    value = raw.json
    collections = value if isinstance(value, list) else [value]
    items: list[tuple[str, Any, int | None]] = []
    for collection in collections:
        if not isinstance(collection, dict) or not isinstance(collection.get("documents"), list):
            raise InputError("not a BioC collection: no 'documents' list", path=raw.display)
        items.extend((str(collection.get("source") or ""), doc, None) for doc in collection["documents"])
    if not items:
        raise InputError("no documents in this BioC collection", path=raw.display)

    def convert(obj: Any) -> bioc.BioCDocument:
        document = _with_defaults(obj, "document", id="", passages=[])
        passages = []
        for passage in document["passages"]:
            filled = _with_defaults(passage, "passage", offset=0, sentences=[])
            sentences = filled["sentences"]
            filled["sentences"] = [_with_defaults(s, "sentence", offset=0, text="") for s in sentences]
            passages.append(filled)
        document["passages"] = passages
        return parse_doc(document)

    return _read_documents(items, convert, raw, ids)


def _read_documents(
    items: list[tuple[str, Any, int | None]],
    convert: Any,
    raw: RawInput,
    ids: DocIdAllocator,
) -> Iterator[SourceDocument | ReadFailure]:
    for position, (collection_source, item, line) in enumerate(items, start=1):
        where = f"document {position}"
        try:
            document = convert(item)
            if document.id:
                where += f" (id {clean_inline(str(document.id))})"
            yield _read_document(document, collection_source, raw.display, ids)
        except (ValueError, TypeError, KeyError, AttributeError, etree.XMLSyntaxError) as exc:
            message = str(exc) if not isinstance(exc, KeyError) else f"missing {exc}"
            yield ReadFailure(raw.display, where, message or type(exc).__name__, line=line)


def _passage_text(passage: bioc.BioCPassage) -> str:
    if passage.text:
        return str(passage.text)
    return " ".join(str(sentence.text or "") for sentence in passage.sentences)


def _read_document(
    document: bioc.BioCDocument, collection_source: str, path: str, ids: DocIdAllocator
) -> SourceDocument:
    builder = TextBuilder()
    title = ""
    label: str | None = None
    paragraphs: list[str] = []
    heading: str | None = None
    heading_section_type = ""
    for passage in document.passages:
        infons = {str(k): str(v) for k, v in (passage.infons or {}).items() if v is not None}
        kind = infons.get("type", "").strip().lower()
        section_type = infons.get("section_type", "").strip().upper()
        text = _passage_text(passage)
        if section_type in _SKIPPED_SECTION_TYPES or _SKIPPED_TYPES.fullmatch(kind):
            continue
        if not title and (kind in ("title", "front") or section_type == "TITLE"):
            builder.add_section(label, paragraphs)
            label, paragraphs = None, []
            title = clean_inline(text)
            builder.add_section("Title", [title], heading=False)
            continue
        if _HEADING_TYPES.fullmatch(kind):
            heading, heading_section_type = clean_inline(text), section_type
            continue
        if heading is not None and section_type != heading_section_type:
            heading = None
        name = (
            heading
            or _SECTION_NAMES.get(section_type)
            or ("Abstract" if kind.startswith("abstract") else None)
        )
        if name != label or not paragraphs:
            builder.add_section(label, paragraphs)
            label, paragraphs = name, []
        paragraphs.append(text)
    builder.add_section(label, paragraphs)
    if not builder.sections:
        raise ValueError("no passage text")

    infons = _metadata_infons(document)
    pmid, pmcid = _ids_from_document_id(str(document.id or ""), collection_source)
    pmid = normalize_pmid(infons.get("pmid") or infons.get("article-id_pmid") or pmid)
    pmcid = normalize_pmcid(infons.get("pmcid") or infons.get("pmc") or infons.get("article-id_pmc")) or pmcid
    doi = normalize_doi(infons.get("doi") or infons.get("article-id_doi"))
    year_match = _YEAR.search(infons.get("year", ""))
    source = Source(
        title=title or None,
        pmid=pmid,
        doi=doi,
        pmcid=pmcid,
        journal=clean_inline(infons.get("journal", "")) or None,
        year=int(year_match.group(1)) if year_match else None,
        format="bioc",
    )
    doc_id = ids.claim(id_doc_id(pmid=pmid, pmcid=pmcid, doi=doi))
    return make_document(doc_id, builder.text, builder.sections, source, path=path)


def _metadata_infons(document: bioc.BioCDocument) -> dict[str, str]:
    """Document infons, then those of the first passage (where BioC-PMC puts article ids)."""
    merged: dict[str, str] = {}
    sources = [document.infons or {}]
    if document.passages:
        sources.append(document.passages[0].infons or {})
    for infons in sources:
        for key, value in infons.items():
            if value is not None and str(value).strip():
                merged.setdefault(str(key).lower(), str(value).strip())
    return merged


def _ids_from_document_id(doc_id: str, collection_source: str) -> tuple[str | None, str | None]:
    """(pmid, pmcid) that a BioC document id stands for, as far as it can be told.

    >>> _ids_from_document_id("PMC4800223", ""), _ids_from_document_id("4800223", "PMC")
    ((None, 'PMC4800223'), (None, 'PMC4800223'))
    >>> _ids_from_document_id("29393513", "PubTator"), _ids_from_document_id("29393513", "my corpus")
    (('29393513', None), (None, None))
    """
    doc_id = doc_id.strip()
    if re.fullmatch(r"PMC\d+", doc_id, flags=re.IGNORECASE):
        return None, normalize_pmcid(doc_id)
    if doc_id.isascii() and doc_id.isdigit():
        origin = collection_source.lower()
        if "pmc" in origin:
            return None, normalize_pmcid(doc_id)
        if "pubmed" in origin or "pubtator" in origin:
            return doc_id, None
    return None, None
