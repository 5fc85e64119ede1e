"""Which reader a file needs: by its extension, confirmed or refined by its content.

Extensions name a family (``.xml``: some XML; ``.json``: some JSON); the content picks the
member (the root element ``PubmedArticleSet``, ``article`` or ``collection``; a JSON object
with ``documents`` or with case-record fields). A file with no or an unknown extension is
sniffed: XML, JSON, YAML case records, else prose is read as plain text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml

from loaders.readers._decode import SUPPORTED, decode_text
from loaders.readers._xml import root_name
from sarcokg.errors import InputError

__all__ = ["InputFormat", "RawInput", "detect_format"]


class InputFormat(StrEnum):
    """The input formats SarcoKG reads.

    >>> InputFormat.from_extension("set.bioc.xml"), InputFormat.from_extension("a.TXT")
    (<InputFormat.BIOC_XML: 'bioc-xml'>, <InputFormat.TEXT: 'text'>)
    >>> InputFormat.from_extension("a.xml") is None   # .xml needs a look at the root element
    True
    >>> InputFormat.PUBMED.source_format, InputFormat.BIOC_JSON.source_format
    ('pubmed', 'bioc')
    """

    TEXT = "text"
    PUBMED = "pubmed"
    JATS = "jats"
    BIOC_XML = "bioc-xml"
    BIOC_JSON = "bioc-json"
    RECORD_YAML = "record-yaml"
    RECORD_JSON = "record-json"

    @property
    def source_format(self) -> Literal["text", "pubmed", "jats", "bioc", "record"]:
        """The value of ``Source.format`` for documents read in this format."""
        return _SOURCE_FORMAT[self]

    @property
    def is_xml(self) -> bool:
        return self in (InputFormat.PUBMED, InputFormat.JATS, InputFormat.BIOC_XML)

    @classmethod
    def from_extension(cls, path: str | Path) -> InputFormat | None:
        """The format an extension settles on its own (None: sniff the content)."""
        name = Path(path).name.lower()
        for suffix, fmt in _COMPOUND.items():
            if name.endswith(suffix):
                return fmt
        return _BY_EXTENSION.get(Path(name).suffix)


_SOURCE_FORMAT: dict[InputFormat, Literal["text", "pubmed", "jats", "bioc", "record"]] = {
    InputFormat.TEXT: "text",
    InputFormat.PUBMED: "pubmed",
    InputFormat.JATS: "jats",
    InputFormat.BIOC_XML: "bioc",
    InputFormat.BIOC_JSON: "bioc",
    InputFormat.RECORD_YAML: "record",
    InputFormat.RECORD_JSON: "record",
}
_COMPOUND = {".bioc.xml": InputFormat.BIOC_XML, ".bioc.json": InputFormat.BIOC_JSON}
_BY_EXTENSION = {
    ".txt": InputFormat.TEXT,
    ".text": InputFormat.TEXT,
    ".nxml": InputFormat.JATS,
    ".yaml": InputFormat.RECORD_YAML,
    ".yml": InputFormat.RECORD_YAML,
}
_XML_EXTENSIONS = {".xml"}
_JSON_EXTENSIONS = {".json"}
_UNSUPPORTED = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".odt": "OpenDocument",
    ".rtf": "RTF",
    ".html": "HTML",
    ".htm": "HTML",
    ".xls": "Excel",
    ".xlsx": "Excel",
}
_XML_ROOTS = {
    "PubmedArticleSet": InputFormat.PUBMED,
    "PubmedArticle": InputFormat.PUBMED,
    "PubmedBookArticle": InputFormat.PUBMED,
    "article": InputFormat.JATS,
    "pmc-articleset": InputFormat.JATS,
    "collection": InputFormat.BIOC_XML,
}
RECORD_KEYS = frozenset(
    {"case_id", "patient", "primary_tumor", "metastases", "negated_metastases", "treatments", "outcome"}
)


@dataclass
class RawInput:
    """A file's bytes, with its decoded text and parsed JSON/YAML computed once on demand."""

    path: Path
    data: bytes
    display: str = field(default="")

    def __post_init__(self) -> None:
        self.display = self.display or str(self.path)

    @cached_property
    def text(self) -> str:
        return decode_text(self.data, self.display)

    @cached_property
    def json(self) -> Any:
        try:
            return json.loads(self.text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"malformed JSON: {exc.msg}", path=self.display, line=exc.lineno, column=exc.colno
            ) from None
        except RecursionError:
            raise InputError("malformed JSON: nested too deeply", path=self.display) from None

    @cached_property
    def yaml_documents(self) -> list[Any]:
        try:
            return list(yaml.safe_load_all(self.text))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = " ".join(str(exc.problem or exc.context or "syntax error").split())
            raise InputError(
                f"malformed YAML: {problem}",
                path=self.display,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            ) from None
        except yaml.YAMLError as exc:
            raise InputError(f"malformed YAML: {' '.join(str(exc).split())}", path=self.display) from None
        except RecursionError:
            raise InputError("malformed YAML: nested too deeply", path=self.display) from None


