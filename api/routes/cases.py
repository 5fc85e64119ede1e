"""``/api/cases``: find cases by histology, primary site, metastasis site and text; read one case.

One SPARQL query finds the matching patients (filters roll up through the hierarchy: the terms
at or below the one asked for come from the ontology as a ``VALUES`` list, so
``metastasis_site=pancreas`` finds a metastasis in the pancreatic tail), a second one the reports
whose text contains ``q``; the matches, sorted by case id, are cached per store generation, so
turning pages costs one small query for the page's details (report, age, sex, primary,
histology, metastasis sites).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pyoxigraph import Literal

from api.backend import Backend
from api.backend_select import BackendSelect
from api.deps import ServiceDep, SettingsDep
from api.errors import NotFoundError
from api.executor import Deadline
from api.linked_data import triples_of
from api.research_deps import CaseListsDep, OntologyDep, StatsDep, get_and_head
from api.research_models import CaseList, CaseSummary
from api.stats import TermView
from graph import vocab as v
from graph.mapping import SEX_IRIS
from graph.record_reader import record_from_store
from loaders.records import CaseRecord

__all__ = ["case_query", "router", "text_query"]

router = APIRouter(prefix="/api/cases", tags=["cases"])

_SEX_BY_IRI = {node.value: sex for sex, node in SEX_IRIS.items()}
_TERM_HELP = "an IRI, a CURIE or a label/synonym; sub-terms roll up"
_SITE_OR_SUBSITE = f"<{v.HAS_SITE.value}>|<{v.HAS_SUBSITE.value}>"


def _values(variable: str, iris: frozenset[str]) -> str:
    return f"VALUES ?{variable} {{ {' '.join(f'<{iri}>' for iri in sorted(iris))} }}"


def case_query(
    *,
    histology: frozenset[str] | None = None,
    primary_site: frozenset[str] | None = None,
    metastasis_site: frozenset[str] | None = None,
    patients: frozenset[str] | None = None,
) -> str:
    """SPARQL for the patients (and case ids) matching the filters, each filter a set of term IRIs
    (``patients``: only these).

    No ``DISTINCT`` and no ``ORDER BY``: on 100k cases they cost the engine seconds, while
    de-duplicating and sorting the rows here takes milliseconds.

    >>> "VALUES ?h { <https://w3id.org/sarcokg/ontology#Leiomyosarcoma> }" in case_query(
    ...     histology=frozenset({"https://w3id.org/sarcokg/ontology#Leiomyosarcoma"}))
    True
    """
    patterns = [f"?patient <{v.CASE_ID.value}> ?caseId ."]
    if patients is not None:
        patterns.insert(0, _values("patient", patients))
    if histology is not None:
        patterns.append(
            f"?patient <{v.HAS_PRIMARY_TUMOR.value}>/<{v.HAS_HISTOLOGY.value}> ?h . {_values('h', histology)}"
        )
    if primary_site is not None:
        patterns.append(
            f"?patient <{v.HAS_PRIMARY_TUMOR.value}>/({_SITE_OR_SUBSITE}) ?ps . {_values('ps', primary_site)}"
        )
    if metastasis_site is not None:
        patterns.append(
            f"?patient <{v.HAS_METASTASIS.value}>/({_SITE_OR_SUBSITE}) ?ms . {_values('ms', metastasis_site)}"
        )
    body = "\n    ".join(patterns)
    return f"SELECT ?patient ?caseId WHERE {{\n  GRAPH ?g {{\n    {body}\n  }}\n}}"


def text_query(text: str) -> str:
    """SPARQL for the patients whose case id, or whose report's text or title, contains ``text``
    (any case).

    Each kind of literal is scanned on its own (a property-path alternative is slower), then
    joined to its patients. The text becomes one RDF literal serialised by pyoxigraph, so quotes
    cannot escape it:

    >>> 'CONTAINS(LCASE(STR(?text)), "say \\\\"hi\\\\"")' in text_query('Say "hi"')
    True
    """
    needle = str(Literal(text.lower()))
    match = f"FILTER(CONTAINS(LCASE(STR(?text)), {needle}))"
    describes = v.DESCRIBES_CASE.value
    return f"""SELECT DISTINCT ?patient WHERE {{
  {{ GRAPH ?g {{ ?report <{v.REPORT_TEXT.value}> ?text . {match} ?report <{describes}> ?patient }} }}
  UNION
  {{ GRAPH ?g {{ ?report <{v.DCTERMS_TITLE.value}> ?text . {match} ?report <{describes}> ?patient }} }}
  UNION
  {{ GRAPH ?g {{ ?patient <{v.CASE_ID.value}> ?text . {match} }} }}
}}"""


#: Up to this many patients found by text, the structured filters are asked about them alone.
_FEW = 5000


class _Details:
    """The triples of a page of patients, their primary tumours, metastases and reports."""

    def __init__(self, store: BackendSelect, patients: list[str]) -> None:
        self.facts: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self._add(triples_of(store, patients))
        nodes = [
            o
            for p in patients
            for o in (*self.values(p, v.HAS_PRIMARY_TUMOR), *self.values(p, v.HAS_METASTASIS))
        ]
        self._add(triples_of(store, nodes))
        values = " ".join(f"<{p}>" for p in patients)
        describes = v.DESCRIBES_CASE.value
        reports = store.select(
            f"SELECT ?r ?p WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?r <{describes}> ?p }} }}"
        )
        self.report = {row["p"].value: row["r"].value for row in reports}
        report_triples = triples_of(store, sorted(set(self.report.values())), skip=v.REPORT_TEXT)
        self._add(report_triples)

    def _add(self, triples: list[Any]) -> None:
        for t in triples:
            self.facts[t.subject.value][t.predicate.value].append(t.object)

    def values(self, subject: str | None, predicate: Any) -> list[str]:
        """The values (IRIs or lexical forms) of ``predicate`` on ``subject``."""
        return [str(o.value) for o in self.facts.get(subject or "", {}).get(predicate.value, [])]

    def one(self, subject: str | None, predicate: Any) -> str | None:
        """One value of ``predicate`` on ``subject``, if any."""
        found = self.values(subject, predicate)
        return found[0] if found else None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _summary(patient: str, case_id: str, details: _Details, view: TermView) -> CaseSummary:
    tumor = details.one(patient, v.HAS_PRIMARY_TUMOR)
    primary = details.one(tumor, v.HAS_SITE) or details.one(tumor, v.HAS_SUBSITE)
    histology = details.one(tumor, v.HAS_HISTOLOGY)
    sites = [details.one(m, v.HAS_SITE) for m in details.values(patient, v.HAS_METASTASIS)]
    organs = sorted({view.organ(site) for site in sites if site}, key=view.label)
    report = details.report.get(patient)
    return CaseSummary(
        case_id=case_id,
        iri=patient,
        report=report or "",
        title=details.one(report, v.DCTERMS_TITLE),
        pmid=details.one(report, v.PMID),
        doi=details.one(report, v.DOI),
        year=_int(details.one(report, v.PUBLICATION_YEAR)),
        age=_int(details.one(patient, v.AGE_YEARS)),
        sex=_SEX_BY_IRI.get(details.one(patient, v.HAS_SEX) or ""),
        primary_site=view.ref(view.organ(primary)) if primary else None,
        histology=view.ref(histology) if histology else None,
        metastasis_sites=[view.ref(organ) for organ in organs],
    )


@get_and_head(router, "", response_model=CaseList, operation_id="list_cases", summary="Find cases")
async def list_cases(
    stats: StatsDep,
    service: ServiceDep,
    lists: CaseListsDep,
    histology: Annotated[
        str | None, Query(description=f"histology: {_TERM_HELP}", examples=["leiomyosarcoma"])
    ] = None,
    primary_site: Annotated[
        str | None, Query(description=f"primary site: {_TERM_HELP}", examples=["kidney"])
    ] = None,
    metastasis_site: Annotated[
        str | None, Query(description=f"a metastasis site: {_TERM_HELP}", examples=["pancreas"])
    ] = None,
    q: Annotated[
        str | None,
        Query(
            description="text in the report, its title or the case id (a scan: seconds on 100k reports)",
            max_length=200,
        ),
    ] = None,
    page: Annotated[int, Query(ge=1, description="page number, from 1")] = 1,
    page_size: Annotated[int, Query(ge=1, le=200, description="cases per page")] = 20,
) -> CaseList:
    """Cases matching every filter given, ordered by case id, one page at a time (with the total)."""
    view = stats.view

    def below(value: str | None, kind: Any, parameter: str) -> frozenset[str] | None:
        iri = view.resolve(value, kind=kind, parameter=parameter)
        return view.at_or_below(iri) if iri else None

    filters = (
        below(histology, "histology", "histology"),
        below(primary_site, "site", "primary_site"),
        below(metastasis_site, "site", "metastasis_site"),
        q.strip().lower() if q and q.strip() else None,
    )

    def find(backend: Backend, deadline: Deadline) -> list[tuple[str, str]]:
        """(case id, patient IRI) of every match, sorted by case id."""
        store = BackendSelect(backend, deadline=deadline)
        histology, primary, metastasis, text = filters
        by_text: frozenset[str] | None = None
        if text is not None:
            by_text = frozenset(row["patient"].value for row in store.select(text_query(text)))
            if not by_text:
                return []
        sparql = case_query(
            histology=histology,
            primary_site=primary,
            metastasis_site=metastasis,
            patients=by_text if by_text is not None and len(by_text) <= _FEW else None,
        )
        found = {row["patient"].value: row["caseId"].value for row in store.select(sparql)}
        matches = (p for p in found if by_text is None or p in by_text)
        return sorted((found[patient], patient) for patient in matches)

    def details(backend: Backend, deadline: Deadline) -> _Details:
        return _Details(BackendSelect(backend, deadline=deadline), [patient for _, patient in chosen])

    generation = service.generation
    matches: list[tuple[str, str]] | None = lists.get(filters, generation)
    if matches is None:
        matches = await service.read(find, what="case search")
        lists.put(filters, generation, matches)
    chosen = matches[(page - 1) * page_size : page * page_size]
    found = await service.read(details, what="case details")
    return CaseList(
        total=len(matches),
        page=page,
        page_size=page_size,
        items=[_summary(patient, case_id, found, view) for case_id, patient in chosen],
    )


@get_and_head(
    router,
    "/{case_id}",
    response_model=CaseRecord,
    operation_id="get_case",
    summary="One case record with its evidence",
    responses={404: {"description": "no such case"}},
)
async def get_case(
    service: ServiceDep,
    settings: SettingsDep,
    ontology: OntologyDep,
    case_id: Annotated[str, Path(description="the case id", examples=["seed-000-1"])],
) -> CaseRecord:
    """The case record of DESIGN.md §4 as stored: every fact with its evidence spans in the report text."""

    def job(backend: Backend, deadline: Deadline) -> CaseRecord | None:
        store = BackendSelect(backend, deadline=deadline)
        return record_from_store(store, case_id, base_iri=settings.base_iri, ontology=ontology)

    record = await service.read(job)
    if record is None:
        raise NotFoundError(f"no case {case_id!r} in the store")
    return record
