"""Format detection: extensions, content sniffing, files without extension, forcing a format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders import InputFormat, SourceDocument, read_path
from loaders.readers._detect import RawInput, detect_format
from sarcokg.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"

FIXTURES = {
    "pubmed_set.xml": InputFormat.PUBMED,
    "jats_article.nxml": InputFormat.JATS,
    "pmc_cases.bioc.xml": InputFormat.BIOC_XML,
    "pubtator_cases.bioc.json": InputFormat.BIOC_JSON,
    "cases.yaml": InputFormat.RECORD_YAML,
    "case.json": InputFormat.RECORD_JSON,
}


def detect(path: Path) -> InputFormat:
    return detect_format(RawInput(path, path.read_bytes()))


@pytest.mark.parametrize(("name", "expected"), FIXTURES.items())
def test_fixture_formats(name: str, expected: InputFormat) -> None:
    assert detect(DATA / name) is expected


@pytest.mark.parametrize(("name", "expected"), FIXTURES.items())
def test_sniffing_without_extension_gives_the_same_documents(
    tmp_path: Path, name: str, expected: InputFormat
) -> None:
    bare = tmp_path / "report"
    shutil.copy(DATA / name, bare)
    assert detect(bare) is expected
    with_ext = [d for d in read_path(DATA / name) if isinstance(d, SourceDocument)]
    without = [d for d in read_path(bare) if isinstance(d, SourceDocument)]
    assert [d.text for d in without] == [d.text for d in with_ext]
    assert {d.source.format for d in without} == {expected.source_format}


@pytest.mark.parametrize(
    ("name", "renamed"),
    [
        ("pubmed_set.xml", "a.xml"),
        ("jats_article.nxml", "b.xml"),
        ("pmc_cases.bioc.xml", "c.xml"),
        ("pubtator_cases.bioc.json", "d.json"),
        ("case.json", "e.json"),
    ],
)
def test_generic_extensions_are_refined_by_content(tmp_path: Path, name: str, renamed: str) -> None:
    target = tmp_path / renamed
    shutil.copy(DATA / name, target)
    assert detect(target) is FIXTURES[name]


def test_seed_without_extension_is_text(tmp_path: Path) -> None:
    bare = tmp_path / "seed"
    shutil.copy(ROOT / "examples" / "seed-000.txt", bare)
    assert detect(bare) is InputFormat.TEXT
    [doc] = read_path(bare)
    assert isinstance(doc, SourceDocument) and doc.doc_id == "seed"


def test_markdown_report_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "case.md"
    path.write_text("# Case\n\nA 70-year-old man had an angiosarcoma of the scalp.\n", encoding="utf-8")
    assert detect(path) is InputFormat.TEXT


def test_text_extension_is_trusted_even_for_markup_like_content(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("<5 cm nodules were seen in both lungs of a 40-year-old woman.\n", encoding="utf-8")
    assert detect(path) is InputFormat.TEXT


def test_yaml_records_are_sniffed_but_yaml_like_prose_is_not(tmp_path: Path) -> None:
    records = tmp_path / "entry"
    records.write_text("case_id: entry-1\npatient: {age: 40, sex: male}\n", encoding="utf-8")
    assert detect(records) is InputFormat.RECORD_YAML
    prose = tmp_path / "prose"
    prose.write_text("Diagnosis: leiomyosarcoma of the kidney in a 64-year-old woman.\n", encoding="utf-8")
    assert detect(prose) is InputFormat.TEXT


def test_utf16_xml_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "wide"
    text = (
        (DATA / "jats_article.nxml")
        .read_text(encoding="utf-8")
        .replace('encoding="UTF-8"', 'encoding="UTF-16"')
    )
    path.write_bytes(text.encode("utf-16"))
    assert detect(path) is InputFormat.JATS
    [doc] = read_path(path)
    assert isinstance(doc, SourceDocument) and doc.doc_id == "pmid-33000001"


def test_forced_format(tmp_path: Path) -> None:
    path = tmp_path / "article.dat"
    shutil.copy(DATA / "jats_article.nxml", path)
    [doc] = read_path(path, format=InputFormat.JATS)
    assert isinstance(doc, SourceDocument) and doc.source.format == "jats"
    [as_text] = read_path(path, format=InputFormat.TEXT)
    assert isinstance(as_text, SourceDocument) and as_text.text.startswith("<?xml")
    with pytest.raises(InputError, match="malformed XML"):
        read_path(ROOT / "examples" / "seed-000.txt", format=InputFormat.PUBMED)


def test_from_extension() -> None:
    assert InputFormat.from_extension("x.bioc.json") is InputFormat.BIOC_JSON
    assert InputFormat.from_extension("x.YML") is InputFormat.RECORD_YAML
    assert InputFormat.from_extension("x.nxml") is InputFormat.JATS
    assert InputFormat.from_extension("x.json") is None
    assert InputFormat.from_extension("x") is None
