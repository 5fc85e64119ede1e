"""Which kind of SPARQL query a text is, read past its prologue (comments, BASE, PREFIX)."""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["QueryForm", "query_form"]

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

_PROLOGUE = re.compile(
    r"\s+|\#[^\n]*|BASE\s*<[^>\s]*>|PREFIX\s*[A-Za-z0-9_.\-]*:\s*<[^>\s]*>|VERSION\s*\"[^\"]*\"",
    re.IGNORECASE,
)
_KEYWORD = re.compile(r"[A-Za-z]+")


def query_form(sparql: str) -> QueryForm | None:
    """The query form (``SELECT``, ``ASK``...), or ``None`` for anything else (an update...).

    >>> query_form("PREFIX smo: <https://w3id.org/sarcokg/ontology#>  # sites\\nselect * { ?s ?p ?o }")
    'SELECT'
    >>> query_form("CONSTRUCT WHERE { ?s ?p ?o }"), query_form("DROP ALL")
    ('CONSTRUCT', None)
    """
    pos = 0
    while (match := _PROLOGUE.match(sparql, pos)) is not None and match.end() > pos:
        pos = match.end()
    keyword = _KEYWORD.match(sparql, pos)
    if keyword is None:
        return None
    word = keyword.group(0).upper()
    if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        return word  # type: ignore[return-value]
    return None
