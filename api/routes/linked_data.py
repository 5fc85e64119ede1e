"""Dereferenceable IRIs: ``/id/...`` (data) and ``/ontology`` (the ontology), with content negotiation.

Browsers get HTML (a patient or report IRI: the case page with every fact's evidence marked in
the report text); RDF clients get Turtle, JSON-LD, N-Triples or RDF/XML by ``Accept``. Each
format also has its own URL (``/id/patient/x.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.html``),
listed in ``Link: rel="alternate"`` headers; negotiated answers say ``Vary: Accept``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api.backend import Backend
from api.backend_select import BackendSelect
from api.deps import ServiceDep, SettingsDep
from api.errors import NotAcceptableError, NotFoundError
from api.executor import Deadline
from api.html_pages import ReportInfo, case_page, render, resource_rows
from api.http import etag_for, etag_matches
from api.linked_data import (
    EXTENSIONS,
    MAX_INBOUND,
    RDF_OFFERS,
    Description,
    alternate_links,
    describe,
    serialize_description,
    site_path_for,
    split_format,
)
from api.negotiation import GRAPH_OFFERS, choose, content_type, prefers_html
from api.ontology_pages import ontology_bytes, ontology_html
from api.research_deps import OntologyDep, get_and_head
from graph import vocab as v
from graph.record_reader import record_from_store
from graph.store import ResultFormat
from loaders.records import CaseRecord
from ontology import Ontology

__all__ = ["router"]

router = APIRouter(tags=["linked data"])

Choice = ResultFormat | Literal["html"]
_LABELS = {
    ResultFormat.TURTLE: "Turtle",
    ResultFormat.JSONLD: "JSON-LD",
    ResultFormat.NTRIPLES: "N-Triples",
    ResultFormat.RDFXML: "RDF/XML",
}
_SUFFIX = {fmt: ext for ext, fmt in EXTENSIONS.items() if fmt is not None}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "HTML for browsers; Turtle, JSON-LD, N-Triples or RDF/XML by Accept",
        "content": {"text/html": {}, **{media: {} for media, _ in RDF_OFFERS}},
    },
    404: {"description": "no such resource"},
    406: {"description": "none of the formats asked for"},
}


def _negotiate(request: Request) -> Choice:
    accept = request.headers.get("accept")
    if prefers_html(accept, "text/turtle"):
        return "html"
    fmt = choose(accept, GRAPH_OFFERS)
    if fmt is None:
        raise NotAcceptableError("this resource is available as HTML, Turtle, JSON-LD, N-Triples or RDF/XML")
    return fmt


def _alternates(path: str) -> list[dict[str, str]]:
    return [
        {"href": f"{path}.{_SUFFIX[fmt]}", "type": media, "label": _LABELS[fmt]} for media, fmt in RDF_OFFERS
    ]


def _headers(path: str, negotiated: bool, etag: str) -> dict[str, str]:
    headers = {"Link": alternate_links(path), "ETag": etag}
    if negotiated:
        headers["Vary"] = "Accept"
    return headers


def _report_of(store: BackendSelect, patient: str) -> str | None:
    """The report that describes ``patient``."""
    rows = store.select(
        f"SELECT ?r WHERE {{ GRAPH ?g {{ ?r <{v.DESCRIBES_CASE.value}> <{patient}> }} }} LIMIT 1"
    )
    return rows[0]["r"].value if rows else None


def _report_info(store: BackendSelect, report: str) -> ReportInfo:
    """The report's text and identifiers, as stored."""
    fields = {
        "text": v.REPORT_TEXT,
        "title": v.DCTERMS_TITLE,
        "pmid": v.PMID,
        "doi": v.DOI,
        "journal": v.JOURNAL,
        "year": v.PUBLICATION_YEAR,
    }
    optionals = "\n".join(f"OPTIONAL {{ <{report}> <{p.value}> ?{name} }}" for name, p in fields.items())
    rows = store.select(
        f"SELECT * WHERE {{ GRAPH ?g {{ <{report}> a <{v.CASE_REPORT.value}> . {optionals} }} }} LIMIT 1"
    )
    row = rows[0] if rows else {}
    found = {name: row[name].value for name in fields if name in row}
    return ReportInfo(iri=report, text=found.pop("text", ""), **found)


def _case_records(store: BackendSelect, report: str, base_iri: str, ontology: Ontology) -> list[CaseRecord]:
    describes = v.DESCRIBES_CASE.value
    rows = store.select(
        f"SELECT ?patient WHERE {{ GRAPH ?g {{ <{report}> <{describes}> ?patient }} }} ORDER BY ?patient"
    )
    prefix = base_iri + "patient/"
    records = []
    for row in rows:
        patient = row["patient"].value
        if patient.startswith(prefix):
            record = record_from_store(store, patient[len(prefix) :], base_iri=base_iri, ontology=ontology)
            if record is not None:
                records.append(record)
    return records


