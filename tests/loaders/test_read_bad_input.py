"""Bad input (issue 3, item 6): one-line InputError naming the file (and line or article),
never a traceback and never a partial silent success."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from loaders import ReadFailure, read_path
from sarcokg.errors import InputError

DATA = Path(__file__).parent / "data"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def input_error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_path(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path)), message
    assert "Traceback" not in message
    return info.value


def write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_empty_file(tmp_path: Path) -> None:
    error = input_error(write_bytes(tmp_path, "empty.txt", b""))
    assert error.message == "empty file (0 bytes)"


@pytest.mark.parametrize("name", ["blank.txt", "blank.xml", "blank.json", "blank.yaml", "blank"])
def test_whitespace_only_file(tmp_path: Path, name: str) -> None:
    error = input_error(write_bytes(tmp_path, name, b" \r\n\t\n  \n"))
    assert error.message == "file contains only whitespace"


def test_whitespace_only_utf16_file(tmp_path: Path) -> None:
    error = input_error(write_bytes(tmp_path, "blank16.txt", "  \n\n".encode("utf-16")))
    assert error.message == "file contains only whitespace"


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("figure.txt", PNG_HEADER, "a PNG image"),
        ("figure.png", PNG_HEADER, "a PNG image"),
        ("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        ("paper.docx", b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive or an Office document"),
        ("blob.txt", bytes(range(256)) * 4, "binary data (NUL bytes)"),
        ("blob.xml", b"<a>\x00\x01\x02</a>", "binary data (NUL bytes)"),
    ],
)
def test_binary_file(tmp_path: Path, name: str, data: bytes, kind: str) -> None:
    error = input_error(write_bytes(tmp_path, name, data))
    assert error.message.startswith(f"binary file ({kind})")


def test_invalid_utf8_that_is_no_other_encoding_names_line_and_column(tmp_path: Path) -> None:
    # bytes 0x81 0x8d 0x8f 0x90 are undefined in cp1252 and control codes in Latin-1
    data = b"A 64-year-old woman.\nShe had a tumour \x81\x8d\x8f\x90 of the kidney.\n"
    error = input_error(write_bytes(tmp_path, "bad.txt", data))
    assert (error.line, error.column) == (2, 18)
    assert error.message == "not valid UTF-8 (byte 0x81) and not in another text encoding"


def test_damaged_utf8_is_not_mistaken_for_latin1(tmp_path: Path) -> None:
    data = "Café au lait spots; tumour of 5 cm.\n".encode() + b"Second line \xe9 broken.\n"
    error = input_error(write_bytes(tmp_path, "mixed.txt", data))
    assert (error.line, error.column) == (2, 13)
    assert "not valid UTF-8 (byte 0xe9)" in error.message


def test_truncated_xml_names_line_and_column(tmp_path: Path) -> None:
    whole = (DATA / "pubmed_set.xml").read_bytes()
    cut = whole[: whole.index(b'<PMID Version="1">31000002')]
    error = input_error(write_bytes(tmp_path, "truncated.xml", cut))
    assert error.message.startswith("malformed XML: ")
    assert error.line == cut.count(b"\n") + 1
    assert error.column is not None


def test_malformed_xml_names_line_and_column(tmp_path: Path) -> None:
    data = b"<?xml version='1.0'?>\n<PubmedArticleSet>\n  <PubmedArticle>\n  </PubmedArticl>\n"
    data += b"</PubmedArticleSet>\n"
    error = input_error(write_bytes(tmp_path, "broken.xml", data))
    assert (error.line, error.column) == (4, 18)
    assert "Opening and ending tag mismatch" in error.message


def test_xml_entity_declarations_are_not_expanded(tmp_path: Path) -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY boom "BOOM"><!ENTITY file SYSTEM "file:///etc/hostname">]>\n'
        b"<article><front><article-meta><title-group><article-title>&boom; &file;</article-title>"
        b"</title-group></article-meta></front></article>"
    )
    [doc] = read_path(write_bytes(tmp_path, "entities.xml", data))
    assert not isinstance(doc, Exception)
    assert "BOOM" not in getattr(doc, "text", "")
    assert getattr(doc, "text", "") == "&boom; &file;"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("table.csv", b"1,2,3\n4,5,6\n7,8,9\n", "unknown format (extension '.csv')"),
        ("noext", b"0x01 0x02 0x03 ;; 42 == 42\n", "unknown format (no extension)"),
        ("data.xyz", b"<html><body>A page</body></html>", "unknown format (extension '.xyz'; looks like XML"),
        ("page.html", b"<html><body>A report</body></html>", "HTML files are not read"),
        ("odd.xml", b"<catalog><book/></catalog>", "unknown XML format: root element <catalog>"),
        ("odd.json", b'{"name": "not a report"}', "unknown JSON format"),
    ],
)
def test_unknown_format(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    error = input_error(write_bytes(tmp_path, name, data))
    assert str(error).startswith(f"{tmp_path / name}: {message}"), str(error)


def test_missing_file(tmp_path: Path) -> None:
    error = input_error(tmp_path / "nowhere.txt")
    assert error.message == "no such file"


def test_directory_where_a_file_is_expected(tmp_path: Path) -> None:
    folder = tmp_path / "reports.txt"
    folder.mkdir()
    error = input_error(folder)
    assert error.message.startswith("is a directory")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "secret.txt", b"A report.")
    path.chmod(0)
    error = input_error(path)
    assert error.message == "permission denied"


def test_errors_are_raised_by_read_path_itself_not_later(tmp_path: Path) -> None:
    """Callers can rely on the file being sound once read_path returns."""
    path = write_bytes(tmp_path, "truncated.xml", b"<PubmedArticleSet><PubmedArticle>")
    with pytest.raises(InputError):
        read_path(path)  # no iteration needed


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("deep.json", b"[" * 100_000),
        ("deep.yaml", b"[" * 100_000),
        ("deep", b"[" * 100_000),
        ("deep.xml", b"<a>" * 100_000),
        ("long.yaml", b"- " * 50_000 + b"x"),
    ],
)
def test_deeply_nested_input_is_an_input_error(tmp_path: Path, name: str, data: bytes) -> None:
    input_error(write_bytes(tmp_path, name, data))


def test_damaged_fixtures_never_escape_as_other_exceptions(tmp_path: Path) -> None:
    """Cut or corrupt every fixture at fixed pseudo-random places: each read either raises a
    one-line InputError or yields documents and failures that render on one line."""
    rng = random.Random(3)
    for fixture in sorted(DATA.iterdir()):
        original = fixture.read_bytes()
        for k in range(12):
            damaged = bytearray(original[: rng.randrange(1, len(original))] if k % 2 else original)
            for _ in range(k // 2):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            path = write_bytes(tmp_path, f"{k}-{fixture.name}", bytes(damaged))
            try:
                items = list(read_path(path))
            except InputError as exc:
                assert "\n" not in str(exc)
                continue
            for item in items:
                if isinstance(item, ReadFailure):
                    assert "\n" not in str(item)
