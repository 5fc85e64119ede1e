"""Pre-aggregated counts ("cubes") that the statistics endpoints answer from.

Why: "patients per metastasis site per primary site" is a join over every report graph; on an
on-disk pyoxigraph store of 100k cases it takes 1.5-1.9 s, and every filter would be another
such query. Scanning per-patient facts out of the store instead is slower still: decoding a
million IRIs costs more than the join. What the engine does fast is aggregate. So each cube is
ONE aggregate query whose groups carry everything a filter or a grouping needs:

- a patient key ``(primary site, primary sub-site, histology)`` (stored IRIs, possibly ``None``);
- the measure's own dimensions (metastasis organ, months to first metastasis, therapy...);
- ``COUNT(DISTINCT ?patient)``.

A patient has one key, so distinct-patient counts of different keys add up exactly, and every
answer (any filter, either grouping, the roll-up of primaries to organs) is a sum over cube
rows in Python: milliseconds. Sites roll up in the engine, not afterwards: the metastasis
cube joins each stored site with its organ-level site (a ``VALUES`` table made from the
ontology), so a patient with metastases in the pancreatic head and tail counts once.

Reports are disjoint sets of patients too: a cube restricted to one report graph
(``GRAPH <g>``) is that report's contribution, which is how an upload updates a cube in place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from graph.mapping import TREATMENT_KIND_IRIS
from ontology import Ontology

__all__ = [
    "CUBE_NAMES",
    "Cube",
    "PatientKey",
    "SelectStore",
    "build_cube",
    "cube_query",
]

PatientKey = tuple[str | None, str | None, str | None]
"""(primary site, primary sub-site, histology) of a patient, as stored."""

KIND_BY_CLASS = {node.value: kind for kind, node in TREATMENT_KIND_IRIS.items()}
SMO = "https://w3id.org/sarcokg/ontology#"


class SelectStore(Protocol):
    """What the cubes need of a store (every :class:`graph.store.Store` has it)."""

    def select(self, sparql: str, *, timeout_s: float | None = None) -> list[dict[str, Any]]: ...


# -- the queries ------------------------------------------------------------------------------------
# {graph} is ``?g`` (the whole store) or ``<iri>`` (one report); {key} binds the patient key.
_KEY = """OPTIONAL { ?p smo:hasPrimaryTumor ?t . OPTIONAL { ?t smo:hasSite ?ps }
      OPTIONAL { ?t smo:hasSubsite ?pss } OPTIONAL { ?t smo:hasHistology ?h } }"""
_UNCERTAIN = "FILTER NOT EXISTS { ?m smo:isUncertain true }"
_QUERIES: dict[str, str] = {
    # patients per key (with or without metastases): the population of each group
    "patients": """SELECT ?ps ?pss ?h (COUNT(DISTINCT ?p) AS ?n) WHERE {
  GRAPH {graph} { ?p a smo:Patient . {key} }
} GROUP BY ?ps ?pss ?h""",
    # patients per key and organ-level metastasis site (negated findings are another property)
    "sites": """SELECT ?ps ?pss ?h ?organ (COUNT(DISTINCT ?p) AS ?n) WHERE {
  GRAPH {graph} { ?p smo:hasMetastasis ?m . ?m smo:hasSite ?ms . {certain} {key} }
  OPTIONAL { VALUES (?ms ?organOf) { {organs} } }
  BIND(COALESCE(?organOf, ?ms) AS ?organ)
} GROUP BY ?ps ?pss ?h ?organ""",
    # patients per key and months to the first metastasis (synchronous without interval = 0)
    "first": """SELECT ?ps ?pss ?h ?first (COUNT(?p) AS ?n) WHERE {
  { SELECT ?p ?ps ?pss ?h (MIN(?months) AS ?first) WHERE {
      GRAPH {graph} {
        ?p smo:hasMetastasis ?m .
        { ?m smo:intervalMonths ?months } UNION { ?m smo:isSynchronous true . BIND(0 AS ?months) }
        {certain} {key}
      }
    } GROUP BY ?p ?ps ?pss ?h }
} GROUP BY ?ps ?pss ?h ?first""",
    # patients per key, best response, treatment kind and therapy (as the named query counts them)
    "treatments": """SELECT ?ps ?pss ?h ?response ?kind ?therapy (COUNT(DISTINCT ?p) AS ?n) WHERE {
  GRAPH {graph} {
    ?p smo:hasTreatment ?tr . ?tr a ?kind . VALUES ?kind { {kinds} }
    { ?tr smo:hasRegimen ?therapy } UNION { ?tr smo:hasAgent ?therapy }
    UNION { ?tr smo:hasProcedure ?therapy }
    UNION { ?tr a ?kind FILTER NOT EXISTS { ?tr smo:hasRegimen ?r } FILTER NOT EXISTS { ?tr smo:hasAgent ?a }
            FILTER NOT EXISTS { ?tr smo:hasProcedure ?x } }
    OPTIONAL { ?p smo:hasBestResponse ?response }
    {key}
  }
} GROUP BY ?ps ?pss ?h ?response ?kind ?therapy""",
}
_DIMENSIONS = {
    "patients": (),
    "sites": ("organ",),
    "first": ("first",),
    "treatments": ("response", "kind", "therapy"),
}

#: Cube names; ``certain-`` variants leave out metastases the report only suspects.
CUBE_NAMES = ("patients", "sites", "first", "treatments", "certain-sites", "certain-first")


def cube_query(name: str, ontology: Ontology, *, graph: str | None = None) -> str:
    """The SPARQL of cube ``name`` over the whole store, or over one report graph.

    >>> from ontology import load_ontology
    >>> q = cube_query("certain-sites", load_ontology(), graph="https://w3id.org/sarcokg/id/graph/x")
    >>> "GRAPH <https://w3id.org/sarcokg/id/graph/x>" in q, "isUncertain" in q, "#PancreaticTail>" in q
    (True, True, True)
    """
    base = name.removeprefix("certain-")
    organs = " ".join(
        f"(<{term.iri}> <{organ.iri}>)"
        for term in ontology.terms("site")
        if (organ := ontology.organ_site(term.iri)) is not None
    )
    body = (
        _QUERIES[base]
        .replace("{key}", _KEY)
        .replace("{certain}", _UNCERTAIN if name.startswith("certain-") else "")
        .replace("{organs}", organs)
        .replace("{kinds}", " ".join(f"<{iri}>" for iri in KIND_BY_CLASS))
        .replace("{graph}", "?g" if graph is None else f"<{graph}>")
    )
    return f"PREFIX smo: <{SMO}>\n{body}"


def _value(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _months(term: Any) -> float | None:
    try:
        return float(Decimal(term.value))
    except (InvalidOperation, ValueError, AttributeError):
        return None


@dataclass
class Cube:
    """Distinct-patient counts by (patient key, dimensions...); ``generation`` it is true of."""

    name: str
    counts: Counter[tuple[Any, ...]] = field(default_factory=Counter)
    generation: int | None = None

    def add(self, rows: Iterable[tuple[tuple[Any, ...], int]], sign: int = 1) -> None:
        """Add (or with ``sign=-1`` remove) one report's contribution."""
        for key, n in rows:
            self.counts[key] += sign * n
            if self.counts[key] == 0:
                del self.counts[key]


def cube_rows(name: str, rows: list[dict[str, Any]]) -> list[tuple[tuple[Any, ...], int]]:
    """Cube cells from the query rows: ((key, *dimensions), patients)."""
    dimensions = _DIMENSIONS[name.removeprefix("certain-")]
    out = []
    for row in rows:
        key: PatientKey = (_value(row.get("ps")), _value(row.get("pss")), _value(row.get("h")))
        values: list[Any] = []
        for dimension in dimensions:
            term = row.get(dimension)
            if dimension == "first":
                values.append(_months(term))
            elif dimension == "kind":
                values.append(KIND_BY_CLASS.get(_value(term) or "", "other"))
            else:
                values.append(_value(term))
        out.append(((key, *values), int(row["n"].value)))
    return out


def build_cube(
    store: SelectStore, name: str, ontology: Ontology, *, graph: str | None = None
) -> list[tuple[tuple[Any, ...], int]]:
    """Run cube ``name`` (over the store or one graph) and return its cells."""
    return cube_rows(name, store.select(cube_query(name, ontology, graph=graph)))
