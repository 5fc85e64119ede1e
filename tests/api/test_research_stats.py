"""``/api/stats`` against a real ``sarcokg serve`` holding the two example reports (hand-made records).

Counts are checked against what the records say and against the named queries run on the same
store, so the cubes and the SPARQL rules cannot drift apart unnoticed.
"""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import LiveServer

SMO = "https://w3id.org/sarcokg/ontology#"


def pairs(body: dict) -> dict[tuple[str, str], int]:
    return {(r["group"]["label"], r["site"]["label"]): r["patients"] for r in body["rows"]}


def test_acceptance_kidney_and_thigh_primaries(client: httpx.Client) -> None:
    response = client.get("/api/stats/metastasis-sites", params={"by": "primary_site"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["by"] == "primary_site"
    assert body["total_patients"] == 2
    found = pairs(body)
    assert found[("kidney", "lung")] == 1
    assert found[("kidney", "pancreas")] == 1
    assert found[("thigh", "pancreas")] == 1  # head and tail of the pancreas: one patient, rolled up
    assert ("thigh", "liver") not in found  # the negated finding is never counted
    assert len(found) == 3
    row = body["rows"][0]
    assert row["site"]["iri"].startswith(SMO) and row["group_patients"] == 1 and row["share"] == 1.0


def test_same_counts_as_the_named_query(client: httpx.Client) -> None:
    stats = pairs(client.get("/api/stats/metastasis-sites").json())
    named = client.get("/api/queries/metastasis-sites-by-primary-site").json()
    from_sparql = {
        (r["primaryLabel"]["value"], r["siteLabel"]["value"]): int(r["patients"]["value"])
        for r in named["rows"]
    }
    assert stats == from_sparql


def test_by_histology_and_filters_roll_up(client: httpx.Client) -> None:
    by_histology = client.get("/api/stats/metastasis-sites", params={"by": "histology"}).json()
    assert pairs(by_histology) == {("leiomyosarcoma", "lung"): 1, ("leiomyosarcoma", "pancreas"): 2}
    lms = next(r for r in by_histology["rows"] if r["site"]["label"] == "pancreas")
    assert lms["group_patients"] == 2 and lms["share"] == 1.0
    # "lower limb" is above the thigh: the thigh primary passes, the kidney one does not
    lower_limb = client.get("/api/stats/metastasis-sites", params={"primary_site": "lower limb"}).json()
    assert lower_limb["total_patients"] == 1 and pairs(lower_limb) == {("thigh", "pancreas"): 1}
    # a CURIE and a full IRI work too; "sarcoma" is above leiomyosarcoma
    curie = client.get("/api/stats/metastasis-sites", params={"primary_site": "smo:Kidney"}).json()
    iri = client.get("/api/stats/metastasis-sites", params={"primary_site": SMO + "Kidney"}).json()
    assert curie == iri and curie["total_patients"] == 1
    sarcoma = client.get("/api/stats/metastasis-sites", params={"histology": "sarcoma"}).json()
    assert sarcoma["total_patients"] == 2


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"primary_site": "atlantis"}, "primary_site"),
        ({"histology": "kidney"}, "histology"),  # a site is not a histology
        ({"by": "colour"}, "by"),
    ],
)
def test_bad_filters_are_400_or_422_naming_the_parameter(
    client: httpx.Client, params: dict, needle: str
) -> None:
    response = client.get("/api/stats/metastasis-sites", params=params)
    assert response.status_code in (400, 422)
    assert needle in response.text


def test_time_to_metastasis(client: httpx.Client) -> None:
    body = client.get("/api/stats/time-to-metastasis", params={"by": "histology"}).json()
    (row,) = body["rows"]
    assert row["group"]["label"] == "leiomyosarcoma"
    # first metastases: 15 months (kidney: lung at 15, pancreas at 44) and 9 months (thigh: the tail;
    # the head of the pancreas has no stated interval and is not synchronous)
    assert row["patients"] == 2 and row["min_months"] == 9 and row["max_months"] == 15
    assert row["median_months"] == 12
    by_site = client.get("/api/stats/time-to-metastasis", params={"by": "primary_site"}).json()
    assert {r["group"]["label"]: r["median_months"] for r in by_site["rows"]} == {"kidney": 15, "thigh": 9}


