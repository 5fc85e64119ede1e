"""Result rows (variable -> pyoxigraph term) as SPARQL 1.1 JSON, SPARQL CSV or display text.

Named queries are post-processed in Python (a median), so their results are serialised here
rather than passed through from the store; the output is the standard format a SPARQL client
expects, whichever backend answered.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode

__all__ = ["PREFIXES", "compact", "normalize_json_results", "to_csv", "to_json", "to_json_bytes"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
PREFIXES = {
    "smo": "https://w3id.org/sarcokg/ontology#",
    "obo": "http://purl.obolibrary.org/obo/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
}


def _term_json(term: Any) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    raise TypeError(f"not an RDF term: {term!r}")


def to_json(variables: Sequence[str], rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """SPARQL 1.1 Query Results JSON.

    >>> to_json(["n"], [{"n": Literal("3", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))}])
    {'head': {'vars': ['n']}, 'results': {'bindings': [{'n': {'type': 'literal', 'value': '3', \
'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}}]}}
    """
    bindings = [{var: _term_json(row[var]) for var in variables if row.get(var) is not None} for row in rows]
    return {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}


def to_json_bytes(variables: Sequence[str], rows: Iterable[dict[str, Any]]) -> bytes:
    """:func:`to_json`, encoded (UTF-8, non-ASCII kept)."""
    return json.dumps(to_json(variables, rows), ensure_ascii=False, indent=1).encode("utf-8")


def _term_csv(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def to_csv(variables: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    r"""SPARQL 1.1 Query Results CSV: a header of variable names, plain values, CRLF line ends.

    >>> to_csv(["site", "n"], [{"site": NamedNode("https://w3id.org/sarcokg/ontology#Lung"),
    ...                         "n": Literal("a, b")}])
    'site,n\r\nhttps://w3id.org/sarcokg/ontology#Lung,"a, b"\r\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_term_csv(row.get(var)) for var in variables])
    return buffer.getvalue()


def compact(term: Any) -> str:
    """Short display text: a CURIE for well-known namespaces, the value of a literal.

    >>> compact(NamedNode("https://w3id.org/sarcokg/ontology#Lung"))
    'smo:Lung'
    >>> compact(None)
    ''
    """
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace) and term.value[len(namespace) :].replace("_", "a").isalnum():
                return f"{prefix}:{term.value[len(namespace) :]}"
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def normalize_json_results(data: dict[str, Any]) -> dict[str, Any]:
    """SPARQL 1.0 ``typed-literal`` bindings (Virtuoso) rewritten as SPARQL 1.1 literals.

    >>> normalize_json_results({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type":
    ...     "typed-literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}})
    {'head': {'vars': ['n']}, 'results': {'bindings': [{'n': {'type': 'literal', 'value': '1', \
'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}}]}}
    """
    for binding in data.get("results", {}).get("bindings", []):
        for value in binding.values():
            if value.get("type") == "typed-literal":
                value["type"] = "literal"
    return data
