"""``/api/terms``: autocomplete over the ontology's labels and synonyms, and one term's details."""

from __future__ import annotations

from typing import Annotated, get_args
from urllib.parse import unquote

from fastapi import APIRouter, Path, Query

from api.errors import BadRequestError, NotFoundError
from api.research_deps import OntologyDep, get_and_head
from api.research_models import TermDetail, TermHit, TermList, TermRef
from api.term_search import search_terms
from ontology import Kind, Ontology, OntologyTerm

__all__ = ["router", "term_detail"]

router = APIRouter(prefix="/api/terms", tags=["terms"])

KINDS: tuple[str, ...] = get_args(Kind)


def _ref(term: OntologyTerm) -> TermRef:
    return TermRef(iri=term.iri, label=term.label)


def term_detail(ontology: Ontology, term: OntologyTerm) -> TermDetail:
    """Everything the ontology says about ``term``, with its direct parents and children."""
    organ = ontology.organ_site(term.iri) if term.kind == "site" else None
    return TermDetail(
        iri=term.iri,
        id=term.local_name,
        label=term.label,
        kind=term.kind,
        definition=term.definition,
        synonyms={
            "exact": list(term.exact_synonyms),
            "related": list(term.related_synonyms),
            "narrow": list(term.narrow_synonyms),
            "broad": list(term.broad_synonyms),
        },
        xrefs=list(term.xrefs),
        mappings=list(term.matches),
        organ_level=term.organ_level,
        deprecated=term.deprecated,
        organ_site=_ref(organ) if organ is not None else None,
        parents=[_ref(t) for t in ontology.parents(term.iri)],
        children=[_ref(t) for t in ontology.children(term.iri)],
    )


@get_and_head(
    router, "", response_model=TermList, operation_id="search_terms", summary="Autocomplete ontology terms"
)
def list_terms(
    ontology: OntologyDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="the start of a label or synonym")],
    kind: Annotated[
        str | None, Query(description=f"only terms of this kind: {', '.join(KINDS)}", examples=["site"])
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="at most this many terms")] = 20,
) -> TermList:
    """Terms whose label or a synonym matches ``q`` (equal, then prefix, word prefix, substring)."""
    if kind is not None and kind not in KINDS:
        raise BadRequestError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    hits = search_terms(ontology, q, kind=kind)  # type: ignore[arg-type]
    return TermList(
        q=q,
        total=len(hits),
        items=[
            TermHit(
                iri=h.term.iri,
                id=h.term.local_name,
                label=h.term.label,
                kind=h.term.kind,
                matched=h.form,
                scope=h.scope,
            )
            for h in hits[:limit]
        ],
    )


@get_and_head(
    router,
    "/{term_id:path}",
    response_model=TermDetail,
    operation_id="get_term",
    summary="One ontology term",
    responses={404: {"description": "no such term"}},
)
def get_term(
    ontology: OntologyDep,
    term_id: Annotated[
        str, Path(description="local name (Lung), CURIE (smo:Lung) or IRI", examples=["Lung"])
    ],
) -> TermDetail:
    """Label, definition, synonyms, cross-references, mappings, parents and children of a term."""
    ref = unquote(term_id)
    term = ontology.get(ref) if ref.startswith(("http://", "https://")) else None
    if term is None and not ref.startswith(("http://", "https://")):
        term = ontology.resolve(ref)
    if term is None:
        raise NotFoundError(f"no ontology term {ref!r}")
    return term_detail(ontology, term)
