"""PMC JATS articles: front matter, abstract, body sections, noise left out."""

from __future__ import annotations

from pathlib import Path

from loaders import ReadFailure, SourceDocument, read_path

DATA = Path(__file__).parent / "data"


def read_all(path: Path) -> list[SourceDocument | ReadFailure]:
    return list(read_path(path))


def article() -> SourceDocument:
    [doc] = read_all(DATA / "jats_article.nxml")
    assert isinstance(doc, SourceDocument)
    return doc


def sections(doc: SourceDocument) -> dict[str, str]:
    return {s.title or "": doc.text[s.start : s.end] for s in doc.sections}


def test_front_matter() -> None:
    doc = article()
    assert doc.doc_id == "pmid-33000001"
    assert doc.source.format == "jats"
    assert (
        doc.source.title == "Renal leiomyosarcoma with pancreatic metastasis: a case report"
    )  # xref dropped
    assert doc.source.journal == "Synthetic Case Reports in Oncology"
    assert (doc.source.pmid, doc.source.pmcid, doc.source.doi) == (
        "33000001",
        "PMC7700001",
        "10.5555/scro.2020.0031",
    )
    assert doc.source.year == 2021  # the issue (ppub) year, not the epub one


def test_sections_in_document_order() -> None:
    assert [s.title for s in article().sections] == [
        "Title",
        "Abstract: Background",
        "Abstract: Case presentation",
        "Introduction",
        "Case presentation",
        "Follow-up",
        "Discussion",
    ]


def test_case_presentation_reads_as_printed() -> None:
    text = sections(article())["Case presentation"]
    assert text.startswith("A 47-year-old woman presented with flank pain.")
    assert "mass of the left kidney (Figure 1). Left radical nephrectomy was performed;" in text
    assert "leiomyosarcoma\u2014grade 2 of 3." in text  # &mdash; from the external DTD's entity set
    assert "9 cm" in text
    assert "follow-up CT every 6 months;\n\nchest radiography yearly." in text


def test_noise_is_left_out() -> None:
    text = article().text
    for noise in (
        "Contrast CT of the abdomen",  # figure caption
        "Haemoglobin",  # table
        "Graphical abstract",  # graphical abstract
        "competing interests",  # COI section
        "We thank the patient",  # acknowledgements section
        "synthetic grant",  # <back><ack>
        "synthetic meeting",  # footnote
        "Renal sarcoma. J Synth",  # reference list
    ):
        assert noise not in text, noise
    assert "renal malignancies [1]." in text  # inline citations stay


def test_nested_section_keeps_its_own_span() -> None:
    follow_up = sections(article())["Follow-up"]
    assert follow_up.startswith("Twenty months later, a 2.5 cm mass appeared in the pancreatic body.")
    assert follow_up.endswith("The lungs remained free of disease.")


def test_articleset_without_ids_and_an_empty_article(tmp_path: Path) -> None:
    path = tmp_path / "pmc_set.xml"
    path.write_text(
        "<pmc-articleset>"
        "<article><front><article-meta><title-group><article-title>First</article-title></title-group>"
        "</article-meta></front><body><p>Untitled body paragraph.</p></body></article>"
        "<article><front><article-meta/></front></article>"
        "<article><front><article-meta><article-id pub-id-type='pmcid'>PMC42</article-id></article-meta>"
        "</front><body><sec><title>Case</title><p>A 30-year-old man.</p></sec></body></article>"
        "<article><body><p>Third without ids.</p></body></article>"
        "</pmc-articleset>",
        encoding="utf-8",
    )
    items = read_all(path)
    assert [getattr(i, "doc_id", None) for i in items] == ["pmc_set", None, "pmcid-PMC42", "pmc_set-2"]
    failure = items[1]
    assert isinstance(failure, ReadFailure)
    assert str(failure) == f"{path}:1: article 2: no title, abstract or body text"
    first = items[0]
    assert isinstance(first, SourceDocument)
    assert [(s.title, first.text[s.start : s.end]) for s in first.sections] == [
        ("Title", "First"),
        (None, "Untitled body paragraph."),
    ]
    assert first.text == "First\n\nUntitled body paragraph."
