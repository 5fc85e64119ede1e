"""The research statistics, as sums over the cubes of :mod:`api.stats_cubes`.

Every count is of distinct patients. Sites roll up through the ontology: a metastasis in the
pancreatic tail counts for the pancreas (its organ-level site), and a filter ``primary_site=lower
limb`` keeps primaries in the thigh or the femur. Negated metastases are never counted (they hang
off another property). Metastases the report only suspects count unless ``include_uncertain`` is
false. These are the rules of the named queries ``metastasis-sites-by-primary-site``,
``time-to-metastasis-by-histology`` and ``treatments-by-histology``, so both answer alike.

>>> from ontology import SMO_NS, load_ontology
>>> view = TermView(load_ontology())
>>> kidney, lung = SMO_NS + "Kidney", SMO_NS + "Lung"
>>> patients = {((kidney, None, None),): 2}
>>> sites = {((kidney, None, None), lung): 1}
>>> out = metastasis_sites(patients, sites, view, by="primary_site")
>>> row = out["rows"][0]
>>> out["total_patients"], row["group"]["label"], row["site"]["label"], row["share"]
(2, 'kidney', 'lung', 0.5)

Results are plain JSON-ready dicts in the shapes of :mod:`api.research_models` (which document
them): building thousands of pydantic rows would cost more than the counting itself.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from api.errors import BadRequestError
from api.stats_cubes import PatientKey
from ontology import Kind, Ontology

__all__ = [
    "GroupBy",
    "PatientFilter",
    "TermView",
    "metastasis_sites",
    "time_to_metastasis",
    "treatments",
]

GroupBy = Literal["primary_site", "histology"]
Cells = Mapping[tuple[Any, ...], int]
Json = dict[str, Any]
_RESPONSE_ORDER = ("complete response", "partial response", "stable disease", "progressive disease", "none")


class TermView:
    """Labels, roll-ups and descendant sets of ontology terms, cached per IRI."""

    def __init__(self, ontology: Ontology) -> None:
        self.ontology = ontology
        self._organ: dict[str, str] = {}
        self._below: dict[str, frozenset[str]] = {}
        self._supportive: dict[str, bool] = {}

    def label(self, iri: str) -> str:
        """The ontology's label, else the IRI's local name."""
        term = self.ontology.get(iri)
        return term.label if term is not None else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def ref(self, iri: str) -> dict[str, str]:
        """``{"iri", "label"}`` of a term."""
        return {"iri": iri, "label": self.label(iri)}

    def organ(self, iri: str) -> str:
        """The organ-level site at or above ``iri`` (the IRI itself when there is none)."""
        found = self._organ.get(iri)
        if found is None:
            term = self.ontology.organ_site(iri)
            found = self._organ[iri] = term.iri if term is not None else iri
        return found

    def at_or_below(self, iri: str) -> frozenset[str]:
        """``iri`` and every term under it (kinds and parts)."""
        found = self._below.get(iri)
        if found is None:
            found = self._below[iri] = frozenset(self.ontology.descendants(iri, include_self=True))
        return found

    def supportive(self, iri: str) -> bool:
        """Whether an agent is supportive care (mesna, G-CSF): never counted as therapy."""
        found = self._supportive.get(iri)
        if found is None:
            found = self._supportive[iri] = self.ontology.agent_kind(iri) == "supportive"
        return found

    def resolve(self, value: str | None, *, kind: Kind, parameter: str) -> str | None:
        """The IRI named by ``value`` (IRI, CURIE, local name, label or synonym); 400 if unknown.

        ``None`` or blank (a filter not given) gives ``None``.
        """
        if value is None or not value.strip():
            return None
        term = self.ontology.resolve(value, kind)
        if term is None or term.kind != kind:
            raise BadRequestError(f"{parameter}: {value!r} is not a known {kind} term of the ontology")
        return term.iri


@dataclass(frozen=True)
class PatientFilter:
    """Filters on the patient key (each rolls up through the hierarchy)."""

    primary_site: str | None = None
    histology: str | None = None
    include_uncertain: bool = True

    def predicate(self, view: TermView) -> Callable[[PatientKey], bool]:
        """A test for one patient key."""
        primary = view.at_or_below(self.primary_site) if self.primary_site else None
        histology = view.at_or_below(self.histology) if self.histology else None

        def keep(key: PatientKey) -> bool:
            site, subsite, hist = key
            if primary is not None and site not in primary and subsite not in primary:
                return False
            return histology is None or hist in histology

        return keep

    def cube(self, name: str) -> str:
        """Which cube holds the metastases this filter counts."""
        return name if self.include_uncertain else f"certain-{name}"


def group_of(key: PatientKey, by: GroupBy, view: TermView) -> str | None:
    """The group of a patient: its histology, or the organ of its primary site."""
    if by == "histology":
        return key[2]
    site = key[0] or key[1]
    return view.organ(site) if site else None


def _population(patients: Cells, view: TermView, where: PatientFilter) -> dict[PatientKey, int]:
    keep = where.predicate(view)
    return {cell[0]: n for cell, n in patients.items() if keep(cell[0])}


def _groups(population: Mapping[PatientKey, int], by: GroupBy, view: TermView) -> dict[PatientKey, str]:
    """The group of each key of the population that has one."""
    out = {}
    for key in population:
        group = group_of(key, by, view)
        if group is not None:
            out[key] = group
    return out


def metastasis_sites(
    patients: Cells, sites: Cells, view: TermView, *, by: GroupBy, where: PatientFilter = PatientFilter()
) -> Json:
    """Patients per (group, organ-level metastasis site) (shape: :class:`MetastasisSites`).

    ``total_patients`` counts the patients passing the filters; ``share`` is a row's patients
    over its group's patients (``group_patients``, metastasised or not).
    """
    population = _population(patients, view, where)
    groups = _groups(population, by, view)
    group_size: dict[str, int] = defaultdict(int)
    for key, group in groups.items():
        group_size[group] += population[key]
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for (key, organ), n in sites.items():
        found = groups.get(key)
        if found is not None and organ is not None:
            cells[(found, organ)] += n
    refs: dict[str, dict[str, str]] = {}

    def ref(iri: str) -> dict[str, str]:
        found = refs.get(iri)
        if found is None:
            found = refs[iri] = view.ref(iri)
        return found

    rows: list[Json] = [
        {
            "group": ref(group),
            "site": ref(organ),
            "patients": n,
            "group_patients": group_size[group],
            "share": round(n / group_size[group], 4) if group_size[group] else 0.0,
        }
        for (group, organ), n in cells.items()
    ]
    rows.sort(key=lambda r: (-r["patients"], r["group"]["label"].casefold(), r["site"]["label"].casefold()))
    return {"by": by, "total_patients": sum(population.values()), "rows": rows}


def time_to_metastasis(
    patients: Cells, first: Cells, view: TermView, *, by: GroupBy, where: PatientFilter = PatientFilter()
) -> Json:
    """Months from primary diagnosis to the first metastasis, per group: n, median, quartiles, range
    (shape: :class:`TimeToMetastasis`)."""
    population = _population(patients, view, where)
    groups = _groups(population, by, view)
    values: dict[str, list[float]] = defaultdict(list)
    for (key, months), n in first.items():
        group = groups.get(key)
        if group is not None and months is not None:
            values[group].extend([months] * n)
    rows: list[Json] = []
    for group, months in values.items():
        months.sort()
        quartiles = statistics.quantiles(months, n=4, method="inclusive") if len(months) > 1 else months * 3
        rows.append(
            {
                "group": view.ref(group),
                "patients": len(months),
                "synchronous_patients": sum(1 for m in months if m == 0),
                "median_months": round(statistics.median(months), 2),
                "q1_months": round(quartiles[0], 2),
                "q3_months": round(quartiles[2], 2),
                "min_months": months[0],
                "max_months": months[-1],
                "mean_months": round(statistics.fmean(months), 2),
            }
        )
    rows.sort(key=lambda r: (-r["patients"], r["group"]["label"].casefold()))
    return {
        "by": by,
        "total_patients": sum(population.values()),
        "patients_with_interval": sum(r["patients"] for r in rows),
        "rows": rows,
    }


def treatments(
    patients: Cells, given: Cells, view: TermView, *, where: PatientFilter = PatientFilter()
) -> Json:
    """Patients per treatment kind and therapy (regimen, agent or procedure), with best responses
    (shape: :class:`Treatments`).

    A regimen and its agents each get a row; ``therapy`` is ``null`` on the row of a kind given
    without a named therapy. ``best_responses`` counts the patients' best overall response (the
    model records it per patient, not per treatment); ``none`` = not reported. Supportive agents
    (mesna, G-CSF) are not therapy.
    """
    population = _population(patients, view, where)
    total = sum(population.values())
    cells: dict[tuple[str, str | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (key, response, kind, therapy), n in given.items():
        if key in population and not (therapy and view.supportive(therapy)):
            cells[(kind, therapy)][view.label(response) if response else "none"] += n
    order = {label: i for i, label in enumerate(_RESPONSE_ORDER)}
    rows: list[Json] = []
    for (kind, therapy), responses in cells.items():
        count = sum(responses.values())
        ordered = sorted(responses.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
        rows.append(
            {
                "kind": kind,
                "therapy": view.ref(therapy) if therapy else None,
                "patients": count,
                "share": round(count / total, 4) if total else 0.0,
                "best_responses": dict(ordered),
            }
        )
    rows.sort(
        key=lambda r: (r["kind"], -r["patients"], r["therapy"]["label"].casefold() if r["therapy"] else "")
    )
    return {"total_patients": total, "rows": rows}
