"""What every document from every reader promises, checked over all fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import loaders
import loaders.readers
from loaders import ReadFailure, SourceDocument, content_sha256, read_path

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
INPUTS = sorted([*DATA.iterdir(), *(ROOT / "examples").glob("seed-*.txt")])


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_documents_keep_their_promises(path: Path) -> None:
    items = list(read_path(path))
    docs = [item for item in items if isinstance(item, SourceDocument)]
    assert docs, f"{path.name} yielded no document"
    assert all(isinstance(item, (SourceDocument, ReadFailure)) for item in items)
    assert len({doc.doc_id for doc in docs}) == len(docs)
    for doc in docs:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", doc.doc_id)
        assert doc.source.path == str(path)
        assert doc.source.sha256 == content_sha256(doc)
        assert "\r" not in doc.text
        if doc.source.format != "record":
            assert doc.text.strip() and doc.sections and doc.records is None
        previous_end = 0
        for section in doc.sections:
            assert previous_end <= section.start < section.end <= len(doc.text)
            body = doc.text[section.start : section.end]
            assert body == body.strip(), "a section span starts and ends on text"
            previous_end = section.end
        for record in doc.records or []:
            assert record.case_id.startswith(doc.doc_id + "-")


def test_reading_twice_gives_identical_documents() -> None:
    for path in INPUTS:
        first = [
            item.model_dump() if isinstance(item, SourceDocument) else str(item) for item in read_path(path)
        ]
        again = [
            item.model_dump() if isinstance(item, SourceDocument) else str(item) for item in read_path(path)
        ]
        assert first == again, path.name


def test_public_names() -> None:
    assert set(loaders.readers.__all__) == {
        "InputFormat",
        "ReadFailure",
        "content_sha256",
        "iter_report_files",
        "read_path",
    }
    for name in loaders.readers.__all__:
        assert getattr(loaders, name) is getattr(loaders.readers, name)
