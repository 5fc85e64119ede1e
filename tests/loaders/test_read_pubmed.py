"""PubMed XML as efetch returns it: many articles, structured abstracts, one broken article."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import ReadFailure, SourceDocument, read_path
from sarcokg.errors import InputError

DATA = Path(__file__).parent / "data"


def documents(path: Path) -> list[SourceDocument]:
    items = list(read_path(path))
    assert all(isinstance(item, SourceDocument) for item in items), [str(i) for i in items]
    return [item for item in items if isinstance(item, SourceDocument)]


def section_text(doc: SourceDocument, title: str) -> str:
    [section] = [s for s in doc.sections if s.title == title]
    return doc.text[section.start : section.end]


def test_every_article_becomes_a_document_in_order() -> None:
    docs = documents(DATA / "pubmed_set.xml")
    assert [d.doc_id for d in docs] == ["pmid-31000001", "pmid-31000002", "pmid-31000003"]
    assert {d.source.format for d in docs} == {"pubmed"}
    assert len({d.source.sha256 for d in docs}) == 3


def test_structured_abstract_labels_become_sections() -> None:
    doc = documents(DATA / "pubmed_set.xml")[0]
    assert [s.title for s in doc.sections] == ["Title", "BACKGROUND", "CASE PRESENTATION", "CONCLUSIONS"]
    case = section_text(doc, "CASE PRESENTATION")
    assert case.startswith(
        "A 58-year-old man underwent resection of a retroperitoneal leiomyosarcoma in 2012."
    )
    assert case.endswith("There was no evidence of liver or lung metastases.")
    assert "\n" not in case  # XML indentation inside the paragraph is collapsed
    assert "CASE PRESENTATION\n" + case in doc.text  # the label is shown as a heading line
    assert "©" not in doc.text  # CopyrightInformation is not report text


def test_bibliographic_fields() -> None:
    first, second, third = documents(DATA / "pubmed_set.xml")
    assert first.source.title == (
        "Pancreatic metastasis of a retroperitoneal leiomyosarcoma six years after resection: a case report."
    )
    assert first.source.journal == "Journal of Synthetic Oncology Cases"
    assert (first.source.pmid, first.source.pmcid, first.source.doi) == (
        "31000001",
        "PMC6400001",
        "10.5555/jsoc.2019.0142",
    )  # not the ids of the cited reference
    assert first.source.year == 2019
    assert second.source.year == 2018  # from <MedlineDate>2018 Nov-Dec</MedlineDate>
    assert second.source.doi == "10.5555/ssr.40.611"  # from <ELocationID>
    assert second.source.pmcid is None
    assert third.source.year == 2021


def test_inline_markup_and_entities_are_plain_text() -> None:
    second = documents(DATA / "pubmed_set.xml")[1]
    assert "lesion of the right femur." in second.text
    assert "nodules <2 cm" in second.text
    assert "doxorubicin & ifosfamide" in second.text
    assert [s.title for s in second.sections] == ["Title", "Abstract"]


def test_unlabelled_abstract_parts_are_one_section_of_paragraphs() -> None:
    third = documents(DATA / "pubmed_set.xml")[2]
    abstract = section_text(third, "Abstract")
    assert abstract.split("\n\n") == [
        "A 22-year-old man with alveolar soft part sarcoma of the thigh developed headaches.",
        "Magnetic resonance imaging showed a solitary cerebellar metastasis, which was treated with "
        "stereotactic radiosurgery.",
    ]


def test_broken_articles_are_failures_and_the_good_ones_are_read() -> None:
    items = list(read_path(DATA / "pubmed_one_broken.xml"))
    assert [type(i).__name__ for i in items] == [
        "SourceDocument",
        "ReadFailure",
        "SourceDocument",
        "ReadFailure",
        "ReadFailure",
    ]
    good = [i for i in items if isinstance(i, SourceDocument)]
    assert [d.doc_id for d in good] == ["pmid-32000001", "pmid-32000003"]
    empty, mangled, duplicate = (i for i in items if isinstance(i, ReadFailure))
    assert empty.where == "article 2 (PMID 32000002)"
    assert str(empty).endswith("article 2 (PMID 32000002): no abstract or title text")
    assert str(empty).startswith(str(DATA / "pubmed_one_broken.xml") + ":")
    assert mangled.where == "article 4 (PMID not-a-pmid)"
    assert "is not a number" in mangled.message
    assert duplicate.where == "article 5 (PMID 32000001)"
    assert "duplicate" in duplicate.message
    for failure in (empty, mangled, duplicate):
        assert "\n" not in str(failure)
        assert isinstance(failure.as_error(), InputError)


def test_single_pubmed_article_root(tmp_path: Path) -> None:
    path = tmp_path / "one.xml"
    path.write_text(
        "<PubmedArticle><MedlineCitation><PMID>123</PMID><Article><ArticleTitle>Lung metastasis of a "
        "liposarcoma.</ArticleTitle></Article></MedlineCitation></PubmedArticle>",
        encoding="utf-8",
    )
    [doc] = documents(path)
    assert doc.doc_id == "pmid-123"
    assert doc.text == "Lung metastasis of a liposarcoma."


def test_article_without_pmid_is_named_by_doi_then_stem(tmp_path: Path) -> None:
    article = (
        "<PubmedArticle><MedlineCitation><Article><ArticleTitle>{title}</ArticleTitle>{eloc}</Article>"
        "</MedlineCitation></PubmedArticle>"
    )
    path = tmp_path / "No Ids.xml"
    path.write_text(
        "<PubmedArticleSet>"
        + article.format(title="First.", eloc='<ELocationID EIdType="doi">10.5555/A.B/7</ELocationID>')
        + article.format(title="Second.", eloc="")
        + article.format(title="Third.", eloc="")
        + "</PubmedArticleSet>",
        encoding="utf-8",
    )
    assert [d.doc_id for d in documents(path)] == ["doi-10.5555-a.b-7", "no-ids", "no-ids-2"]


def test_a_set_without_articles_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "empty-set.xml"
    path.write_text("<PubmedArticleSet></PubmedArticleSet>", encoding="utf-8")
    with pytest.raises(InputError, match="no PubmedArticle"):
        read_path(path)
