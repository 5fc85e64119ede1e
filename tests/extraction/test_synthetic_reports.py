"""Synthetic reports (tests/extraction/synthetic.py): extraction recovers the expected facts."""

from __future__ import annotations

import pytest

from loaders.extraction import extract_text
from ontology import load_ontology
from tests.extraction.conftest import assert_exact_evidence
from tests.extraction.synthetic import SyntheticReport, generate_reports

N = 50


@pytest.fixture(scope="module")
def results() -> list[tuple[SyntheticReport, object]]:
    reports = generate_reports(N, seed=2024)
    return [(r, extract_text(r.text)) for r in reports]


def test_generator_is_deterministic_and_realistic() -> None:
    a = generate_reports(5, seed=7)
    b = generate_reports(5, seed=7)
    assert [r.text for r in a] == [r.text for r in b]
    assert [r.text for r in generate_reports(5, seed=8)] != [r.text for r in a]
    words = [len(r.text.split()) for r in generate_reports(20, seed=1)]
    assert 200 <= sum(words) / len(words) <= 400


def test_evidence_spans_are_exact(results) -> None:
    for report, record in results:
        assert_exact_evidence(record, report.text)


def test_patient_primary_and_histology(results) -> None:
    onto = load_ontology()
    hits = {"age": 0, "sex": 0, "histology": 0, "site": 0, "laterality": 0}
    for report, rec in results:
        e = report.expected
        organ = (onto.organ_site(e.primary_site) or onto.term(e.primary_site)).iri
        hits["age"] += rec.patient.age == e.age
        hits["sex"] += rec.patient.sex == e.sex
        hits["histology"] += bool(
            rec.primary_tumor.histology and rec.primary_tumor.histology.iri == e.histology
        )
        hits["site"] += bool(rec.primary_tumor.site and rec.primary_tumor.site.iri == organ)
        hits["laterality"] += rec.primary_tumor.laterality == e.laterality
    assert hits["age"] == N and hits["sex"] == N
    assert min(hits.values()) >= 0.9 * N, hits


def test_metastases_negations_and_distractors(results) -> None:
    tp = fp = fn = 0
    intervals_ok = intervals = 0
    for report, rec in results:
        e = report.expected
        got = {m.site.iri: m for m in rec.metastases}
        want = set(e.metastases) | e.uncertain_metastases
        tp += len(want & set(got))
        fp += len(set(got) - want)
        fn += len(want - set(got))
        assert not (e.negated & set(got)), "a negated site reported as a metastasis"
        assert not (e.distractor_sites & set(got)), "a site from a general statement reported"
        assert e.negated <= {n.site.iri for n in rec.negated_metastases}
        for site in e.uncertain_metastases & set(got):
            assert got[site].uncertain
        for site, months in e.metastases.items():
            if months is not None and site in got:
                intervals += 1
                intervals_ok += (
                    got[site].interval_months is not None and abs(got[site].interval_months - months) <= 1
                )
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)
    assert intervals_ok >= 0.9 * intervals


def test_treatments_response_outcome(results) -> None:
    tp = fp = fn = 0
    responses = statuses = 0
    for report, rec in results:
        e = report.expected
        given = {a.iri for t in rec.treatments for a in t.agents}
        assert not (given & e.agents_not_given), "a declined or only offered drug reported as given"
        tp += len(given & e.agents)
        fp += len(given - e.agents)
        fn += len(e.agents - given)
        responses += (rec.best_response.iri if rec.best_response else None) == e.response
        statuses += rec.outcome.status == e.status
    assert tp / (tp + fp) >= 0.95 and tp / (tp + fn) >= 0.95
    assert responses >= 0.9 * N and statuses >= 0.9 * N
