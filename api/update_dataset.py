"""``using-graph-uri`` / ``using-named-graph-uri``: the protocol's dataset for an update.

pyoxigraph's ``Store.update`` takes no dataset, so the protocol parameters become ``USING`` /
``USING NAMED`` clauses written in front of the ``WHERE`` of each DELETE/INSERT operation, which
is exactly what the SPARQL 1.1 Protocol says they mean. An update that already names its dataset
(``USING``, ``USING NAMED`` or ``WITH``) together with the parameters is a 400, as the protocol asks.

>>> apply_protocol_dataset("INSERT { ?s a <urn:T> } WHERE { ?s ?p ?o }", DatasetSpec(("http://g/",), ()))
'INSERT { ?s a <urn:T> } USING <http://g/> WHERE { ?s ?p ?o }'
"""

from __future__ import annotations

import pyoxigraph as ox

from api.backend import DatasetSpec
from api.errors import BadRequestError
from api.guards import sparql_tokens

__all__ = ["apply_protocol_dataset"]


def apply_protocol_dataset(update: str, using: DatasetSpec) -> str:
    """``update`` with ``USING`` clauses for ``using`` inserted before each top-level ``WHERE``.

    >>> update = "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    >>> apply_protocol_dataset(update, DatasetSpec((), ("urn:n",)))
    Traceback (most recent call last):
    ...
    api.errors.BadRequestError: using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH \
in the update
    """
    if not using:
        return update
    try:
        clauses = [f"USING {ox.NamedNode(g)}" for g in using.default_graphs]
        clauses += [f"USING NAMED {ox.NamedNode(g)}" for g in using.named_graphs]
    except ValueError as exc:
        raise BadRequestError(f"bad graph IRI in using-graph-uri/using-named-graph-uri: {exc}") from None
    depth = 0
    previous = ""
    insert_at: list[int] = []
    for kind, text, offset in sparql_tokens(update):
        if kind == "brace":
            depth += 1 if text == "{" else -1
            previous = ""
            continue
        if kind != "name" or ":" in text:
            previous = ""
            continue
        word = text.upper()
        if depth == 0 and word in ("USING", "WITH"):
            raise BadRequestError(
                "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH in the update"
            )
        if depth == 0 and word == "WHERE" and previous != "DELETE":  # not the DELETE WHERE shorthand
            insert_at.append(offset)
        previous = word
    prefix = " ".join(clauses) + " "
    for offset in reversed(insert_at):
        update = update[:offset] + prefix + update[offset:]
    return update
