"""Linked data against a real server: data IRIs (``/id/...``) and ``/ontology`` with content negotiation.

Every RDF answer is parsed by rdflib (an independent parser); the HTML case page is checked for the
evidence of each fact, marked in the report text, with everything escaped.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib import RDF, URIRef

from graph.embedded import EmbeddedStore
from graph.loading import load_document
from loaders.records import CaseRecord, SourceDocument
from ontology import load_ontology
from sarcokg.config import Settings
from tests.api.conftest import LiveServer
from tests.api.research_seed import evidence, load_seeds, term

SMO = rdflib.Namespace("https://w3id.org/sarcokg/ontology#")
BASE = "https://w3id.org/sarcokg/id/"
PATIENT = URIRef(BASE + "patient/seed-000-1")
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
SUFFIXES = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}
HOSTILE = 'Dr <script>alert("x")</script> & co saw a <b>liver</b> lesion in a 70-year-old man.'


def load_seeds_and_hostile_text(store_path: Path) -> None:
    """The example reports, plus one whose text and quote contain markup that must be escaped."""
    load_seeds(store_path)
    document = SourceDocument(doc_id="hostile", text=HOSTILE)
    record = CaseRecord(
        case_id="hostile-1",
        patient={"age": 70, "sex": "male", "evidence": evidence(HOSTILE, "a 70-year-old man")},
        metastases=[{"site": term("liver"), "evidence": evidence(HOSTILE, "<b>liver</b> lesion")}],
    )
    store = EmbeddedStore(store_path)
    try:
        load_document(store, document, [record], settings=Settings(store=store_path, _env_file=None))
    finally:
        store.close()


@pytest.fixture(scope="module")
def server(live_server_factory: Callable[..., LiveServer]) -> LiveServer:
    return live_server_factory(prepare=load_seeds_and_hostile_text)


def parse(response: httpx.Response, fmt: str) -> rdflib.Graph:
    assert response.status_code == 200, response.text
    graph = rdflib.Graph()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph.parse(data=response.content, format=fmt)
    return graph


# -- data IRIs ------------------------------------------------------------------------------------


def test_case_iri_as_turtle(client: httpx.Client) -> None:
    response = client.get("/id/patient/seed-000-1", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    links = response.headers["link"]
    for suffix in ("ttl", "jsonld", "nt", "rdf", "html"):
        assert f'</id/patient/seed-000-1.{suffix}>; rel="alternate"' in links
    graph = parse(response, "turtle")
    assert (PATIENT, RDF.type, SMO.Patient) in graph
    assert (PATIENT, SMO.hasPrimaryTumor, URIRef(BASE + "tumor/seed-000-1-primary")) in graph
    assert len(list(graph.objects(PATIENT, SMO.hasMetastasis))) == 2
    assert (URIRef(BASE + "report/seed-000"), SMO.describesCase, PATIENT) in graph  # inbound link
    assert (SMO.PartialResponse, rdflib.RDFS.label, rdflib.Literal("partial response")) in graph


@pytest.mark.parametrize(("media", "fmt"), RDF_FORMATS.items())
def test_every_format_by_accept_and_by_suffix_gives_the_same_graph(
    client: httpx.Client, media: str, fmt: str
) -> None:
    reference = parse(client.get("/id/metastasis/seed-001-1-2", headers={"Accept": "text/turtle"}), "turtle")
    negotiated = client.get("/id/metastasis/seed-001-1-2", headers={"Accept": media})
    assert negotiated.headers["content-type"].split(";")[0] == media
    suffix = next(s for s, f in SUFFIXES.items() if f == fmt)
    by_url = client.get(f"/id/metastasis/seed-001-1-2.{suffix}", headers={"Accept": "text/html"})
    assert "vary" not in by_url.headers  # the URL names the format: nothing to negotiate
    for graph in (parse(negotiated, fmt), parse(by_url, fmt)):
        assert set(graph) == set(reference)
    assert (URIRef(BASE + "metastasis/seed-001-1-2"), SMO.hasSubsite, SMO.PancreaticTail) in reference


def test_evidence_annotation_includes_its_selectors(client: httpx.Client) -> None:
    graph = parse(client.get("/id/evidence/seed-001-1-1.ttl"), "turtle")
    quotes = [str(o) for o in graph.objects(None, URIRef("http://www.w3.org/ns/oa#exact"))]
    assert quotes == ["A 66-year-old woman"]
    starts = list(graph.objects(None, URIRef("http://www.w3.org/ns/oa#start")))
    assert len(starts) == 1


def test_case_page_for_browsers_marks_the_evidence(client: httpx.Client) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/id/patient/seed-000-1", headers={"Accept": browser})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    page = response.text
    assert "Case seed-000-1" in page
    assert (
        '<mark class="ev-metastasis" title="metastasis: pancreas, 44 months" data-facts="4">'
        "pancreatic metastasis</mark>" in page
    )
    assert '<mark class="ev-primary" title="primary tumour: leiomyosarcoma of the kidney (right)"' in page
    assert "(Hinyokika Kiyo 59 : 497-501, 2013)" in page  # the whole report text is shown
    assert 'href="/id/patient/seed-000-1.ttl"' in page and 'href="/api/cases/seed-000-1"' in page
    assert "granulocyte colony-stimulating factor" in page  # facts are listed as stored


def test_report_page_shows_its_patients(client: httpx.Client) -> None:
    page = client.get("/id/report/seed-001.html").text
    assert "Report seed-001" in page
    assert "tail of the pancreas</mark>" in page
    assert 'title="no metastasis: liver"' in page  # the negated finding is shown as such


def test_markup_in_the_report_is_escaped(client: httpx.Client) -> None:
    page = client.get("/id/patient/hostile-1", headers={"Accept": "text/html"}).text
    assert "<script>" not in page and "<b>liver" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in page
    marked = page.split('<mark class="ev-metastasis" title="metastasis: liver"', 1)[1].split("</mark>", 1)[0]
    assert marked.endswith(">&lt;b&gt;liver&lt;/b&gt; lesion")


def test_other_resources_get_a_table_page(client: httpx.Client) -> None:
    page = client.get("/id/metastasis/seed-001-1-1", headers={"Accept": "text/html"}).text
    assert 'href="/ontology#Pancreas"' in page  # ontology terms link to their anchor
    assert 'href="/id/report/seed-001"' in page  # prov:wasDerivedFrom, as a local link
    assert "smo:hasSite" in page


def test_unknown_iri_is_404_and_unacceptable_format_406(client: httpx.Client) -> None:
    for path in ("/id/patient/nobody", "/id/patient/nobody.ttl", "/id/"):
        assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 404, path
    assert client.get("/id/patient/seed-000-1", headers={"Accept": "image/png"}).status_code == 406


def test_head_and_conditional_get(client: httpx.Client) -> None:
    first = client.get("/id/patient/seed-000-1", headers={"Accept": "text/turtle"})
    head = client.head("/id/patient/seed-000-1", headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == first.headers["etag"]
    again = client.get(
        "/id/patient/seed-000-1", headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304


def test_data_iris_follow_the_configured_base(live_server_factory: Callable[..., LiveServer]) -> None:
    base = "http://data.example.org/sarcoma/id/"
    server = live_server_factory(prepare=lambda path: load_seeds(path, base_iri=base), base_iri=base)
    with server.client() as client:
        graph = parse(client.get("/id/patient/seed-001-1", headers={"Accept": "text/turtle"}), "turtle")
        assert (URIRef(base + "patient/seed-001-1"), RDF.type, SMO.Patient) in graph
        page = client.get("/id/patient/seed-001-1", headers={"Accept": "text/html"}).text
        assert 'href="/id/report/seed-001"' in page
        assert client.get("/api/cases/seed-001-1").json()["case_id"] == "seed-001-1"


# -- the ontology ---------------------------------------------------------------------------------


def test_ontology_turtle_is_the_source_file(client: httpx.Client) -> None:
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["vary"] == "Accept"
    assert response.content == load_ontology().path.read_bytes()


@pytest.mark.parametrize(("suffix", "fmt"), [*SUFFIXES.items(), ("owl", "xml")])
def test_ontology_in_every_format(client: httpx.Client, suffix: str, fmt: str) -> None:
    reference = parse(client.get("/ontology.ttl"), "turtle")
    graph = parse(client.get(f"/ontology.{suffix}"), fmt)
    assert len(graph) == len(reference)
    assert (SMO.Lung, rdflib.RDFS.label, rdflib.Literal("lung")) in graph


def test_ontology_page_has_an_anchor_per_term(client: httpx.Client) -> None:
    page = client.get("/ontology", headers={"Accept": "text/html"}).text
    for local in ("Lung", "PancreaticTail", "Leiomyosarcoma", "Gemcitabine"):
        assert f'id="{local}"' in page
    assert '<a href="#Pancreas">pancreas</a>' in page  # the tail's parent, linked
    assert client.get("/ontology.docx").status_code == 404
