"""Refusing SERVICE and LOAD before evaluation: pyoxigraph would really fetch those URLs (SSRF).

The decision follows the SPARQL parser's view, not a regular expression over the text:

1. SPARQL applies ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes to the whole request before parsing, so they
   are expanded first (``\\u0053ERVICE`` *is* ``SERVICE``).
2. A tokenizer following SPARQL's lexical rules (comments, strings, IRIs, variables, prefixed
   names, language tags) looks for the bare keyword token. Every real use of the operation has
   one, so text without it is allowed at once: the fast path for almost every request.
3. Otherwise rdflib's SPARQL parser parses the request and the parse tree is walked for
   ``ServiceGraphPattern`` (and ``Load`` in updates): the parser has the last word.
4. When rdflib cannot parse the request (a syntax it does not know), the bare keyword token is
   enough to refuse: nothing that might fetch a URL is ever let through unchecked.

>>> refuse_remote_access("SELECT * WHERE { ?s <http://ex/service> ?o } # SERVICE <http://x/>")
>>> refuse_remote_access("select * { service silent ?x { ?s ?p ?o } }")
Traceback (most recent call last):
...
api.errors.ForbiddenOperationError: SERVICE is not allowed on this endpoint \
(federated queries would make the server fetch other URLs)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from api.errors import ForbiddenOperationError

__all__ = [
    "expand_unicode_escapes",
    "forbidden_keywords",
    "keyword_tokens",
    "refuse_remote_access",
    "sparql_tokens",
]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

#: Tokens of the fallback scanner: the ones that can hide a keyword come first.
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\r\n]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                |"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<name>[^\W\d][\w.\-]*(?::(?:[\w.\-:%]|\\.)*)?|:(?:[\w.\-:%]|\\.)*|_:[\w.\-]*)
    | (?P<brace>[{}])
    """,
    re.VERBOSE,
)

_MESSAGES = {
    "SERVICE": "SERVICE is not allowed on this endpoint "
    "(federated queries would make the server fetch other URLs)",
    "LOAD": "LOAD is not allowed on this endpoint (it would make the server fetch a URL); "
    "upload data with the Graph Store Protocol (PUT/POST /store) instead",
}
_PARSE_NODES = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}


def expand_unicode_escapes(text: str) -> str:
    r"""Apply SPARQL's codepoint escapes, as the parser does before anything else.

    >>> expand_unicode_escapes(r"\u0053ERVICE")
    'SERVICE'
    """
    if "\\u" not in text and "\\U" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def sparql_tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """``(kind, text, offset)`` of the tokens that matter here; other characters are skipped.

    Kinds: comment, iri, string, var, langtag, name, brace.

    >>> [t[:2] for t in sparql_tokens('ASK { ?s "}" <urn:x> }')]
    [('name', 'ASK'), ('brace', '{'), ('var', '?s'), ('string', '"}"'), ('iri', '<urn:x>'), ('brace', '}')]
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        yield kind, match.group(), match.start()


def keyword_tokens(text: str) -> Iterator[str]:
    """Bare words of ``text`` (upper-cased), skipping comments, strings, IRIs, variables, prefixed names.

    >>> list(keyword_tokens('SELECT ?service { ex:service "service" <urn:service> } # service'))
    ['SELECT']
    """
    for kind, word, _ in sparql_tokens(text):
        if kind == "name" and ":" not in word:
            yield word.upper()


def _walk(node: Any) -> Iterator[str]:
    name = getattr(node, "name", None)
    if isinstance(name, str) and name in _PARSE_NODES:
        yield _PARSE_NODES[name]
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)


def forbidden_keywords(sparql: str, *, update: bool) -> frozenset[str]:
    """The forbidden operations ``sparql`` really uses (``SERVICE``, and ``LOAD`` for updates).

    >>> sorted(forbidden_keywords("LOAD <http://x/> ; CLEAR DEFAULT", update=True))
    ['LOAD']
    >>> sorted(forbidden_keywords('INSERT DATA { <urn:a> <urn:p> "LOAD <http://x/>" }', update=True))
    []
    """
    if len(sparql) <= _CACHE_MAX_CHARS:
        return _forbidden_cached(sparql, update)
    return _forbidden(sparql, update)


_CACHE_MAX_CHARS = 64 * 1024


@lru_cache(maxsize=256)
def _forbidden_cached(sparql: str, update: bool) -> frozenset[str]:
    return _forbidden(sparql, update)


def _forbidden(sparql: str, update: bool) -> frozenset[str]:
    text = expand_unicode_escapes(sparql)
    wanted = {"SERVICE", "LOAD"} if update else {"SERVICE"}
    # Every use of the operation has the bare keyword token; no token, no use (the fast path).
    candidates = wanted & set(keyword_tokens(text))
    if not candidates:
        return frozenset()
    from pyparsing import ParseBaseException  # rdflib's parser is pyparsing-based
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree: Any = parseUpdate(text) if update else parseQuery(text)
    except (ParseBaseException, ValueError, TypeError, RecursionError, AttributeError, KeyError):
        return frozenset(candidates)  # rdflib cannot tell: the bare keyword is enough to refuse
    return frozenset(candidates & set(_walk(tree)))


def refuse_remote_access(sparql: str, *, update: bool = False) -> None:
    """Raise :class:`ForbiddenOperationError` (403) if ``sparql`` uses SERVICE (or LOAD in an update)."""
    found = forbidden_keywords(sparql, update=update)
    for keyword in ("SERVICE", "LOAD"):
        if keyword in found:
            raise ForbiddenOperationError(_MESSAGES[keyword])
