"""``POST /api/reports`` against a real server: auth, size cap, bad input (store unchanged), curated and
text uploads (real extraction), and the statistics following each upload without a rebuild."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.api.conftest import LiveServer
from tests.api.research_seed import EXAMPLES

SMO = "https://w3id.org/sarcokg/ontology#"
CAP = 20_000
TEXT = "A 50-year-old man with synovial sarcoma of the thigh developed lung metastases 12 months later."
ALL_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def curated(case_id: str = "upload-demo-1", *, site: str = "Lung", text: str = TEXT) -> dict[str, Any]:
    """A curated record with its report text and an evidence span that quotes it."""
    start = text.index("lung metastases")
    return {
        "case_id": case_id,
        "report_text": text,
        "patient": {"age": 50, "sex": "male"},
        "primary_tumor": {
            "site": {"iri": SMO + "Thigh", "label": "thigh"},
            "histology": {"iri": SMO + "SynovialSarcoma", "label": "synovial sarcoma"},
        },
        "metastases": [
            {
                "site": {"iri": SMO + site, "label": site.lower()},
                "interval_months": 12,
                "evidence": [{"start": start, "end": start + 15, "text": "lung metastases"}],
            }
        ],
    }


@pytest.fixture(scope="module")
def server(live_server_factory: Callable[..., LiveServer]) -> LiveServer:
    return live_server_factory(max_upload_bytes=CAP)


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client(timeout=120) as c:
        yield c


def quads(client: httpx.Client) -> int:
    response = client.get("/sparql", params={"query": ALL_QUADS}, headers={"Accept": "application/json"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def upload(client: httpx.Client, server: LiveServer, name: str, data: bytes, **kwargs: Any) -> httpx.Response:
    return client.post("/api/reports", files={"file": (name, data)}, headers=server.auth, **kwargs)


def test_writes_need_the_token(server: LiveServer, client: httpx.Client) -> None:
    body = json.dumps(curated()).encode()
    missing = client.post("/api/reports", files={"file": ("a.json", body)})
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    wrong = client.post(
        "/api/reports", files={"file": ("a.json", body)}, headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401
    assert client.get("/api/cases/upload-demo-1").status_code == 404


def test_read_only_service_refuses_uploads(live_server_factory: Callable[..., LiveServer]) -> None:
    read_only = live_server_factory(token=None)
    response = httpx.post(f"{read_only.url}/api/reports", files={"file": ("a.json", b"{}")}, timeout=30)
    assert response.status_code == 403 and "read-only" in response.json()["detail"]


def test_curated_upload_is_loaded_and_the_cubes_follow(server: LiveServer, client: httpx.Client) -> None:
    status_before = client.get("/api/stats").json()
    response = upload(client, server, "demo.json", json.dumps(curated()).encode())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["reports"] == ["https://w3id.org/sarcokg/id/report/upload-demo"]
    assert response.headers["location"] == "/id/report/upload-demo"
    (case,) = body["cases"]
    assert case["case_id"] == "upload-demo-1" and case["source"]["path"] == "demo.json"
    stored = client.get("/api/cases/upload-demo-1").json()
    assert stored["metastases"][0]["evidence"] == case["metastases"][0]["evidence"]
    # the upload updated the cubes in place: current at once, no full rebuild
    status = client.get("/api/stats").json()
    assert status["current"] and status["generation"] == status_before["generation"] + 1
    for name in ("patients", "sites", "first", "treatments"):
        assert status["cubes"][name]["build_seconds"] == status_before["cubes"][name]["build_seconds"]
    rows = client.get("/api/stats/metastasis-sites", params={"histology": "synovial sarcoma"}).json()["rows"]
    assert [(r["group"]["label"], r["site"]["label"], r["patients"]) for r in rows] == [("thigh", "lung", 1)]


def test_reupload_replaces_and_raw_body_works(server: LiveServer, client: httpx.Client) -> None:
    record = curated("raw-body-1", site="Liver")
    first = client.post(
        "/api/reports",
        content=json.dumps(record).encode(),
        params={"filename": "raw.json"},
        headers={"Content-Type": "application/json", **server.auth},
    )
    assert first.status_code == 201, first.text
    count = quads(client)

    def synovial_sites() -> dict[str, int]:
        body = client.get("/api/stats/metastasis-sites", params={"histology": "synovial sarcoma"}).json()
        return {r["site"]["label"]: r["patients"] for r in body["rows"]}

    lung_before = synovial_sites().get("lung", 0)
    assert synovial_sites()["liver"] == 1
    record["metastases"][0]["site"] = {"iri": SMO + "Lung", "label": "lung"}
    second = upload(client, server, "raw.json", json.dumps(record).encode())
    assert second.status_code == 201
    assert quads(client) == count  # replaced, not added
    # the cubes took the old report out and the new one in, without a rebuild
    assert client.get("/api/stats").json()["current"]
    after = synovial_sites()
    assert "liver" not in after and after["lung"] == lung_before + 1
    sites = client.get("/api/cases", params={"q": "raw-body"}).json()["items"][0]["metastasis_sites"]
    assert [s["label"] for s in sites] == ["lung"]


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("broken.json", b'{"case_id": "x-1", ', "broken.json"),
        ("unknown-term.json", json.dumps(curated("bad-term-1", site="Atlantis")).encode(), "not a term"),
        (
            "two-reports.json",
            json.dumps([curated("good-report-1"), curated("bad-report-1", site="Atlantis")]).encode(),
            "bad-report",
        ),
        ("empty.txt", b"   \n", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(64), "binary"),
    ],
)
def test_bad_input_is_400_and_leaves_the_store_unchanged(
    server: LiveServer, client: httpx.Client, name: str, data: bytes, needle: str
) -> None:
    before = quads(client)
    response = upload(client, server, name, data)
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert needle in detail and "\n" not in detail and "Traceback" not in detail
    assert quads(client) == before
    assert client.get("/api/cases/good-report-1").status_code == 404


def test_upload_cap_is_413(server: LiveServer, client: httpx.Client) -> None:
    before = quads(client)
    big = ("A sarcoma report. " * (CAP // 10)).encode()
    assert upload(client, server, "big.txt", big).status_code == 413
    raw = client.post("/api/reports", content=big, params={"filename": "big.txt"}, headers=server.auth)
    assert raw.status_code == 413
    assert quads(client) == before


def test_multipart_needs_a_file_field(server: LiveServer, client: httpx.Client) -> None:
    response = client.post(
        "/api/reports", data={"note": "no file"}, files={"other": ("x.txt", b"x")}, headers=server.auth
    )
    assert response.status_code == 400 and "'file' field" in response.json()["detail"]


def test_acceptance_examples_uploaded_as_text(server: LiveServer, client: httpx.Client) -> None:
    """The example reports go through the real readers and extraction, then the statistics."""
    for name in ("seed-000.txt", "seed-001.txt"):
        response = upload(client, server, name, (EXAMPLES / name).read_bytes())
        assert response.status_code == 201, response.text
        assert response.json()["reports"] == [f"https://w3id.org/sarcokg/id/report/{name[:-4]}"]
    rows = client.get("/api/stats/metastasis-sites", params={"by": "primary_site"}).json()["rows"]
    found = {(r["group"]["label"], r["site"]["label"]): r["patients"] for r in rows}
    assert found[("kidney", "lung")] == 1
    assert found[("kidney", "pancreas")] == 1
    assert found[("thigh", "pancreas")] == 1
    page = client.get("/id/patient/seed-000-1", headers={"Accept": "text/html"}).text
    assert "<mark" in page and "Case seed-000-1" in page
