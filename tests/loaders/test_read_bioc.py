"""BioC collections in XML and JSON, read with the ``bioc`` package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders import InputFormat, ReadFailure, SourceDocument, read_path
from sarcokg.errors import InputError

DATA = Path(__file__).parent / "data"


def documents(path: Path) -> list[SourceDocument]:
    items = list(read_path(path))
    assert all(isinstance(item, SourceDocument) for item in items), [str(i) for i in items]
    return [item for item in items if isinstance(item, SourceDocument)]


def test_pmc_style_xml_sections_from_headings() -> None:
    first, _ = documents(DATA / "pmc_cases.bioc.xml")
    assert first.doc_id == "pmid-33000002"
    assert first.source.format == "bioc"
    assert (first.source.pmcid, first.source.doi, first.source.year) == (
        "PMC7700002",
        "10.5555/scro.2021.0002",
        2021,
    )
    assert first.source.journal == "Synthetic Case Reports in Oncology"
    assert first.source.title == "Adrenal and hepatic metastases of a uterine leiomyosarcoma"
    spans = {s.title: first.text[s.start : s.end] for s in first.sections}
    assert list(spans) == ["Title", "Abstract", "Introduction", "Case report", "Discussion"]
    assert spans["Case report"] == (
        "A 52-year-old woman underwent total hysterectomy for uterine leiomyosarcoma.\n\n"
        "Eighteen months later, CT showed a right adrenal mass and two liver lesions; "
        "she received gemcitabine and docetaxel."
    )
    assert "CT showing the adrenal mass" not in first.text  # figure caption
    assert "J Synth. 2003" not in first.text  # reference


def test_document_without_ids_is_named_by_the_stem_and_sentences_are_joined() -> None:
    _, second = documents(DATA / "pmc_cases.bioc.xml")
    assert second.doc_id == "pmc_cases"  # ".bioc.xml" is one extension
    assert second.source.pmid is None and second.source.pmcid is None
    assert second.text == (
        "Femoral metastasis of a myxoid liposarcoma\n\n"
        "A 45-year-old man had a myxoid liposarcoma of the right thigh. "
        "A lesion of the left femur appeared two years later."
    )
    assert [s.title for s in second.sections] == ["Title", None]


def test_pubtator_json_ids_from_document_ids() -> None:
    docs = documents(DATA / "pubtator_cases.bioc.json")
    assert [d.doc_id for d in docs] == ["pmid-34000001", "pmid-34000002"]
    first = docs[0]
    assert (first.source.journal, first.source.year) == ("Synthetic Sarcoma Reports", 2015)
    assert [(s.title, first.text[s.start : s.end][:17]) for s in first.sections] == [
        ("Title", "Cardiac metastasi"),
        ("Abstract", "A 17-year-old boy"),
    ]


def test_json_list_of_collections(tmp_path: Path) -> None:
    collection = json.loads((DATA / "pubtator_cases.bioc.json").read_text(encoding="utf-8"))
    other = {"source": "PMC", "documents": [{"id": "PMC555", "passages": [{"text": "A 5-year-old girl."}]}]}
    path = tmp_path / "several.json"
    path.write_text(json.dumps([collection, other]), encoding="utf-8")
    assert [d.doc_id for d in documents(path)] == ["pmid-34000001", "pmid-34000002", "pmcid-PMC555"]


def test_broken_json_document_among_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "mixed.bioc.json"
    path.write_text(
        json.dumps(
            {
                "source": "corpus",
                "documents": [
                    {"id": "a", "passages": [{"infons": {"type": "title"}, "text": "Good one."}]},
                    {"id": "b", "passages": "not a list of passages"},
                    {"id": "c", "passages": []},
                    {"id": "d", "passages": [{"text": "Good two."}]},
                ],
            }
        ),
        encoding="utf-8",
    )
    items = list(read_path(path))
    assert [getattr(i, "doc_id", None) for i in items] == ["mixed", None, None, "mixed-2"]
    assert [str(i) for i in items if isinstance(i, ReadFailure)] == [
        f"{path}: document 2: a passage must be a JSON object",
        f"{path}: document 3 (id c): no passage text",
    ]


def test_broken_xml_document_among_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "mixed.xml"
    path.write_text(
        "<collection><source>corpus</source>\n"
        "<document><id>1</id><passage><offset>0</offset><text>Good.</text></passage></document>\n"
        "<document><id>2</id><passage><offset>zero</offset><text>Bad offset.</text></passage></document>\n"
        "</collection>",
        encoding="utf-8",
    )
    good, bad = read_path(path)
    assert isinstance(good, SourceDocument) and good.text == "Good."
    assert isinstance(bad, ReadFailure)
    assert str(bad).startswith(f"{path}:3: document 2: ")


def test_malformed_bioc_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.bioc.json"
    path.write_text('{"source": "x",\n "documents": [\n  {"id": 1,,}\n]}', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_path(path)
    assert str(info.value).startswith(f"{path}:3:")
    assert "malformed JSON" in str(info.value)


def test_xml_content_decides_within_the_xml_family(tmp_path: Path) -> None:
    pubmed = tmp_path / "misnamed.bioc.xml"
    pubmed.write_text(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article>"
        "<ArticleTitle>Lung metastasis.</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        "</PubmedArticleSet>",
        encoding="utf-8",
    )
    [doc] = read_path(pubmed)
    assert isinstance(doc, SourceDocument) and doc.source.format == "pubmed"
    html = tmp_path / "page.bioc.xml"
    html.write_text("<html><body>A 64-year-old woman.</body></html>", encoding="utf-8")
    with pytest.raises(InputError, match=r"root element <html>, expected <collection>"):
        read_path(html)


def test_format_enum_values() -> None:
    assert InputFormat("bioc-xml") is InputFormat.BIOC_XML
    assert InputFormat.BIOC_XML.source_format == InputFormat.BIOC_JSON.source_format == "bioc"