def test_treatments_leave_supportive_agents_out(client: httpx.Client) -> None:
    body = client.get("/api/stats/treatments", params={"histology": "leiomyosarcoma"}).json()
    assert body["total_patients"] == 2
    therapies = {(r["kind"], r["therapy"]["label"] if r["therapy"] else None): r for r in body["rows"]}
    assert ("chemotherapy", "gemcitabine") in therapies and ("chemotherapy", "GD regimen") in therapies
    assert not any("colony" in (label or "") for _, label in therapies)  # G-CSF is supportive
    gem = therapies[("chemotherapy", "gemcitabine")]
    assert gem["patients"] == 1 and gem["best_responses"] == {"partial response": 1}
    assert therapies[("surgery", "distal pancreatectomy")]["best_responses"] == {"none": 1}
    named = client.get("/api/queries/treatments-by-histology").json()["rows"]
    named_therapies = {r["therapyLabel"]["value"] for r in named if "therapyLabel" in r}
    assert {label for _, label in therapies if label} == named_therapies


def test_repeat_is_cached_and_revalidates_with_etag(client: httpx.Client) -> None:
    first = client.get("/api/stats/metastasis-sites", params={"by": "histology"})
    etag = first.headers["etag"]
    again = client.get(
        "/api/stats/metastasis-sites", params={"by": "histology"}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/stats/metastasis-sites", params={"by": "primary_site"})
    assert other.headers["etag"] != etag


def test_cube_status(client: httpx.Client) -> None:
    body = client.get("/api/stats").json()
    assert body["current"] is True
    patients = body["cubes"]["patients"]
    assert patients["generation"] == body["generation"] and patients["cells"] == 2
    assert patients["build_seconds"] is not None


def test_openapi_documents_the_endpoints_with_stable_ids_and_examples(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    ops = {op["operationId"]: (path, op) for path, item in spec["paths"].items() for op in item.values()}
    for op_id in (
        "stats_metastasis_sites",
        "stats_time_to_metastasis",
        "stats_treatments",
        "list_cases",
        "get_case",
        "search_terms",
        "get_term",
        "list_named_queries",
        "run_named_query",
        "upload_report",
        "dereference_data_iri",
        "get_ontology",
        "list_dumps",
        "get_dump",
        "void_description",
    ):
        assert op_id in ops, op_id
    path, op = ops["stats_metastasis_sites"]
    assert path == "/api/stats/metastasis-sites"
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "example" in spec["components"]["schemas"][schema]
    assert any(p["name"] == "primary_site" and p["schema"].get("examples") for p in op["parameters"])


def test_statistics_follow_writes_through_update(server: LiveServer, client: httpx.Client) -> None:
    """A SPARQL Update bumps the generation; the next request rebuilds the cubes from the store."""
    graph = "https://w3id.org/sarcokg/id/graph/hand-made"
    patient = "https://w3id.org/sarcokg/id/patient/hand-made-1"
    server.update(
        f"""PREFIX smo: <{SMO}>
INSERT DATA {{ GRAPH <{graph}> {{
  <{patient}> a smo:Patient ; smo:caseId "hand-made-1" ; smo:hasPrimaryTumor <{patient}-t> ;
     smo:hasMetastasis <{patient}-m1> , <{patient}-m2> ; smo:hasNegatedMetastasis <{patient}-n> .
  <{patient}-t> smo:hasSite smo:Kidney ; smo:hasHistology smo:Leiomyosarcoma .
  <{patient}-m1> smo:hasSite smo:PancreaticTail .
  <{patient}-m2> smo:hasSite smo:Lung ; smo:isUncertain true .
  <{patient}-n> smo:hasSite smo:Liver .
}} }}"""
    )
    try:
        body = client.get("/api/stats/metastasis-sites").json()
        assert body["total_patients"] == 3
        found = pairs(body)
        assert found[("kidney", "pancreas")] == 2  # the pancreatic tail rolls up to the pancreas
        assert found[("kidney", "lung")] == 2
        assert ("kidney", "liver") not in found
        certain = client.get("/api/stats/metastasis-sites", params={"include_uncertain": "false"}).json()
        assert pairs(certain)[("kidney", "lung")] == 1
        status = client.get("/api/stats").json()
        assert status["cubes"]["sites"]["generation"] == status["generation"]
    finally:
        server.update(f"DROP SILENT GRAPH <{graph}>")
    assert client.get("/api/stats/metastasis-sites").json()["total_patients"] == 2
