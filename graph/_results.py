"""Reading what remote SPARQL servers send back: JSON results into pyoxigraph terms, RDF bodies
as streams. Tolerates Virtuoso's SPARQL 1.0 ``typed-literal``; refuses bodies that do not parse
(``oxigraph serve --timeout-s`` answers 200 with truncated JSON)."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, parse

from graph.store import ResultFormat
from sarcokg.errors import StoreError

__all__ = ["ResponseReader", "check_body", "parse_json_results", "term_from_json"]

_BNODE_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def term_from_json(binding: dict[str, Any]) -> NamedNode | BlankNode | Literal:
    """One SPARQL JSON binding as a pyoxigraph term.

    >>> term_from_json({"type": "typed-literal", "value": "1",
    ...                 "datatype": "http://www.w3.org/2001/XMLSchema#integer"}).datatype.value
    'http://www.w3.org/2001/XMLSchema#integer'
    >>> term_from_json({"type": "literal", "value": "poumon", "xml:lang": "fr"}).language
    'fr'
    >>> term_from_json({"type": "bnode", "value": "nodeID://b1"})
    <BlankNode value=nodeID___b1>
    """
    kind = binding.get("type")
    value = binding.get("value")
    if not isinstance(value, str):
        raise StoreError(f"malformed SPARQL JSON binding: {binding!r}")
    if kind == "uri":
        return NamedNode(value)
    if kind == "bnode":
        return BlankNode(_BNODE_UNSAFE.sub("_", value) or "b")
    if kind in ("literal", "typed-literal"):
        language = binding.get("xml:lang")
        datatype = binding.get("datatype")
        if language:
            return Literal(value, language=language)
        if datatype:
            return Literal(value, datatype=NamedNode(datatype))
        return Literal(value)
    raise StoreError(f"unsupported term type in SPARQL JSON results: {kind!r}")


def parse_json_results(body: bytes, source: str) -> dict[str, Any]:
    """Decode a SPARQL JSON results document, or raise StoreError naming ``source``."""
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise StoreError(
            f"{source} sent an unparsable SPARQL JSON result ({exc}); the server may have cut the "
            "answer short (timeout or size limit)"
        ) from None
    if not isinstance(document, dict) or ("boolean" not in document and "results" not in document):
        raise StoreError(f"{source} sent JSON that is not a SPARQL result")
    return document


def check_body(body: bytes, fmt: ResultFormat, source: str) -> bytes:
    """Verify that a pass-through body parses in ``fmt``; JSON is normalised to SPARQL 1.1 terms.

    Bodies cut short by a server (``oxigraph serve --timeout-s``) are refused:

    >>> check_body(b'{"head": {}, "boolean": true}', ResultFormat.JSON, "test")
    b'{"head": {}, "boolean": true}'
    >>> check_body(b'{"head": {"vars": ["x"]}, "results": {"bindings": [', ResultFormat.JSON, "test")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    sarcokg.errors.StoreError: test sent an unparsable SPARQL JSON result (...); the server may have cut ...
    """
    if fmt is ResultFormat.JSON:
        document = parse_json_results(body, source)
        changed = False
        for row in document.get("results", {}).get("bindings", []):
            for binding in row.values():
                if binding.get("type") == "typed-literal":
                    binding["type"] = "literal"
                    changed = True
        return json.dumps(document).encode("utf-8") if changed else body
    if fmt is ResultFormat.XML:
        try:
            ElementTree.fromstring(body)
        except ElementTree.ParseError as exc:
            raise StoreError(f"{source} sent unparsable SPARQL XML results ({exc})") from None
        return body
    if fmt.rdf_format is not None:
        try:
            for _ in parse(body, fmt.rdf_format):
                pass
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{source} sent an unparsable {fmt.value} body ({exc})") from None
    return body


class ResponseReader(io.RawIOBase):
    """A read-only binary file over a stream of byte chunks (an HTTP body), for pyoxigraph.parse.

    >>> reader = ResponseReader(iter([b"<http://a> <http://b> ", b"<http://c> ."]))
    >>> [str(t) for t in parse(reader, ResultFormat.NTRIPLES.rdf_format)]
    ['<http://a> <http://b> <http://c>']
    """

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size
