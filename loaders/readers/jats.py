"""PMC JATS articles (``<article>``, or a ``<pmc-articleset>`` of them, as PMC's efetch gives).

Text layout: the article title; the abstract, one section per abstract ``<sec>`` titled
"Abstract: Background"... (or one "Abstract" section); then the body, one section per
``<sec>`` with its ``<title>`` ("Case presentation", "Discussion"...), nested sections in
document order. Left out as noise for extraction: figures, tables, formulas, footnotes,
references and the whole ``<back>``, and body sections about funding, conflicts of
interest, acknowledgements, author contributions and supplementary material. Inline
citations ("[3]") stay, so sentences read as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from loaders.readers._base import ReadFailure, TextBuilder, clean_inline, make_document
from loaders.readers._detect import RawInput
from loaders.readers._ids import DocIdAllocator, id_doc_id, normalize_doi, normalize_pmcid, normalize_pmid
from loaders.readers._xml import inner_text, parse_xml
from loaders.records import Source, SourceDocument
from sarcokg.errors import InputError

__all__ = ["read_jats"]

# Elements inside a paragraph whose text is not part of the sentence around them.
_INLINE_NOISE = frozenset(
    {
        "fig",
        "fig-group",
        "table-wrap",
        "table-wrap-group",
        "disp-formula",
        "supplementary-material",
        "fn",
        "alternatives",
        "graphic",
        "media",
        "object-id",
    }
)
_BLOCKS = frozenset({"p", "list", "disp-quote", "statement", "boxed-text", "def-list", "verse-group"})
_SKIPPED_SEC_TYPES = frozenset(
    {
        "supplementary-material",
        "coi-statement",
        "conflict",
        "funding",
        "acknowledgment",
        "acknowledgments",
        "author-contributions",
        "abbreviations",
        "data-availability",
        "display-objects",
        "ethics-statement",
    }
)
_SKIPPED_SEC_TITLES = re.compile(
    r"^\s*(acknowledge?ments?|funding|financial (support|disclosure)|conflicts? of interests?|"
    r"competing interests?|declaration of (competing )?interests?|disclosures?|author(s'|'s)? contributions?|"
    r"abbreviations|supplementary (material|data|information)|data availability( statement)?)\s*$",
    re.IGNORECASE,
)
_SKIPPED_ABSTRACT_TYPES = frozenset({"graphical", "teaser", "toc", "precis", "web-summary", "editor"})
_DATE_PREFERENCE = ("ppub", "collection", "epub-ppub", "epub", "pub")
_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")


def read_jats(raw: RawInput, ids: DocIdAllocator) -> Iterator[SourceDocument | ReadFailure]:
    """Parse the whole file now (malformed XML raises InputError); convert articles lazily."""
    root = parse_xml(raw.data, raw.display)
    articles = [root] if root.tag == "article" else root.findall("article")
    if not articles:
        raise InputError("no <article> in this JATS file", path=raw.display)
    return _read_articles(articles, raw.display, ids)


def _read_articles(
    articles: list[etree._Element], path: str, ids: DocIdAllocator
) -> Iterator[SourceDocument | ReadFailure]:
    for position, article in enumerate(articles, start=1):
        meta = article.find("front/article-meta")
        given = _given_ids(meta)
        where = f"article {position}" if len(articles) > 1 else "article"
        if given.get("pmid"):
            where += f" (PMID {given['pmid']})"
        elif given.get("pmc"):
            where += f" ({normalize_pmcid(given['pmc']) or given['pmc']})"
        elif given.get("doi"):
            where += f" (DOI {given['doi']})"
        try:
            yield _read_article(article, meta, given, path, ids)
        except ValueError as exc:
            yield ReadFailure(path, where, str(exc), line=article.sourceline)


def _given_ids(meta: etree._Element | None) -> dict[str, str]:
    """The article's ``article-id`` values by type (``pmcid`` counted as ``pmc``)."""
    given: dict[str, str] = {}
    for element in [] if meta is None else meta.findall("article-id"):
        kind = (element.get("pub-id-type") or "").lower().replace("pmcid", "pmc")
        given.setdefault(kind, clean_inline(inner_text(element)))
    return given


