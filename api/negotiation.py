"""Content negotiation: parse ``Accept`` (q-values, wildcards) and pick one of the offered formats.

Offers are listed in the server's order of preference; among equally acceptable offers the first
wins, so a missing ``Accept`` or ``*/*`` gets the default. A ``format`` parameter (``json``,
``ttl``...) overrides ``Accept`` for people typing URLs.

>>> choose("text/csv;q=0.5, application/sparql-results+xml", TABULAR_OFFERS)
<ResultFormat.XML: 'application/sparql-results+xml'>
>>> choose(None, GRAPH_OFFERS)
<ResultFormat.TURTLE: 'text/turtle'>
>>> choose("image/png", GRAPH_OFFERS) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from api.errors import BadRequestError
from graph.store import ResultFormat

__all__ = [
    "BOOLEAN_OFFERS",
    "DATASET_OFFERS",
    "FORMAT_ALIASES",
    "GRAPH_OFFERS",
    "TABULAR_OFFERS",
    "MediaRange",
    "choose",
    "content_type",
    "format_override",
    "parse_accept",
    "prefers_html",
]

T = TypeVar("T")

#: (media type, format) pairs per result kind, server preference first. Aliases map to one format.
TABULAR_OFFERS: tuple[tuple[str, ResultFormat], ...] = (
    ("application/sparql-results+json", ResultFormat.JSON),
    ("application/json", ResultFormat.JSON),
    ("application/sparql-results+xml", ResultFormat.XML),
    ("application/xml", ResultFormat.XML),
    ("text/xml", ResultFormat.XML),
    ("text/csv", ResultFormat.CSV),
    ("text/tab-separated-values", ResultFormat.TSV),
)
BOOLEAN_OFFERS: tuple[tuple[str, ResultFormat], ...] = TABULAR_OFFERS[:5]
GRAPH_OFFERS: tuple[tuple[str, ResultFormat], ...] = (
    ("text/turtle", ResultFormat.TURTLE),
    ("application/x-turtle", ResultFormat.TURTLE),
    ("application/n-triples", ResultFormat.NTRIPLES),
    ("text/plain", ResultFormat.NTRIPLES),
    ("application/ld+json", ResultFormat.JSONLD),
    ("application/json", ResultFormat.JSONLD),
    ("application/rdf+xml", ResultFormat.RDFXML),
    ("application/xml", ResultFormat.RDFXML),
    ("text/xml", ResultFormat.RDFXML),
)
DATASET_OFFERS: tuple[tuple[str, ResultFormat], ...] = (
    ("application/n-quads", ResultFormat.NQUADS),
    ("application/trig", ResultFormat.TRIG),
)

#: Short names accepted by the ``format`` parameter.
FORMAT_ALIASES: dict[str, ResultFormat] = {
    "json": ResultFormat.JSON,
    "srj": ResultFormat.JSON,
    "xml": ResultFormat.XML,
    "srx": ResultFormat.XML,
    "csv": ResultFormat.CSV,
    "tsv": ResultFormat.TSV,
    "ttl": ResultFormat.TURTLE,
    "turtle": ResultFormat.TURTLE,
    "nt": ResultFormat.NTRIPLES,
    "ntriples": ResultFormat.NTRIPLES,
    "n3": ResultFormat.TURTLE,
    "n-triples": ResultFormat.NTRIPLES,
    "jsonld": ResultFormat.JSONLD,
    "json-ld": ResultFormat.JSONLD,
    "rdfxml": ResultFormat.RDFXML,
    "rdf+xml": ResultFormat.RDFXML,
    "rdf": ResultFormat.RDFXML,
    "nq": ResultFormat.NQUADS,
    "trig": ResultFormat.TRIG,
}


@dataclass(frozen=True)
class MediaRange:
    """One element of an ``Accept`` header."""

    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """Specificity of the match with ``media_type`` (-1: no match, 0 ``*/*``, 1 ``x/*``, 2 exact)."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an ``Accept`` header; malformed elements are skipped, a bad ``q`` counts as 1.

    >>> parse_accept("text/html;level=1, */*;q=0.1")
    [MediaRange(type='text', subtype='html', q=1.0), MediaRange(type='*', subtype='*', q=0.1)]
    """
    ranges: list[MediaRange] = []
    for element in (header or "").split(","):
        media, *params = (p.strip() for p in element.split(";"))
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 1.0
        ranges.append(MediaRange(main, sub, q))
    return ranges


def _quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    best_specificity, quality = -1, 0.0
    for r in ranges:
        specificity = r.matches(media_type)
        if specificity > best_specificity:
            best_specificity, quality = specificity, r.q
    return quality


def choose(accept: str | None, offers: Sequence[tuple[str, T]]) -> T | None:
    """The acceptable offer with the highest q (the first offer wins ties); ``None`` if none fits."""
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0][1] if offers else None
    best: T | None = None
    best_q = 0.0
    for media_type, value in offers:
        q = _quality(ranges, media_type)
        if q > best_q:
            best, best_q = value, q
    return best


def format_override(value: str | None, offers: Sequence[tuple[str, ResultFormat]]) -> ResultFormat | None:
    """The format named by a ``format`` parameter (short name or media type) if it is among ``offers``.

    ``json`` and ``xml`` name the RDF flavour for graphs (JSON-LD, RDF/XML), as SPARQLWrapper expects.

    >>> format_override("csv", TABULAR_OFFERS)
    <ResultFormat.CSV: 'text/csv'>
    >>> format_override("csv", GRAPH_OFFERS) is None
    True
    >>> format_override("json", GRAPH_OFFERS)
    <ResultFormat.JSONLD: 'application/ld+json'>
    """
    if not value:
        return None
    wanted = FORMAT_ALIASES.get(value.strip().lower())
    if wanted is None:
        wanted = next((f for m, f in (*TABULAR_OFFERS, *GRAPH_OFFERS, *DATASET_OFFERS) if m == value), None)
        if wanted is None:
            raise BadRequestError(f"unknown format {value!r}; use one of {', '.join(sorted(FORMAT_ALIASES))}")
    if offers is GRAPH_OFFERS:
        wanted = {ResultFormat.JSON: ResultFormat.JSONLD, ResultFormat.XML: ResultFormat.RDFXML}.get(
            wanted, wanted
        )
    return wanted if any(f is wanted for _, f in offers) else None


def prefers_html(accept: str | None, other: str) -> bool:
    """Whether ``text/html`` is acceptable and more wanted than ``other`` (browsers vs clients).

    >>> prefers_html("text/html,application/xhtml+xml,*/*;q=0.8", "text/turtle")
    True
    >>> prefers_html("*/*", "text/turtle"), prefers_html(None, "text/turtle")
    (False, False)
    """
    ranges = parse_accept(accept)
    html = max((r.q for r in ranges if r.matches("text/html") == 2), default=0.0)
    return html > 0 and html >= _quality(ranges, other)


def content_type(fmt: ResultFormat) -> str:
    """The ``Content-Type`` for ``fmt``: ``charset=utf-8`` on ``text/*`` types.

    >>> content_type(ResultFormat.TURTLE), content_type(ResultFormat.JSON)
    ('text/turtle; charset=utf-8', 'application/sparql-results+json')
    """
    media = fmt.value
    return f"{media}; charset=utf-8" if media.startswith("text/") else media
