"""Small SPARQL text builders shared by the stores (IRIs checked by pyoxigraph, terms in N-Triples form)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pyoxigraph import BlankNode, NamedNode, Quad

__all__ = ["iri_ref", "replace_graph_update", "triple_lines"]


def iri_ref(iri: str) -> str:
    """``<iri>`` for SPARQL text, refusing anything that is not a valid IRI (no injection).

    >>> iri_ref("http://example.org/g")
    '<http://example.org/g>'
    >>> iri_ref("http://example.org/> } ; DROP ALL ; #")
    Traceback (most recent call last):
    ValueError: not a valid IRI: 'http://example.org/> } ; DROP ALL ; #'
    """
    try:
        return str(NamedNode(iri))
    except ValueError:
        raise ValueError(f"not a valid IRI: {iri!r}") from None


def triple_lines(graph_iri: str, quads: Iterable[Any]) -> Iterator[str]:
    """``s p o .`` for each quad, checking that every quad belongs to ``graph_iri``.

    >>> from pyoxigraph import Literal
    >>> g = NamedNode("http://example.org/g")
    >>> list(triple_lines(g.value, [Quad(g, NamedNode("http://example.org/p"), Literal("é"), g)]))
    ['<http://example.org/g> <http://example.org/p> "é" .']
    """
    for quad in quads:
        if not isinstance(quad, Quad):
            raise TypeError(f"expected a pyoxigraph Quad, got {type(quad).__name__}")
        name = quad.graph_name
        if not isinstance(name, NamedNode) or name.value != graph_iri:
            raise ValueError(f"quad {quad} is not in graph <{graph_iri}>")
        yield f"{quad.subject} {quad.predicate} {quad.object} ."


def replace_graph_update(
    graph_iri: str,
    quads: Iterable[Any],
    *,
    per_operation: int | None = None,
    prologue: str = "",
    blank_nodes_as_template: bool = False,
) -> str:
    """One SPARQL Update request that empties ``graph_iri`` and inserts ``quads`` into it.

    ``per_operation`` splits the data over several operations of the same request (Virtuoso's
    parser gives up on a few thousand triples in one). Triples sharing a blank node always stay
    in one operation, since a blank node label must not span operations;
    ``blank_nodes_as_template`` writes those as ``INSERT {...} WHERE {}`` (Virtuoso refuses
    blank nodes in ``INSERT DATA``).

    >>> g = NamedNode("http://example.org/g")
    >>> q = Quad(g, NamedNode("http://example.org/p"), NamedNode("http://example.org/o"), g)
    >>> print(replace_graph_update(g.value, [q, q], per_operation=1))
    DROP SILENT GRAPH <http://example.org/g> ;
    INSERT DATA { GRAPH <http://example.org/g> {
    <http://example.org/g> <http://example.org/p> <http://example.org/o> .
    } } ;
    INSERT DATA { GRAPH <http://example.org/g> {
    <http://example.org/g> <http://example.org/p> <http://example.org/o> .
    } }
    >>> b = Quad(g, NamedNode("http://example.org/p"), BlankNode("r1"), g)
    >>> print(replace_graph_update(g.value, [b], blank_nodes_as_template=True))
    DROP SILENT GRAPH <http://example.org/g> ;
    INSERT { GRAPH <http://example.org/g> {
    <http://example.org/g> <http://example.org/p> _:r1 .
    } } WHERE {}
    """
    graph = iri_ref(graph_iri)
    batch = list(quads)
    lines = list(triple_lines(graph_iri, batch))
    plain: list[str] = []
    groups: dict[str, list[str]] = {}
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            label = parent[label]
        return label

    with_blanks: list[tuple[list[str], str]] = []
    for quad, line in zip(batch, lines, strict=True):
        labels = [t.value for t in (quad.subject, quad.object) if isinstance(t, BlankNode)]
        if not labels:
            plain.append(line)
            continue
        first = root(labels[0])
        for other in labels[1:]:
            parent[root(other)] = first
        with_blanks.append((labels, line))
    for labels, line in with_blanks:
        groups.setdefault(root(labels[0]), []).append(line)

    size = per_operation or max(1, len(lines))
    operations = [f"{prologue}DROP SILENT GRAPH {graph}"]
    for start in range(0, len(plain), size):
        body = "\n".join(plain[start : start + size])
        operations.append(f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")
    packed: list[list[str]] = []
    for group in groups.values():
        if not packed or len(packed[-1]) + len(group) > size:
            packed.append([])
        packed[-1].extend(group)
    for chunk in packed:
        body = "\n".join(chunk)
        if blank_nodes_as_template:
            operations.append(f"INSERT {{ GRAPH {graph} {{\n{body}\n}} }} WHERE {{}}")
        else:
            operations.append(f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")
    return " ;\n".join(operations)