def _read_article(
    article: etree._Element,
    meta: etree._Element | None,
    given: dict[str, str],
    path: str,
    ids: DocIdAllocator,
) -> SourceDocument:
    pmid = normalize_pmid(given.get("pmid"))
    pmcid = normalize_pmcid(given.get("pmc"))
    doi = normalize_doi(given.get("doi"))
    title = ""
    year = None
    if meta is not None:
        title_el = meta.find("title-group/article-title")
        title = clean_inline(inner_text(title_el, skip=_INLINE_NOISE | {"xref"}))
        year = _year(meta)
    journal = clean_inline(
        article.findtext("front/journal-meta/journal-title-group/journal-title")
        or article.findtext("front/journal-meta/journal-title")
        or ""
    )

    builder = TextBuilder()
    builder.add_section("Title", [title], heading=False)
    if meta is not None:
        for abstract in meta.findall("abstract"):
            if (abstract.get("abstract-type") or "").lower() not in _SKIPPED_ABSTRACT_TYPES:
                _add_abstract(builder, abstract)
    body = article.find("body")
    if body is not None:
        builder.add_section(None, _paragraphs(body))
        for sec in body.findall("sec"):
            _add_sec(builder, sec)
    if not builder.sections:
        raise ValueError("no title, abstract or body text")

    source = Source(title=title or None, pmid=pmid, doi=doi, pmcid=pmcid, year=year, format="jats")
    source.journal = journal or None
    doc_id = ids.claim(id_doc_id(pmid=pmid, pmcid=pmcid, doi=doi))
    return make_document(doc_id, builder.text, builder.sections, source, path=path)


def _add_abstract(builder: TextBuilder, abstract: etree._Element) -> None:
    heading = clean_inline(inner_text(abstract.find("title"))) or "Abstract"
    builder.add_section(heading, _paragraphs(abstract))
    for sec in abstract.findall("sec"):
        _add_sec(builder, sec, prefix="Abstract: ")


def _add_sec(builder: TextBuilder, sec: etree._Element, prefix: str = "") -> None:
    title = clean_inline(inner_text(sec.find("title"), skip=_INLINE_NOISE))
    if (sec.get("sec-type") or "").lower() in _SKIPPED_SEC_TYPES or _SKIPPED_SEC_TITLES.match(title):
        return
    builder.add_section(prefix + title if title else None, _paragraphs(sec))
    for child in sec.findall("sec"):
        _add_sec(builder, child, prefix)


def _paragraphs(container: etree._Element) -> list[str]:
    """The text blocks directly inside a section (not those of its sub-sections)."""
    paragraphs: list[str] = []
    for child in container:
        if not isinstance(child.tag, str) or child.tag not in _BLOCKS:
            continue
        if child.tag == "p":
            paragraphs.append(inner_text(child, skip=_INLINE_NOISE))
        elif child.tag == "list":
            paragraphs.extend(inner_text(item, skip=_INLINE_NOISE) for item in child.findall("list-item"))
        else:
            nested = _paragraphs(child)
            paragraphs.extend(nested or [inner_text(child, skip=_INLINE_NOISE | {"title", "label"})])
    return paragraphs


def _year(meta: etree._Element) -> int | None:
    """The issue year (ppub/collection) when given, else the electronic one, else any."""
    years: dict[str, int] = {}
    for date in meta.findall("pub-date"):
        kind = (date.get("pub-type") or date.get("date-type") or "").lower()
        match = _YEAR.search(date.findtext("year") or "")
        if match:
            years.setdefault(kind, int(match.group(1)))
    for kind in _DATE_PREFERENCE:
        if kind in years:
            return years[kind]
    return next(iter(years.values()), None)