def detect_format(raw: RawInput) -> InputFormat:
    """The format of a file, from its extension and its content (raises InputError).

    >>> detect_format(RawInput(Path("set"), b"<PubmedArticleSet></PubmedArticleSet>"))
    <InputFormat.PUBMED: 'pubmed'>
    >>> detect_format(RawInput(Path("case.json"), b'{"case_id": "x-1"}'))
    <InputFormat.RECORD_JSON: 'record-json'>
    >>> detect_format(RawInput(Path("notes"), b"A 64-year-old woman had a renal leiomyosarcoma."))
    <InputFormat.TEXT: 'text'>
    """
    suffix = raw.path.suffix.lower()
    settled = InputFormat.from_extension(raw.path)
    if settled is InputFormat.BIOC_XML:
        return _xml_format(raw, expected=InputFormat.BIOC_XML)
    if settled is InputFormat.JATS:
        return _xml_format(raw, expected=InputFormat.JATS)
    if settled is not None:
        return settled
    if suffix in _XML_EXTENSIONS:
        return _xml_format(raw)
    if suffix in _JSON_EXTENSIONS:
        return _json_format(raw)
    if suffix in _UNSUPPORTED:
        kind = _UNSUPPORTED[suffix]
        raise InputError(f"{kind} files are not read; convert to plain text first", path=raw.display)
    return _sniff(raw, suffix)


def _xml_format(raw: RawInput, expected: InputFormat | None = None) -> InputFormat:
    name = root_name(raw.data, raw.display)
    fmt = _XML_ROOTS.get(name)
    if fmt is None:
        want = f"<{_root_of(expected)}>" if expected else "<PubmedArticleSet>, <article> or <collection>"
        raise InputError(
            f"unknown XML format: root element <{name}>, expected {want} (PubMed, JATS or BioC)",
            path=raw.display,
        )
    return fmt


def _root_of(fmt: InputFormat) -> str:
    return next(name for name, value in _XML_ROOTS.items() if value is fmt)


def _json_kind(value: Any) -> InputFormat | None:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    if all("documents" in item for item in items):
        return InputFormat.BIOC_JSON
    if all(RECORD_KEYS & item.keys() for item in items):
        return InputFormat.RECORD_JSON
    return None


def _json_format(raw: RawInput) -> InputFormat:
    fmt = _json_kind(raw.json)
    if fmt is None:
        raise InputError(
            "unknown JSON format: neither a BioC collection (with 'documents') nor case records "
            "(objects with 'case_id', 'patient', 'primary_tumor'...)",
            path=raw.display,
        )
    return fmt


def _sniff(raw: RawInput, suffix: str) -> InputFormat:
    what = f"extension {suffix!r}" if suffix else "no extension"
    head = raw.data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<" or raw.data.startswith((b"\xff\xfe<", b"\xfe\xff\x00<")):
        try:
            return _xml_format(raw)
        except InputError as exc:
            message = f"unknown format ({what}; looks like XML but {exc.message})"
            raise InputError(message, path=raw.display) from None
    text = raw.text
    if head in (b"{", b"["):
        try:
            fmt = _json_kind(raw.json)
        except InputError:
            fmt = None
        if fmt is not None:
            return fmt
    try:
        documents = raw.yaml_documents
    except InputError:
        documents = []
    if documents and all(_json_kind(document) is InputFormat.RECORD_JSON for document in documents):
        return InputFormat.RECORD_YAML
    if _looks_like_prose(text):
        return InputFormat.TEXT
    raise InputError(f"unknown format ({what}); expected {SUPPORTED}", path=raw.display)


def _looks_like_prose(text: str) -> bool:
    """Words and sentences rather than a table of numbers or code.

    >>> _looks_like_prose("A 64-year-old woman underwent nephrectomy."), _looks_like_prose("1,2,3\\n4,5,6")
    (True, False)
    """
    visible = [char for char in text if not char.isspace()]
    letters = sum(char.isalpha() for char in visible)
    words = sum(1 for word in text.split() if sum(char.isalpha() for char in word) >= 2)
    return words >= 3 and letters >= 0.6 * len(visible)
