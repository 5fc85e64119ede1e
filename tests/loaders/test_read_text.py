"""Plain-text reports: the seeds, encodings, line ends, identifier lines."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from loaders import ReadFailure, SourceDocument, read_path
from loaders.readers import content_sha256

ROOT = Path(__file__).resolve().parents[2]
REPORT = (
    "A 64-year-old woman underwent right radical nephrectomy.\nLung metastases appeared 15 months later.\n"
)


def only_document(path: Path | str) -> SourceDocument:
    items = list(read_path(path))
    assert len(items) == 1
    assert not isinstance(items[0], ReadFailure), str(items[0])
    return items[0]


@pytest.mark.parametrize("seed", ["seed-000", "seed-001"])
def test_seed_text_is_the_file_content(seed: str) -> None:
    path = ROOT / "examples" / f"{seed}.txt"
    doc = only_document(path)
    assert doc.doc_id == seed
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.source.format == "text"
    assert doc.source.path == str(path)
    assert doc.records is None
    [section] = doc.sections
    assert doc.text[section.start : section.end] == doc.text.strip()


def test_seed_000_mentions_what_extraction_needs() -> None:
    doc = only_document(ROOT / "examples" / "seed-000.txt")
    assert "64-year-old woman" in doc.text
    assert "15 months after nephrectomy" in doc.text


def test_sha256_is_of_the_content_not_the_path(tmp_path: Path) -> None:
    first = tmp_path / "a" / "report.txt"
    second = tmp_path / "b" / "report.txt"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(REPORT, encoding="utf-8")
    one, two = only_document(first), only_document(second)
    assert one.source.path != two.source.path
    assert one.source.sha256 == two.source.sha256 == content_sha256(one)
    first.write_text(REPORT.replace("64", "65"), encoding="utf-8")
    assert only_document(first).source.sha256 != one.source.sha256
    # the hash is not simply that of the file bytes (one file may hold many documents)
    assert one.source.sha256 != hashlib.sha256(REPORT.encode()).hexdigest()


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + REPORT.encode("utf-8"))
    assert only_document(path).text == REPORT


def test_crlf_and_cr_line_ends_become_newlines(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(REPORT.replace("\n", "\r\n").encode("utf-8") + b"Old Mac line\rend\r")
    doc = only_document(path)
    assert "\r" not in doc.text
    assert doc.text == REPORT + "Old Mac line\nend\n"
    start = doc.text.index("15 months")
    assert doc.text[start : start + 9] == "15 months"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_western_encoding_is_detected(tmp_path: Path, encoding: str) -> None:
    text = "Patientin (64 Jahre) aus Málaga: Leiomyosarkom der Niere, 5 × 4 cm, Tumor größer als 3 cm.\n"
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    assert only_document(path).text == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_utf16_and_utf32(tmp_path: Path, encoding: str) -> None:
    text = "A 64-year-old woman with a renal leiomyosarcoma — lung metastases 15 months later.\n"
    data = text.encode(encoding)
    path = tmp_path / "wide.txt"
    path.write_bytes(data)
    assert only_document(path).text == text


def test_control_characters_are_replaced_one_for_one(tmp_path: Path) -> None:
    path = tmp_path / "pdftotext.txt"
    path.write_bytes(b"Page one text.\x0cPage two\x07 text.\n")
    doc = only_document(path)
    assert doc.text == "Page one text.\nPage two  text.\n"


def test_identifier_lines_give_the_doc_id(tmp_path: Path) -> None:
    path = tmp_path / "abstract.txt"
    path.write_text(
        "1. Synth Sarcoma Rep. 2019;3:1-4.\n\nPancreatic metastasis of a leiomyosarcoma.\n\n"
        "A 58-year-old man...\n\nDOI: 10.5555/ssr.2019.0001\nPMID: 31000009 [Indexed for MEDLINE]\n",
        encoding="utf-8",
    )
    doc = only_document(path)
    assert doc.doc_id == "pmid-31000009"
    assert (doc.source.pmid, doc.source.doi) == ("31000009", "10.5555/ssr.2019.0001")


def test_stem_slug_is_the_doc_id(tmp_path: Path) -> None:
    path = tmp_path / "Case Report (Smith 2019).txt"
    path.write_text(REPORT, encoding="utf-8")
    assert only_document(path).doc_id == "case-report-smith-2019"


def test_str_path_is_accepted_and_kept_as_given(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert only_document(str(path)).source.path == str(path)
