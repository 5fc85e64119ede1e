"""Each named query over a real store holding the seed reports, a synthetic report and the ontology.

Expected numbers follow from the hand-made records (tests/graph/seed_records.py):
seed-000-1 kidney LMS -> lung (15 mo), pancreas; seed-001-1 thigh LMS -> pancreas head (0 mo,
synchronous) and tail; pmid-99999999-1 femur/bone osteosarcoma -> liver (uncertain, 24 mo), tail of
pancreas (6.5 mo), lung negated; pmid-99999999-2 thigh LMS -> bone/femur (24 mo).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest

from ontology import SMO, Ontology
from queries import get_query, list_queries, render, run

REQUIRED = {
    "metastasis-sites-by-primary-site",
    "metastasis-sites-by-histology",
    "time-to-metastasis-by-histology",
    "treatments-by-histology",
    "cases-with-metastasis-site",
    "co-occurring-metastasis-sites",
    "negated-findings",
    "reports-by-year",
}


def plain(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{k: term.value for k, term in row.items()} for row in rows]


def label(onto: Ontology, text: str) -> str:
    term = onto.find(text)
    assert term is not None, text
    return term.label


def iri(onto: Ontology, text: str) -> str:
    term = onto.find(text)
    assert term is not None, text
    return term.iri


def test_the_required_queries_exist() -> None:
    assert {q.name for q in list_queries()} >= REQUIRED


def test_acceptance_metastasis_sites_by_primary_site(kg: Any, onto: Ontology) -> None:
    rows = plain(run(kg, "metastasis-sites-by-primary-site"))
    pairs = {(r["primaryLabel"], r["siteLabel"]): int(r["patients"]) for r in rows}
    kidney, thigh, bone = label(onto, "kidney"), label(onto, "thigh"), label(onto, "bone")
    lung, pancreas = label(onto, "lung"), label(onto, "pancreas")
    assert pairs[(kidney, lung)] == 1
    assert pairs[(kidney, pancreas)] == 1
    assert pairs[(thigh, pancreas)] == 1, "two pancreatic metastases, one patient"
    assert pairs[(thigh, bone)] == 1
    assert pairs[(bone, label(onto, "liver"))] == 1, "uncertain findings count by default"
    assert (bone, lung) not in pairs, "a negated lung finding is never a metastasis"
    assert len(rows) == 6
    row = next(r for r in rows if r["primaryLabel"] == kidney and r["siteLabel"] == lung)
    assert row["primary"] == iri(onto, "kidney") and row["site"] == iri(onto, "lung")


def test_uncertain_findings_can_be_left_out(kg: Any, onto: Ontology) -> None:
    rows = plain(run(kg, "metastasis-sites-by-primary-site", {"include_uncertain": "false"}))
    sites = {r["siteLabel"] for r in rows}
    assert label(onto, "liver") not in sites
    assert len(rows) == 5


def test_metastasis_sites_by_histology(kg: Any, onto: Ontology) -> None:
    rows = plain(run(kg, "metastasis-sites-by-histology"))
    pairs = {(r["histologyLabel"], r["siteLabel"]): int(r["patients"]) for r in rows}
    lms, osteo = label(onto, "leiomyosarcoma"), label(onto, "osteosarcoma")
    assert pairs == {
        (lms, label(onto, "lung")): 1,
        (lms, label(onto, "pancreas")): 2,
        (lms, label(onto, "bone")): 1,
        (osteo, label(onto, "liver")): 1,
        (osteo, label(onto, "tail of pancreas")): 1,
    }
    assert rows[0]["histologyLabel"] == lms and rows[0]["siteLabel"] == label(onto, "pancreas"), "most first"


def test_time_to_metastasis_by_histology(kg: Any, onto: Ontology) -> None:
    rows = run(kg, "time-to-metastasis-by-histology")
    assert all(set(row) == set(get_query("time-to-metastasis-by-histology").results) for row in rows)
    by_label = {row["histologyLabel"].value: row for row in rows}
    lms = by_label[label(onto, "leiomyosarcoma")]
    # first intervals: 15 (seed-000), 0 (seed-001, synchronous), 24 (synthetic patient 2)
    assert int(lms["n"].value) == 3
    assert float(lms["median"].value) == 15
    assert lms["median"].datatype.value.endswith("#decimal")
    assert float(lms["min"].value) == 0 and float(lms["max"].value) == 24
    osteo = by_label[label(onto, "osteosarcoma")]
    assert (int(osteo["n"].value), float(osteo["median"].value)) == (1, 6.5)


def test_median_of_an_even_number_of_patients(kg: Any, onto: Ontology) -> None:
    rows = run(kg, "time-to-metastasis-by-histology", {"include_uncertain": "no"})
    osteo = next(r for r in rows if r["histologyLabel"].value == label(onto, "osteosarcoma"))
    assert float(osteo["median"].value) == 6.5, "the uncertain 24-month liver finding is left out"


def test_treatments_by_histology_with_best_responses(kg: Any, onto: Ontology) -> None:
    rows = plain(run(kg, "treatments-by-histology"))
    got = {
        (r["histologyLabel"], r["kindLabel"], r["therapyLabel"], r.get("responseLabel")): int(r["patients"])
        for r in rows
    }
    lms, osteo = label(onto, "leiomyosarcoma"), label(onto, "osteosarcoma")
    chemo, surgery = onto.label(SMO.Chemotherapy), onto.label(SMO.Surgery)
    pr, cr = label(onto, "partial response"), label(onto, "complete response")
    surgery_rows = {
        (lms, surgery, label(onto, "radical nephrectomy"), pr): 1,
        (lms, surgery, label(onto, "VATS"), pr): 1,
        (lms, surgery, surgery, None): 1,  # a surgery with no named procedure counts as its kind
        (lms, surgery, label(onto, "pylorus-preserving pancreaticoduodenectomy"), None): 1,
        (lms, surgery, label(onto, "distal pancreatectomy"), None): 1,
        (osteo, surgery, surgery, cr): 1,
    }
    chemo_rows = {
        (lms, chemo, label(onto, "GD"), pr): 1,
        (lms, chemo, label(onto, "gemcitabine"), pr): 1,
        (lms, chemo, label(onto, "docetaxel"), pr): 1,
        (osteo, chemo, label(onto, "ifosfamide"), cr): 1,  # mesna is supportive: not a row
    }
    assert got == surgery_rows | chemo_rows
    assert all("response" not in r for r in rows if r.get("responseLabel") is None)


def test_cases_with_metastasis_site_rolls_sub_sites_up(kg: Any, onto: Ontology) -> None:
    rows = plain(run(kg, "cases-with-metastasis-site", {"site": "pancreas"}))
    assert [r["caseId"] for r in rows] == ["pmid-99999999-1", "seed-000-1", "seed-001-1"]
    by_case = {r["caseId"]: r for r in rows}
    assert by_case["pmid-99999999-1"]["metastases"] == "1", "recorded at the tail: rolls up to pancreas"
    assert by_case["seed-001-1"]["metastases"] == "2", "one row per patient, two findings"
    assert float(by_case["seed-001-1"]["firstMonths"]) == 0
    assert "firstMonths" not in by_case["seed-000-1"]
    assert by_case["seed-000-1"]["primaryLabel"] == label(onto, "kidney")
    assert by_case["seed-000-1"]["report"].endswith("/report/seed-000")

    tail = plain(run(kg, "cases-with-metastasis-site", {"site": "tail of pancreas"}))
    assert [r["caseId"] for r in tail] == ["pmid-99999999-1", "seed-001-1"], "subsite counts too"
    femur = plain(run(kg, "cases-with-metastasis-site", {"site": "smo:" + iri(onto, "femur").split("#")[1]}))
    assert [r["caseId"] for r in femur] == ["pmid-99999999-2"]
    bone = plain(run(kg, "cases-with-metastasis-site", {"site": iri(onto, "bone")}))
    assert [r["caseId"] for r in bone] == ["pmid-99999999-2"]


def test_cases_with_metastasis_site_never_matches_negated_findings(kg: Any) -> None:
    rows = plain(run(kg, "cases-with-metastasis-site", {"site": "lung"}))
    assert [r["caseId"] for r in rows] == ["seed-000-1"]


def test_cases_with_metastasis_site_and_uncertainty(kg: Any) -> None:
    assert [r["caseId"].value for r in run(kg, "cases-with-metastasis-site", {"site": "liver"})] == [
        "pmid-99999999-1"
    ]
    assert run(kg, "cases-with-metastasis-site", {"site": "liver", "include_uncertain": "false"}) == []


def test_co_occurring_metastasis_sites(kg: Any, onto: Ontology) -> None:
    rows = plain(run(kg, "co-occurring-metastasis-sites"))
    pairs = {frozenset((r["site1Label"], r["site2Label"])): int(r["patients"]) for r in rows}
    assert pairs == {
        frozenset((label(onto, "lung"), label(onto, "pancreas"))): 1,
        frozenset((label(onto, "liver"), label(onto, "tail of pancreas"))): 1,
    }


def test_negated_findings(kg: Any, onto: Ontology) -> None:
    rows = plain(run(kg, "negated-findings"))
    assert rows == [
        {
            "site": iri(onto, "lung"),
            "siteLabel": label(onto, "lung"),
            "patients": "1",
            "cases": "pmid-99999999-1",
        }
    ]


def test_reports_by_year(kg: Any) -> None:
    rows = plain(run(kg, "reports-by-year"))
    assert {r.get("year"): (int(r["reports"]), int(r["patients"])) for r in rows} == {
        None: (1, 1),
        "2013": (1, 1),
        "2020": (1, 2),
    }


def test_reports_mentioning(kg: Any) -> None:
    rows = plain(run(kg, "reports-mentioning", {"text": "Pancreatic"}))
    assert sorted(r["report"].rsplit("/", 1)[1] for r in rows) == ["pmid-99999999", "seed-000", "seed-001"]
    gd = plain(run(kg, "reports-mentioning", {"text": "GD therapy"}))
    assert [r["report"].rsplit("/", 1)[1] for r in gd] == ["seed-000"]
    synthetic = plain(run(kg, "reports-mentioning", {"text": "femoral"}))
    assert synthetic[0]["pmid"] == "99999999" and synthetic[0]["patients"] == "2"


@pytest.mark.parametrize("name", sorted(q.name for q in list_queries()))
def test_result_variables_match_the_header(name: str) -> None:
    """The SELECT clause projects exactly the header's variables (post steps accounted for)."""
    query = get_query(name)
    params = {p.name: "pancreas" if p.kind == "iri" else "x" for p in query.parameters if p.required}
    solutions = ox.Store().query(render(query, params))
    assert isinstance(solutions, ox.QuerySolutions)
    projected = [var.value for var in solutions.variables]
    post_in = [step.source for step in query.post]
    post_out = [step.target for step in query.post]
    assert [v for v in projected if v not in post_in] == [v for v in query.results if v not in post_out]
    assert set(post_in) <= set(projected)
