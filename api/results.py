"""Serialising query results with the deadline and the row cap enforced, never a silent cut.

SELECT results (SPARQL JSON, XML, CSV, TSV) are written by pyoxigraph's own serializer into a
:class:`_CheckedSink` that checks the deadline on every chunk and keeps an upper bound on the
number of rows written (counting row separators, which can only overcount). Only when that bound
passes the cap is the query evaluated again and written row by row in Python, which counts
exactly (:func:`serialize_solutions_exactly`); so the common case costs what pyoxigraph costs.
CONSTRUCT/DESCRIBE triples go through ``pyoxigraph.serialize`` fed by a checking generator.
Everything here runs in the worker thread that produced the result: pyoxigraph result iterators
must not cross threads.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.update('INSERT DATA { <http://ex/a> <http://ex/p> "x"@en }')
>>> rows = store.query("SELECT ?s ?o WHERE { ?s ?p ?o }")
>>> serialize_solutions(rows, ResultFormat.CSV, deadline=None, max_rows=10)
b's,o\\r\\nhttp://ex/a,x\\r\\n'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, cast
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from api.errors import NotAcceptableError, ResultTooLargeError
from api.executor import Deadline
from graph.store import ResultFormat

__all__ = [
    "RDF_FORMATS",
    "RowBoundExceeded",
    "check_rows",
    "serialize_boolean",
    "serialize_solutions",
    "serialize_solutions_exactly",
    "serialize_triples",
    "term_to_json",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

#: RDF serialisations pyoxigraph writes, by our format enum.
RDF_FORMATS: dict[ResultFormat, ox.RdfFormat] = {
    fmt: fmt.rdf_format for fmt in ResultFormat if fmt.rdf_format is not None
}


def check_rows(
    rows: Iterable[Any], *, deadline: Deadline | None, max_rows: int, unit: str = "rows"
) -> Iterator[Any]:
    """Yield ``rows`` unchanged, raising at the deadline or past ``max_rows`` (never a silent cut).

    >>> list(check_rows([1, 2], deadline=None, max_rows=2))
    [1, 2]
    >>> list(check_rows([1, 2, 3], deadline=None, max_rows=2))
    Traceback (most recent call last):
    ...
    api.errors.ResultTooLargeError: the result has more than 2 rows (the service's cap, SARCOKG_MAX_ROWS); \
add LIMIT/OFFSET or narrow the query
    """
    for count, row in enumerate(rows, 1):
        if deadline is not None:
            deadline.check()
        if count > max_rows:
            raise ResultTooLargeError(
                f"the result has more than {max_rows} {unit} (the service's cap, SARCOKG_MAX_ROWS); "
                "add LIMIT/OFFSET or narrow the query"
            )
        yield row


def term_to_json(term: Any) -> dict[str, Any]:
    """One RDF term in the SPARQL 1.1 JSON results shape.

    >>> term_to_json(ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    {'type': 'literal', 'value': '7', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}
    >>> term_to_json(ox.Literal("chat", language="fr"))
    {'type': 'literal', 'value': 'chat', 'xml:lang': 'fr'}
    """
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_to_json(term.subject),
                "predicate": term_to_json(term.predicate),
                "object": term_to_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _term_to_xml(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_term_to_xml(term.subject)}</subject>"
            f"<predicate>{_term_to_xml(term.predicate)}</predicate>"
            f"<object>{_term_to_xml(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def _term_to_csv(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term.value)
    return str(term)


#: For each tabular format, a byte pattern every row adds at least once, and what to add to its
#: count for an upper bound on rows (JSON: the "},{" between rows; XML: the row element;
#: CSV/TSV: line ends, one of them the header's).
_ROW_MARKS: dict[ResultFormat, tuple[bytes, int]] = {
    ResultFormat.JSON: (b"},{", 1),
    ResultFormat.XML: (b"<result>", 0),
    ResultFormat.CSV: (b"\n", -1),
    ResultFormat.TSV: (b"\n", -1),
}


class RowBoundExceeded(Exception):
    """The upper bound on written rows passed the cap: count exactly before refusing."""


class _CheckedSink:
    """A file-like sink for pyoxigraph's serializer: deadline on every chunk, a bound on rows."""

    def __init__(self, mark: bytes, offset: int, *, deadline: Deadline | None, max_rows: int) -> None:
        self._mark, self._offset = mark, offset
        self._deadline, self._max_rows = deadline, max_rows
        self._chunks: list[bytes] = []
        self._marks = 0
        self._tail = b""

    def write(self, data: bytes) -> int:
        if self._deadline is not None:
            self._deadline.check()
        chunk = bytes(data)
        self._chunks.append(chunk)
        window = self._tail + chunk  # a mark may straddle two chunks
        self._marks += window.count(self._mark) - self._tail.count(self._mark)
        self._tail = window[-(len(self._mark) - 1) :] if len(self._mark) > 1 else b""
        if self._marks + self._offset > self._max_rows:
            raise RowBoundExceeded
        return len(chunk)

    def flush(self) -> None:
        """Nothing to flush: chunks are kept in memory."""

    def getvalue(self) -> bytes:
        return b"".join(self._chunks)


def serialize_solutions(
    solutions: ox.QuerySolutions, fmt: ResultFormat, *, deadline: Deadline | None, max_rows: int
) -> bytes:
    """Write SELECT results in ``fmt`` with pyoxigraph's serializer, deadline and row cap enforced.

    Raises :class:`RowBoundExceeded` when the result may have more than ``max_rows`` rows; the
    caller then evaluates again and uses :func:`serialize_solutions_exactly`.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("},{")))
    >>> serialize_solutions(store.query("SELECT ?o WHERE { ?s ?p ?o }"), ResultFormat.TSV,
    ...                     deadline=None, max_rows=1)
    b'?o\\n"},{"\\n'
    """
    marks, results_format = _ROW_MARKS.get(fmt), fmt.results_format
    if marks is None or results_format is None:
        raise NotAcceptableError(f"{fmt.value} cannot carry SELECT results")
    mark, offset = marks
    sink = _CheckedSink(mark, offset, deadline=deadline, max_rows=max_rows)
    solutions.serialize(cast(IO[bytes], sink), format=results_format)
    return sink.getvalue()


def serialize_solutions_exactly(
    solutions: ox.QuerySolutions, fmt: ResultFormat, *, deadline: Deadline | None, max_rows: int
) -> bytes:
    """Write SELECT results in ``fmt`` (JSON, XML, CSV or TSV), checking every row."""
    names = [v.value for v in solutions.variables]
    rows = check_rows(solutions, deadline=deadline, max_rows=max_rows)
    if fmt is ResultFormat.JSON:
        bindings = [
            {name: term_to_json(term) for name, term in zip(names, row, strict=True) if term is not None}
            for row in rows
        ]
        doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt is ResultFormat.XML:
        parts = [
            f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}"><head>',
            *(f"<variable name={quoteattr(n)}/>" for n in names),
            "</head><results>",
        ]
        for row in rows:
            parts.append("<result>")
            parts.extend(
                f"<binding name={quoteattr(n)}>{_term_to_xml(t)}</binding>"
                for n, t in zip(names, row, strict=True)
                if t is not None
            )
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt is ResultFormat.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([_term_to_csv(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if fmt is ResultFormat.TSV:
        lines = ["\t".join(f"?{n}" for n in names)]
        lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise NotAcceptableError(f"{fmt.value} cannot carry SELECT results")


def serialize_boolean(value: bool, fmt: ResultFormat) -> bytes:
    """Write an ASK result in SPARQL JSON or XML.

    >>> serialize_boolean(True, ResultFormat.JSON)
    b'{"head":{},"boolean":true}'
    """
    text = "true" if value else "false"
    if fmt is ResultFormat.JSON:
        return f'{{"head":{{}},"boolean":{text}}}'.encode()
    if fmt is ResultFormat.XML:
        xml = f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}"><head/><boolean>{text}</boolean>'
        xml += "</sparql>\n"
        return xml.encode()
    if fmt in (ResultFormat.CSV, ResultFormat.TSV):
        return f"_askResult\n{text}\n".encode()
    raise NotAcceptableError(f"{fmt.value} cannot carry an ASK result")


def serialize_triples(
    triples: Iterable[Any],
    fmt: ResultFormat,
    *,
    deadline: Deadline | None,
    max_rows: int,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """Write triples (or quads, for N-Quads/TriG) in ``fmt``, checking every one.

    >>> t = ox.Triple(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("x"))
    >>> serialize_triples([t], ResultFormat.NTRIPLES, deadline=None, max_rows=5)
    b'<http://ex/a> <http://ex/p> "x" .\\n'
    """
    rdf_format = RDF_FORMATS.get(fmt)
    if rdf_format is None:
        raise NotAcceptableError(f"{fmt.value} cannot carry an RDF graph")
    checked = check_rows(triples, deadline=deadline, max_rows=max_rows, unit="triples")
    data = ox.serialize(checked, format=rdf_format, prefixes=prefixes)
    assert data is not None
    return data
