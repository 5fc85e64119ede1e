"""Autocomplete over the ontology's labels and synonyms, for ``GET /api/terms?q=``.

Each term appears once, under its best-matching surface form. Ranking: a form equal to the
query, then forms starting with it, then forms with a word starting with it, then forms
containing it; within a rank, shorter forms first (the closest completion), then labels before
exact, related, narrow and broad synonyms. Matching uses the ontology's own normalisation
(case, hyphens, British spelling).

>>> from ontology import load_ontology
>>> hits = search_terms(load_ontology(), "pulmon")
>>> hits[0].term.label, hits[0].form, hits[0].scope
('lung', 'pulmonary', 'related')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ontology import Kind, Ontology, OntologyTerm, normalize

__all__ = ["TermMatch", "search_terms"]

_SCOPE_RANK = {"label": 0, "exact": 1, "related": 2, "narrow": 3, "broad": 4}


@dataclass(frozen=True)
class TermMatch:
    """One hit: the term, the surface form that matched and that form's scope."""

    term: OntologyTerm
    form: str
    scope: str


@lru_cache(maxsize=4)
def _forms(ontology: Ontology) -> tuple[tuple[str, str, str, str], ...]:
    """(normalised form, form, scope, term IRI) for every label and synonym, once per ontology."""
    return tuple(
        (normalize(entry.form), entry.form, entry.scope, entry.iri) for entry in ontology.vocabulary()
    )


def _match_rank(norm_form: str, query: str) -> int | None:
    if norm_form == query:
        return 0
    if norm_form.startswith(query):
        return 1
    if any(word.startswith(query) for word in norm_form.split()[1:]):
        return 2
    if query in norm_form:
        return 3
    return None


def search_terms(ontology: Ontology, text: str, *, kind: Kind | None = None) -> list[TermMatch]:
    """Terms whose label or a synonym matches ``text``, best first (see the module docstring)."""
    query = normalize(text)
    if not query:
        return []
    best: dict[str, tuple[tuple[int, int, int, str], str, str]] = {}
    for norm_form, form, scope, iri in _forms(ontology):
        rank = _match_rank(norm_form, query)
        if rank is None:
            continue
        key = (rank, len(form), _SCOPE_RANK.get(scope, 5), form.lower())
        if iri not in best or key < best[iri][0]:
            best[iri] = (key, form, scope)
    hits = []
    for iri, (_key, form, scope) in sorted(best.items(), key=lambda item: (item[1][0], item[0])):
        term = ontology.term(iri)
        if kind is None or term.kind == kind:
            hits.append(TermMatch(term, form, scope))
    return hits
