"""``/api/cases``, ``/api/terms`` and ``/api/queries`` against a real server holding the example reports."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from loaders.records import CaseRecord
from tests.api.research_seed import seed_documents

SMO = "https://w3id.org/sarcokg/ontology#"


def case_ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["case_id"] for item in response.json()["items"]]


# -- /api/cases ----------------------------------------------------------------------------------


def test_list_all_cases_with_summaries(client: httpx.Client) -> None:
    body = client.get("/api/cases").json()
    assert body["total"] == 2 and body["page"] == 1
    first = body["items"][0]
    assert first["case_id"] == "seed-000-1"
    assert first["iri"] == "https://w3id.org/sarcokg/id/patient/seed-000-1"
    assert first["report"] == "https://w3id.org/sarcokg/id/report/seed-000"
    assert (first["age"], first["sex"]) == (64, "female")
    assert first["primary_site"]["label"] == "kidney" and first["histology"]["label"] == "leiomyosarcoma"
    assert [s["label"] for s in first["metastasis_sites"]] == ["lung", "pancreas"]
    second = body["items"][1]
    assert [s["label"] for s in second["metastasis_sites"]] == ["pancreas"]  # head and tail: one organ


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"metastasis_site": "pancreas"}, ["seed-000-1", "seed-001-1"]),
        ({"metastasis_site": "tail of pancreas"}, ["seed-001-1"]),  # the sub-site itself
        ({"metastasis_site": "lung"}, ["seed-000-1"]),
        ({"metastasis_site": "liver"}, []),  # only a negated finding
        ({"primary_site": "lower limb"}, ["seed-001-1"]),
        ({"primary_site": "kidney", "histology": "smo:Leiomyosarcoma"}, ["seed-000-1"]),
        ({"histology": "osteosarcoma"}, []),
        ({"q": "NEPHRECTOMY"}, ["seed-000-1"]),  # the report text, case-insensitive
        ({"q": "pancrea", "primary_site": "thigh"}, ["seed-001-1"]),
        ({"q": "seed-001"}, ["seed-001-1"]),  # the case id
    ],
)
def test_filters(client: httpx.Client, params: dict[str, str], expected: list[str]) -> None:
    assert case_ids(client.get("/api/cases", params=params)) == expected


def test_pagination(client: httpx.Client) -> None:
    first = client.get("/api/cases", params={"page_size": 1}).json()
    second = client.get("/api/cases", params={"page_size": 1, "page": 2}).json()
    beyond = client.get("/api/cases", params={"page_size": 1, "page": 3}).json()
    assert (first["total"], second["total"], beyond["total"]) == (2, 2, 2)
    assert [i["case_id"] for i in first["items"] + second["items"]] == ["seed-000-1", "seed-001-1"]
    assert beyond["items"] == []
    assert client.get("/api/cases", params={"page_size": 0}).status_code == 422
    assert client.get("/api/cases", params={"page": 0}).status_code == 422


def test_unknown_filter_term_is_400(client: httpx.Client) -> None:
    response = client.get("/api/cases", params={"metastasis_site": "moon"})
    assert response.status_code == 400
    assert response.json()["detail"] == "metastasis_site: 'moon' is not a known site term of the ontology"


def test_one_case_is_the_stored_record_with_evidence(client: httpx.Client) -> None:
    expected = {records[0].case_id: records[0] for _, records in seed_documents()}
    for case_id, record in expected.items():
        response = client.get(f"/api/cases/{case_id}")
        assert response.status_code == 200, response.text
        got = CaseRecord.model_validate(response.json())
        assert got.metastases == record.metastases
        assert got.negated_metastases == record.negated_metastases
        assert got.primary_tumor == record.primary_tumor
        assert got.patient == record.patient
        assert got.best_response == record.best_response
        assert {t.kind for t in got.treatments} == {t.kind for t in record.treatments}
    spans = client.get("/api/cases/seed-001-1").json()["metastases"][1]["evidence"]
    assert spans[0]["text"] == "new 1-cm mass in the remnant tail of the pancreas"


@pytest.mark.parametrize("case_id", ["seed-000-9", "nobody", "a%20b"])
def test_missing_case_is_404(client: httpx.Client, case_id: str) -> None:
    response = client.get(f"/api/cases/{case_id}")
    assert response.status_code == 404
    assert "no case" in response.json()["detail"]


# -- /api/terms ---------------------------------------------------------------------------------


def test_autocomplete_ranks_exact_then_prefix_and_searches_synonyms(client: httpx.Client) -> None:
    lung = client.get("/api/terms", params={"q": "lung"}).json()
    assert lung["items"][0]["label"] == "lung" and lung["items"][0]["scope"] == "label"
    pulmonary = client.get("/api/terms", params={"q": "Pulmonary"}).json()
    assert pulmonary["items"][0]["id"] == "Lung" and pulmonary["items"][0]["matched"] == "pulmonary"
    leio = client.get("/api/terms", params={"q": "leiomyo", "kind": "histology", "limit": 3}).json()
    assert len(leio["items"]) <= 3 and leio["total"] >= len(leio["items"])
    assert all(item["kind"] == "histology" for item in leio["items"])
    assert "leiomyosarcoma" in [item["label"] for item in leio["items"]]
    assert client.get("/api/terms", params={"q": "lung", "kind": "planet"}).status_code == 400
    assert client.get("/api/terms", params={"q": ""}).status_code == 422


@pytest.mark.parametrize("ref", ["PancreaticTail", "smo:PancreaticTail", SMO + "PancreaticTail"])
def test_term_detail_by_local_name_curie_or_iri(client: httpx.Client, ref: str) -> None:
    response = client.get(f"/api/terms/{quote(ref, safe='')}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["iri"] == SMO + "PancreaticTail" and body["kind"] == "site"
    assert "tail of pancreas" in body["synonyms"]["exact"]
    assert body["organ_site"]["label"] == "pancreas"
    assert "pancreas" in [p["label"] for p in body["parents"]]
    assert any(x.startswith("ICDO:") for x in body["xrefs"])
    assert any("UBERON" in m for m in body["mappings"])
    pancreas = client.get("/api/terms/Pancreas").json()
    assert "pancreatic tail" in [c["label"] for c in pancreas["children"]]


def test_unknown_term_is_404(client: httpx.Client) -> None:
    assert client.get("/api/terms/NoSuchTerm").status_code == 404
    assert client.get("/api/terms/" + SMO.replace("#", "%23") + "Nothing").status_code == 404


# -- /api/queries -------------------------------------------------------------------------------


def test_named_queries_are_listed_with_parameters(client: httpx.Client) -> None:
    queries = {q["name"]: q for q in client.get("/api/queries").json()}
    assert "metastasis-sites-by-primary-site" in queries
    site = next(p for p in queries["cases-with-metastasis-site"]["parameters"] if p["name"] == "site")
    assert site["kind"] == "iri" and site["required"] is True
    assert "SELECT" in queries["cases-with-metastasis-site"]["sparql"]


def test_named_query_runs_with_a_label_parameter(client: httpx.Client) -> None:
    response = client.get("/api/queries/cases-with-metastasis-site", params={"site": "pancreas"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["parameters"] == {"site": "pancreas"}
    values = {cell["value"] for row in body["rows"] for cell in row.values()}
    assert any(v.endswith("patient/seed-000-1") or v == "seed-000-1" for v in values)
    assert any(v.endswith("patient/seed-001-1") or v == "seed-001-1" for v in values)


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({}, "needs parameter 'site'"),
        ({"site": "smo:Lung> } ; DROP ALL ; #"}, "not a known term"),
        ({"site": "lung", "colour": "red"}, "no parameter 'colour'"),
    ],
)
def test_named_query_bad_parameters_are_400(
    client: httpx.Client, params: dict[str, str], needle: str
) -> None:
    response = client.get("/api/queries/cases-with-metastasis-site", params=params)
    assert response.status_code == 400
    assert needle in response.json()["detail"]


def test_named_query_repeated_parameter_and_unknown_query(client: httpx.Client) -> None:
    repeated = client.get("/api/queries/cases-with-metastasis-site?site=lung&site=liver")
    assert repeated.status_code == 400 and "twice" in repeated.json()["detail"]
    assert client.get("/api/queries/no-such-query").status_code == 404
    # the store is untouched by the injection attempt above
    assert client.get("/api/stats/metastasis-sites").json()["total_patients"] == 2
