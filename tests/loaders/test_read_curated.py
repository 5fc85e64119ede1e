"""Curated case records in YAML and JSON: validation that names the field, grouping by report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders import CaseRecord, ReadFailure, SourceDocument, read_path
from sarcokg.errors import InputError

DATA = Path(__file__).parent / "data"
SMO = "https://w3id.org/sarcokg/ontology#"


def read_all(path: Path) -> list[SourceDocument | ReadFailure]:
    return list(read_path(path))


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def as_document(item: SourceDocument | ReadFailure) -> SourceDocument:
    assert isinstance(item, SourceDocument), str(item)
    return item


def records_of(item: SourceDocument | ReadFailure) -> list[CaseRecord]:
    records = as_document(item).records
    assert records is not None
    return records


def test_yaml_records_of_one_report_form_one_document() -> None:
    doc, failure = read_all(DATA / "cases.yaml")
    assert isinstance(doc, SourceDocument)
    assert doc.doc_id == "pmid-35000001"
    assert doc.source.format == "record"
    assert (doc.source.pmid, doc.source.title, doc.source.year) == (
        "35000001",
        "Sarcomas in two sisters",
        2022,
    )
    first, second = records_of(doc)
    assert [first.case_id, second.case_id] == ["pmid-35000001-1", "pmid-35000001-2"]
    assert second.source == doc.source  # each record carries the report's merged source
    assert first.primary_tumor.histology is not None
    assert first.primary_tumor.histology.label == "leiomyosarcoma"  # label set to the ontology's
    assert first.metastases[0].synchronous is True
    # the report text is the document text, and evidence quotes it exactly
    assert doc.text.startswith("Two sisters were treated at our centre.")
    for evidence in first.patient.evidence + first.metastases[0].evidence + second.patient.evidence:
        assert doc.text[evidence.start : evidence.end] == evidence.text
    assert isinstance(failure, ReadFailure)


def test_yaml_error_names_record_field_and_line() -> None:
    failure = read_all(DATA / "cases.yaml")[1]
    assert isinstance(failure, ReadFailure)
    lines = (DATA / "cases.yaml").read_text(encoding="utf-8").splitlines()
    assert failure.line is not None
    assert lines[failure.line - 1].strip() == "- site: {label: lung}"
    where = f"{DATA / 'cases.yaml'}:{failure.line}: record 3 (curated-case-7-1)"
    assert str(failure) == f"{where}: metastases.0.site.iri: field required"


def test_json_single_record_without_case_id_is_numbered_from_its_pmid() -> None:
    [item] = read_all(DATA / "case.json")
    doc = as_document(item)
    [record] = records_of(doc)
    assert doc.doc_id == "pmid-36000001"
    assert record.case_id == "pmid-36000001-1"
    assert doc.text == "" and doc.sections == []
    assert record.best_response is not None and record.best_response.iri == SMO + "PartialResponse"
    assert record.outcome.status == "dead"
    assert record.source.path == str(DATA / "case.json")


def test_json_errors_name_the_field_and_the_ontology_problem() -> None:
    good, wrong_type, wrong_terms = read_all(DATA / "cases_bad.json")
    assert [r.case_id for r in records_of(good)] == ["local-report-1"]
    assert isinstance(wrong_type, ReadFailure) and isinstance(wrong_terms, ReadFailure)
    assert wrong_type.where == "record 2 (other-report-1)"
    assert wrong_type.message.startswith("patient.age: input should be a valid integer")
    assert wrong_type.line == 9  # JSON positions too
    assert wrong_terms.message == (
        "primary_tumor.histology.iri: 'lung' is a site term, not a histology; "
        f"metastases.0.site.iri: '{SMO}Lugn' is not a term of the ontology"
    )


def test_one_invalid_record_stops_its_whole_report(tmp_path: Path) -> None:
    good = {"case_id": "pmid-1-1", "patient": {"age": 40}}
    bad = {"case_id": "pmid-1-2", "patient": {"age": -3}}
    other = {"case_id": "pmid-2-1"}
    items = read_all(write(tmp_path, "cases.json", [good, bad, other]))
    assert len(items) == 2
    failure, doc = items
    assert isinstance(failure, ReadFailure)
    assert failure.where == "record 2 (pmid-1-2)"
    assert "not read either" in failure.message
    assert [r.case_id for r in records_of(doc)] == ["pmid-2-1"]


def test_evidence_must_quote_the_report_text(tmp_path: Path) -> None:
    record = {
        "case_id": "report-1",
        "report_text": "A 64-year-old woman.",
        "patient": {"age": 64, "evidence": [{"start": 2, "end": 13, "text": "65-year-old"}]},
    }
    [failure] = read_all(write(tmp_path, "r.yaml", json.dumps(record)))
    assert isinstance(failure, ReadFailure)
    assert (
        failure.message == "patient.evidence.0: text '65-year-old' is not report_text[2:13] ('64-year-old')"
    )


def test_records_need_numbered_case_ids_that_are_unique(tmp_path: Path) -> None:
    items = read_all(
        write(tmp_path, "r.json", [{"case_id": "smith"}, {"case_id": "x-1"}, {"case_id": "x-1"}])
    )
    messages = [i.message for i in items if isinstance(i, ReadFailure)]
    assert messages[0].startswith("case_id 'smith' must be '<report id>-<n>'")
    assert messages[1].startswith("case_id 'x-1' is also used by record 2")
    assert len(items) == 2  # record 2 is valid, but its report is read whole or not at all


def test_records_of_one_report_must_agree_on_its_source(tmp_path: Path) -> None:
    records = [
        {"case_id": "r-1", "source": {"pmid": "1"}},
        {"case_id": "r-2", "source": {"pmid": "2"}},
    ]
    [failure] = read_all(write(tmp_path, "r.json", records))
    assert isinstance(failure, ReadFailure)
    assert failure.message.startswith("source.pmid '2' differs from record 1 ('1')")


def test_yaml_multi_document_and_file_stem_numbering(tmp_path: Path) -> None:
    text = "patient: {age: 50}\n---\n- patient: {age: 51}\n- case_id: hand-entry-1\n  patient: {age: 52}\n"
    items = read_all(write(tmp_path, "Hand Entry.yml", text))
    assert len(items) == 1
    doc = as_document(items[0])
    assert doc.doc_id == "hand-entry"
    assert [(r.case_id, r.patient.age) for r in records_of(doc)] == [
        ("hand-entry-2", 50),  # "-1" is taken by the record that names it
        ("hand-entry-3", 51),
        ("hand-entry-1", 52),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[]", "no case records"),
        ("- 1\n- 2\n", None),
        ("just a scalar", "expected a case record (a mapping) or a list of them, found str"),
        ("case_id: x-1\npatient: {age: 3\n", "malformed YAML"),
    ],
)
def test_yaml_files_that_cannot_be_read(tmp_path: Path, content: str, message: str | None) -> None:
    path = write(tmp_path, "bad.yaml", content)
    if message is None:  # a list of non-records: a failure per record
        items = read_all(path)
        assert [str(i) for i in items] == [
            f"{path}:1: record 1: expected a mapping of record fields, found int",
            f"{path}:2: record 2: expected a mapping of record fields, found int",
        ]
        return
    with pytest.raises(InputError) as info:
        read_path(path)
    assert str(info.value).startswith(f"{path}")
    assert message in str(info.value)


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\ncase_id: bomb-1\n")
    with pytest.raises(InputError, match="too many values"):
        read_path(path)
