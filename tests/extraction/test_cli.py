"""``sarcokg extract FILE --format json|turtle`` and its handling of bad input (issue 3 items 3 and 6).

Most cases run the real entry point (``sarcokg.cli.main``) in-process, so the pipeline is
built once; one test runs the installed console script as a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, Store

from loaders import SourceDocument, extract_document
from loaders.extraction import _assemble
from sarcokg.errors import InputError
from tests.extraction.conftest import EXAMPLES

SARCOKG = Path(sys.executable).with_name("sarcokg")


def run_cli(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    from sarcokg.cli import main

    monkeypatch.setattr(sys, "argv", ["sarcokg", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _article(pmid: str, title: str, abstract: str) -> str:
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>"
        f"<Journal><Title>Synthetic Reports</Title>"
        f"<JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue></Journal>"
        f"<ArticleTitle>{title}</ArticleTitle><Abstract><AbstractText>{abstract}</AbstractText></Abstract>"
        f"</Article></MedlineCitation></PubmedArticle>"
    )


def test_json_output_is_one_object_for_one_patient(capsys, monkeypatch) -> None:
    code, out, err = run_cli(
        ["extract", str(EXAMPLES / "seed-000.txt"), "--format", "json"], capsys, monkeypatch
    )
    assert code == 0 and err == ""
    data = json.loads(out)
    assert isinstance(data, dict) and data["case_id"] == "seed-000-1"
    assert data["patient"] == {"age": 64, "sex": "female", "evidence": data["patient"]["evidence"]}
    assert {m["site"]["label"] for m in data["metastases"]} == {"lung", "pancreas"}
    assert set(data) >= {
        "case_id",
        "source",
        "patient",
        "primary_tumor",
        "metastases",
        "negated_metastases",
        "local_recurrences",
        "treatments",
        "best_response",
        "outcome",
    }


def test_turtle_output_parses_as_rdf(capsys, monkeypatch) -> None:
    code, out, _ = run_cli(
        ["extract", str(EXAMPLES / "seed-001.txt"), "--format", "turtle"], capsys, monkeypatch
    )
    assert code == 0
    store = Store()
    store.load(out.encode(), format=RdfFormat.TURTLE)
    quads = list(store.quads_for_pattern(None, None, None))
    subjects = {q.subject.value for q in quads if isinstance(q.subject, NamedNode)}
    assert any(s.endswith("patient/seed-001-1") for s in subjects)
    sites = {
        q.object.value
        for q in quads
        if q.predicate.value.endswith("#hasSite") and isinstance(q.object, NamedNode)
    }
    assert "https://w3id.org/sarcokg/ontology#Pancreas" in sites


def test_pubmed_set_with_a_broken_article(tmp_path: Path, capsys, monkeypatch) -> None:
    xml = (
        "<PubmedArticleSet>"
        + "".join(
            [
                _article(
                    "35000001",
                    "Lung metastases of a thigh leiomyosarcoma.",
                    "A 61-year-old woman had a leiomyosarcoma of the left thigh. "
                    "Two years later lung metastases appeared.",
                ),
                _article("35000002", "", ""),  # nothing to read
                _article(
                    "35000003",
                    "Liver metastasis of a synovial sarcoma.",
                    "A 35-year-old man with a synovial sarcoma of the knee developed liver metastases.",
                ),
            ]
        )
        + "</PubmedArticleSet>"
    )
    path = tmp_path / "set.xml"
    path.write_text(xml, encoding="utf-8")
    code, out, err = run_cli(["extract", str(path)], capsys, monkeypatch)
    assert code == 1
    records = json.loads(out)
    assert [r["case_id"] for r in records] == ["pmid-35000001-1", "pmid-35000003-1"]
    assert records[0]["source"]["pmid"] == "35000001"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "set.xml" in lines[0] and "35000002" in lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02\xff\xd8\xff\xe0 not text", "binary"),
        ("truncated.xml", b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>\n", "XML"),
        ("report.docx", b"PK\x03\x04 a zip file", "docx"),
        ("report.weird", b"A 50-year-old woman.", ""),
    ],
)
def test_bad_input_is_one_line_naming_the_file(
    tmp_path: Path,
    capsys,
    monkeypatch,
    name: str,
    content: bytes,
    message: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run_cli(["extract", str(path)], capsys, monkeypatch)
    lines = err.strip().splitlines()
    if name == "report.weird" and code == 0:  # sniffed as plain text: that is fine too
        assert json.loads(out)["patient"]["age"] == 50
        return
    assert code == 1 and out == ""
    assert len(lines) == 1 and lines[0].startswith("sarcokg: error: ") and name in lines[0]
    assert message.lower() in lines[0].lower()


def test_missing_file(tmp_path: Path, capsys, monkeypatch) -> None:
    code, out, err = run_cli(["extract", str(tmp_path / "absent.txt")], capsys, monkeypatch)
    assert code == 1 and out == "" and "absent.txt" in err and len(err.strip().splitlines()) == 1


def test_invalid_utf8_is_decoded_or_refused_in_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(
        "A 50-year-old woman had a leiomyosarcoma of the thigh; lung metastases (café).".encode("latin-1")
    )
    code, out, err = run_cli(["extract", str(path)], capsys, monkeypatch)
    if code == 0:
        data = json.loads(out)
        assert data["patient"]["age"] == 50 and {m["site"]["label"] for m in data["metastases"]} == {"lung"}
    else:
        assert len(err.strip().splitlines()) == 1 and "latin.txt" in err


def test_extraction_failure_names_the_document(monkeypatch) -> None:
    def boom(*_args: object, **_kw: object) -> None:
        raise RuntimeError("rule layer exploded")

    monkeypatch.setattr(_assemble, "_extract", boom)
    doc = SourceDocument(doc_id="report-7", text="A 50-year-old woman.")
    with pytest.raises(InputError, match=r"report-7: extraction failed: RuntimeError: rule layer exploded"):
        extract_document(doc)


def test_curated_records_are_returned_unchanged() -> None:
    from loaders.records import CaseRecord

    record = CaseRecord(case_id="cur-1", patient={"age": 40, "sex": "male"})
    doc = SourceDocument(doc_id="cur", text="", records=[record])
    assert extract_document(doc) == [record]


def test_console_script_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "case.txt"
    path.write_text(
        "A 72-year-old man had an angiosarcoma of the scalp. Two months later liver metastases "
        "were found, and he died.",
        encoding="utf-8",
    )
    done = subprocess.run([str(SARCOKG), "extract", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["case_id"] == "case-1" and data["outcome"]["status"] == "dead"
    assert [(m["site"]["label"], m["interval_months"]) for m in data["metastases"]] == [("liver", 2.0)]
