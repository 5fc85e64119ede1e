"""``/api/stats``: metastasis sites, time to metastasis and treatments, counted in distinct patients.

Answers are sums over pre-aggregated cubes (:mod:`api.stats_cubes`, kept by
:mod:`api.stats_service`), cached per store generation; they carry a weak ``ETag`` so a client
can revalidate for free.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import ServiceDep
from api.research_deps import StatsDep, get_and_head, json_response
from api.research_models import MetastasisSites, StatsStatus, TimeToMetastasis, Treatments
from api.stats import GroupBy, PatientFilter, TermView, metastasis_sites, time_to_metastasis, treatments

__all__ = ["router"]

router = APIRouter(prefix="/api/stats", tags=["statistics"])

_TERM_HELP = "an IRI, a CURIE (smo:Kidney) or a label/synonym; sub-terms roll up"
PrimarySite = Annotated[
    str | None, Query(description=f"primary site filter: {_TERM_HELP}", examples=["kidney"])
]
Histology = Annotated[
    str | None, Query(description=f"histology filter: {_TERM_HELP}", examples=["leiomyosarcoma"])
]
IncludeUncertain = Annotated[
    bool, Query(description="also count metastases the report only suspects (as the named queries do)")
]


def _filter(
    view: TermView, primary_site: str | None, histology: str | None, include_uncertain: bool
) -> PatientFilter:
    return PatientFilter(
        primary_site=view.resolve(primary_site, kind="site", parameter="primary_site"),
        histology=view.resolve(histology, kind="histology", parameter="histology"),
        include_uncertain=include_uncertain,
    )


@get_and_head(
    router,
    "",
    response_model=StatsStatus,
    operation_id="stats_status",
    summary="State of the statistics cubes",
)
def stats_status(stats: StatsDep) -> StatsStatus:
    """Which store generation each statistics cube reflects, its size and how long it took to build."""
    return StatsStatus(**stats.status())


@get_and_head(
    router,
    "/metastasis-sites",
    response_model=MetastasisSites,
    operation_id="stats_metastasis_sites",
    summary="Patients per metastasis site, by primary site or histology",
)
async def get_metastasis_sites(
    request: Request,
    stats: StatsDep,
    service: ServiceDep,
    by: Annotated[GroupBy, Query(description="group by primary site or histology")] = "primary_site",
    primary_site: PrimarySite = None,
    histology: Histology = None,
    include_uncertain: IncludeUncertain = True,
) -> Response:
    """Distinct patients with a metastasis at each organ-level site (sub-sites rolled up), per group.

    Negated findings ("no liver metastasis") are never counted. ``share`` is the row's patients
    over the group's patients.
    """
    where = _filter(stats.view, primary_site, histology, include_uncertain)
    key = ("metastasis-sites", by, where)
    generation, body = await stats.answer(
        key,
        ("patients", where.cube("sites")),
        lambda patients, sites, view: metastasis_sites(patients, sites, view, by=by, where=where),
        timeout_s=service.timeout_for(None),
    )
    return json_response(request, body, generation=generation, key=key)


@get_and_head(
    router,
    "/time-to-metastasis",
    response_model=TimeToMetastasis,
    operation_id="stats_time_to_metastasis",
    summary="Months from primary diagnosis to first metastasis",
)
async def get_time_to_metastasis(
    request: Request,
    stats: StatsDep,
    service: ServiceDep,
    by: Annotated[GroupBy, Query(description="group by histology or primary site")] = "histology",
    primary_site: PrimarySite = None,
    histology: Histology = None,
    include_uncertain: IncludeUncertain = True,
) -> Response:
    """Per group: patients with a known interval, median, quartiles, range and mean, in months.

    A synchronous metastasis without a stated interval counts as 0 months.
    """
    where = _filter(stats.view, primary_site, histology, include_uncertain)
    key = ("time-to-metastasis", by, where)
    generation, body = await stats.answer(
        key,
        ("patients", where.cube("first")),
        lambda patients, first, view: time_to_metastasis(patients, first, view, by=by, where=where),
        timeout_s=service.timeout_for(None),
    )
    return json_response(request, body, generation=generation, key=key)


@get_and_head(
    router,
    "/treatments",
    response_model=Treatments,
    operation_id="stats_treatments",
    summary="Treatments given and best responses",
)
async def get_treatments(
    request: Request,
    stats: StatsDep,
    service: ServiceDep,
    histology: Histology = None,
    primary_site: PrimarySite = None,
) -> Response:
    """Patients per treatment kind and therapy (regimen, agent or procedure), with their best responses.

    Supportive agents (mesna, G-CSF) are not counted as therapy.
    """
    where = _filter(stats.view, primary_site, histology, True)
    key = ("treatments", where)
    generation, body = await stats.answer(
        key,
        ("patients", "treatments"),
        lambda patients, given, view: treatments(patients, given, view, where=where),
        timeout_s=service.timeout_for(None),
    )
    return json_response(request, body, generation=generation, key=key)