def _html(
    store: BackendSelect, description: Description, path: str, base_iri: str, ontology: Ontology
) -> str:
    """The case page for a patient or a report, else the table of triples."""
    iri = description.iri
    types = description.types()
    report: ReportInfo | None = None
    records: list[CaseRecord] = []
    heading = iri
    if v.PATIENT.value in types and iri.startswith(base_iri + "patient/"):
        record = record_from_store(
            store, iri[len(base_iri + "patient/") :], base_iri=base_iri, ontology=ontology
        )
        report_iri = _report_of(store, iri)
        report = _report_info(store, report_iri) if report_iri else None
        records = [record] if record is not None else []
        heading = f"Case {record.case_id}" if record is not None else iri
    elif v.CASE_REPORT.value in types:
        report = _report_info(store, iri)
        records = _case_records(store, iri, base_iri, ontology)
        heading = f"Report {report.title or iri.rsplit('/', 1)[-1]}"
    if report is not None and records:
        return case_page(
            heading=heading,
            iri=iri,
            path=path,
            report=report,
            records=records,
            base_iri=base_iri,
            alternates=_alternates(path),
        )
    derived = [
        t.object.value
        for t in description.outbound
        if t.predicate == v.PROV_WAS_DERIVED_FROM and isinstance(t.object, ox.NamedNode)
    ]
    href = site_path_for(derived[0], base_iri) if derived else None
    case_link = {"href": href, "label": "the report " + derived[0].rsplit("/", 1)[-1]} if href else None
    labels = [t.object for t in description.outbound if t.predicate == v.RDFS_LABEL]
    label = labels[0].value if labels and isinstance(labels[0], ox.Literal) else None
    return render(
        "resource.html",
        heading=label or iri.rsplit("/", 1)[-1],
        iri=iri,
        alternates=_alternates(path),
        rows=resource_rows(description, base_iri),
        case_link=case_link,
        max_inbound=MAX_INBOUND,
    )


@get_and_head(
    router,
    "/id/{rest:path}",
    operation_id="dereference_data_iri",
    summary="Dereference a data IRI",
    response_class=Response,
    responses=_RESPONSES,
)
async def dereference(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    ontology: OntologyDep,
    rest: Annotated[str, Path(description="the IRI after the base (patient/seed-000-1)")],
) -> Response:
    """``{base}{rest}`` described in the negotiated format (or the one its suffix names)."""
    base = settings.base_iri
    split = split_format(rest)

    def job(backend: Backend, deadline: Deadline) -> tuple[Description, str, Choice | None, str | None]:
        store = BackendSelect(backend, deadline=deadline, max_rows=service.settings.max_rows)
        found = describe(store, base + rest, ontology)
        if found.found or split is None:
            explicit: Choice | None = None
            path = "/id/" + rest
        else:
            stem, fmt = split
            found = describe(store, base + stem, ontology)
            explicit, path = (fmt or "html"), "/id/" + stem
        if not found.found:
            return found, path, explicit, None
        choice = explicit or _negotiate(request)
        page = _html(store, found, path, base, ontology) if choice == "html" else None
        return found, path, choice, page

    etag_base = (service.generation, rest, request.headers.get("accept"))
    description, path, choice, page = await service.read(job, what="resource description")
    if not description.found:
        raise NotFoundError(f"no resource <{description.iri}> in the store")
    negotiated = split is None or path == "/id/" + rest
    etag = etag_for(*etag_base)
    headers = _headers(path, negotiated, etag)
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    if choice == "html":
        assert page is not None
        return Response(page, media_type="text/html; charset=utf-8", headers=headers)
    assert isinstance(choice, ResultFormat)
    return Response(
        serialize_description(description, choice), media_type=content_type(choice), headers=headers
    )


def _ontology_response(request: Request, ontology: Ontology, explicit: Choice | None) -> Response:
    choice = explicit or _negotiate(request)
    etag = etag_for(0, ontology.sha256, choice)
    headers = _headers("/ontology", explicit is None, etag)
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    if choice == "html":
        return Response(ontology_html(ontology), media_type="text/html; charset=utf-8", headers=headers)
    return Response(ontology_bytes(ontology, choice), media_type=content_type(choice), headers=headers)


@get_and_head(
    router,
    "/ontology",
    operation_id="get_ontology",
    summary="The ontology (every term; term IRIs ...ontology#Term land here)",
    response_class=Response,
    responses=_RESPONSES,
)
def get_ontology(request: Request, ontology: OntologyDep) -> Response:
    """The ontology as HTML (an anchor per term), Turtle (the source file), JSON-LD, N-Triples or RDF/XML."""
    return _ontology_response(request, ontology, None)


@get_and_head(
    router,
    "/ontology.{ext}",
    operation_id="get_ontology_as",
    summary="The ontology in one format (ttl, jsonld, nt, rdf, owl, html)",
    response_class=Response,
    responses=_RESPONSES,
)
def get_ontology_as(
    request: Request,
    ontology: OntologyDep,
    ext: Annotated[str, Path(description="ttl, jsonld, nt, rdf, owl or html")],
) -> Response:
    """The ontology in the format its suffix names (``.owl`` is RDF/XML)."""
    ext = "rdf" if ext == "owl" else ext
    if ext not in EXTENSIONS:
        raise NotFoundError(f"no ontology format {ext!r}; use one of {', '.join([*EXTENSIONS, 'owl'])}")
    return _ontology_response(request, ontology, EXTENSIONS[ext] or "html")
