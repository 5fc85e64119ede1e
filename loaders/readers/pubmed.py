"""PubMed XML as E-utilities ``efetch`` returns it: a ``PubmedArticleSet`` of many articles.

Each ``PubmedArticle`` (or ``PubmedBookArticle``) becomes one document: the article title,
then the abstract, one section per labelled ``AbstractText`` of a structured abstract
("BACKGROUND", "CASE PRESENTATION"...), or one "Abstract" section. An article that cannot be
read (no title or abstract text, a PMID that is not a number, a PMID seen earlier in the
file) becomes a ReadFailure naming its position and PMID; the others are still read.
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

__all__ = ["read_pubmed"]

_ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle")
_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")


def read_pubmed(raw: RawInput, ids: DocIdAllocator) -> Iterator[SourceDocument | ReadFailure]:
    """Parse the whole file now (malformed XML raises InputError); convert articles lazily."""
    root = parse_xml(raw.data, raw.display)
    articles = [root] if root.tag in _ARTICLE_TAGS else [el for el in root if el.tag in _ARTICLE_TAGS]
    if not articles:
        raise InputError("no PubmedArticle in this PubMed file", path=raw.display)
    return _read_articles(articles, raw.display, ids)


def _read_articles(
    articles: list[etree._Element], path: str, ids: DocIdAllocator
) -> Iterator[SourceDocument | ReadFailure]:
    for position, article in enumerate(articles, start=1):
        pmid_text = clean_inline(article.findtext("MedlineCitation/PMID") or "") or clean_inline(
            article.findtext("BookDocument/PMID") or ""
        )
        where = f"article {position}" + (f" (PMID {pmid_text})" if pmid_text else "")
        try:
            yield _read_article(article, pmid_text, path, ids)
        except ValueError as exc:
            yield ReadFailure(path, where, str(exc), line=article.sourceline)


def _read_article(article: etree._Element, pmid_text: str, path: str, ids: DocIdAllocator) -> SourceDocument:
    pmid = normalize_pmid(pmid_text)
    if article.tag == "PubmedBookArticle":
        citation = article.find("BookDocument")
        title_el = None if citation is None else citation.find("ArticleTitle")
        if citation is not None and not inner_text(title_el).strip():
            title_el = citation.find("Book/BookTitle")
        journal = None
        date = None if citation is None else citation.find("Book/PubDate")
        id_list = article.findall("PubmedBookData/ArticleIdList/ArticleId")
    else:
        citation = article.find("MedlineCitation/Article")
        title_el = None if citation is None else citation.find("ArticleTitle")
        journal = None if citation is None else citation.findtext("Journal/Title")
        date = None if citation is None else citation.find("Journal/JournalIssue/PubDate")
        id_list = article.findall("PubmedData/ArticleIdList/ArticleId")
    if citation is None:
        raise ValueError("not a complete PubMed record (no MedlineCitation/Article or BookDocument)")

    title = clean_inline(inner_text(title_el))
    builder = TextBuilder()
    builder.add_section("Title", [title], heading=False)
    for label, paragraphs in _abstract_sections(citation.find("Abstract")):
        builder.add_section(label, paragraphs)
    if not builder.sections:
        raise ValueError("no abstract or title text")

    article_ids = {(el.get("IdType") or "").lower(): clean_inline(inner_text(el)) for el in id_list}
    if pmid is None:
        pmid = normalize_pmid(article_ids.get("pubmed"))
    pmcid = normalize_pmcid(article_ids.get("pmc"))
    doi = normalize_doi(article_ids.get("doi"))
    if doi is None:
        doi = normalize_doi(citation.findtext("ELocationID[@EIdType='doi']"))
    year = _year(date)
    if year is None:
        year = _year(citation.find("ArticleDate"))
    source = Source(
        title=title or None,
        pmid=pmid,
        doi=doi,
        pmcid=pmcid,
        journal=clean_inline(journal or "") or None,
        year=year,
        format="pubmed",
    )
    doc_id = ids.claim(id_doc_id(pmid=pmid, pmcid=pmcid, doi=doi))
    return make_document(doc_id, builder.text, builder.sections, source, path=path)


def _abstract_sections(abstract: etree._Element | None) -> list[tuple[str, list[str]]]:
    """(label, paragraphs) per labelled part; unlabelled parts run together as "Abstract"."""
    if abstract is None:
        return []
    sections: list[tuple[str, list[str]]] = []
    for part in abstract.findall("AbstractText"):
        label = clean_inline(part.get("Label") or "")
        text = inner_text(part)
        if not label and sections and sections[-1][0] == "Abstract":
            sections[-1][1].append(text)
        else:
            sections.append((label or "Abstract", [text]))
    return sections


def _year(date: etree._Element | None) -> int | None:
    """The year of a PubMed date: ``<Year>`` or the first year in ``<MedlineDate>``.

    >>> from lxml import etree
    >>> _year(etree.fromstring("<PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate>"))
    1998
    """
    if date is None:
        return None
    for text in (date.findtext("Year"), date.findtext("MedlineDate")):
        match = _YEAR.search(text or "")
        if match:
            return int(match.group(1))
    return None
