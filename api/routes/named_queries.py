"""``/api/queries``: the named queries of ``queries/*.rq``, listed and run with safe parameters.

Parameters come from the URL (``?site=pancreas``); the registry turns each into one RDF term
checked against the ontology or its XSD type, so a parameter can never change the query. A bad
parameter is a 400 naming it; an unknown query a 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from api.backend import Backend
from api.backend_select import BackendSelect
from api.deps import ServiceDep
from api.errors import BadRequestError, NotFoundError
from api.executor import Deadline
from api.research_deps import OntologyDep, get_and_head
from api.research_models import NamedQueryInfo, NamedQueryParameter, NamedQueryResult
from api.results import term_to_json
from queries.registry import NamedQuery, get_query, list_queries, run
from sarcokg.errors import QueryError

__all__ = ["router"]

router = APIRouter(prefix="/api/queries", tags=["named queries"])


def _info(query: NamedQuery) -> NamedQueryInfo:
    return NamedQueryInfo(
        name=query.name,
        title=query.title,
        description=query.description,
        parameters=[
            NamedQueryParameter(
                name=p.name,
                type=p.type,
                kind=p.kind,
                required=p.required,
                default=p.default,
                description=p.description,
            )
            for p in query.parameters
        ],
        results=list(query.results),
        sparql=query.sparql,
    )


@get_and_head(
    router,
    "",
    response_model=list[NamedQueryInfo],
    operation_id="list_named_queries",
    summary="Named queries",
)
def list_named_queries() -> list[NamedQueryInfo]:
    """Every named query with its parameters (name, type, default) and result variables."""
    return [_info(q) for q in list_queries()]


@get_and_head(
    router,
    "/{name}",
    response_model=NamedQueryResult,
    operation_id="run_named_query",
    summary="Run a named query",
    responses={400: {"description": "a bad or missing parameter"}, 404: {"description": "no such query"}},
)
async def run_named_query(
    request: Request,
    service: ServiceDep,
    ontology: OntologyDep,
    name: Annotated[str, Path(description="the query's name", examples=["metastasis-sites-by-primary-site"])],
) -> NamedQueryResult:
    """Run ``name`` with the URL's parameters (e.g. ``?site=pancreas``); rows in SPARQL JSON term shape."""
    try:
        query = get_query(name)
    except QueryError as exc:
        raise NotFoundError(str(exc)) from None
    params: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in params:
            raise BadRequestError(f"parameter {key!r} is given twice")
        params[key] = value
    max_rows = service.settings.max_rows

    def job(backend: Backend, deadline: Deadline) -> list[dict[str, Any]]:
        store = BackendSelect(backend, deadline=deadline, max_rows=max_rows)
        return run(store, query, params, ontology=ontology)

    rows = await service.read(job, what="named query")
    return NamedQueryResult(
        name=query.name,
        parameters=params,
        variables=list(query.results),
        rows=[{var: term_to_json(term) for var, term in row.items()} for row in rows],
    )
