"""An ontologist's edit in Protégé flows into lookup and extraction with no code change.

We edit a temporary copy of ``sarcoma.ttl`` the way Protégé would (a new synonym on an
existing class, a new subclass), point ``SARCOKG_ONTOLOGY`` at it and run the real
``sarcokg extract`` command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ontology import ONTOLOGY_FILE, load_ontology

NEW_SYNONYM = """
smo:Kidney oboInOwl:hasExactSynonym "nephros" .
"""

NEW_SUBTYPE = """
smo:EpithelioidLeiomyosarcoma a owl:Class ;
    rdfs:subClassOf smo:Leiomyosarcoma ;
    rdfs:label "epithelioid leiomyosarcoma" ;
    obo:IAO_0000115 "A leiomyosarcoma made mostly of epithelioid (rounded, polygonal) tumor cells." .
"""

REPORT = (
    "A 58-year-old man was diagnosed with an epithelioid leiomyosarcoma of the left nephros "
    "and underwent radical nephrectomy. Eight months after surgery, CT showed multiple lung "
    "metastases.\n"
)


def _extract(report: Path, ontology: Path) -> dict[str, Any]:
    env = {**os.environ, "SARCOKG_ONTOLOGY": str(ontology)}
    exe = Path(sys.executable).with_name("sarcokg")
    out = subprocess.run(
        [str(exe), "extract", str(report), "--format", "json"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    return data[0] if isinstance(data, list) else data


@pytest.fixture
def edited_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "sarcoma.ttl"
    copy.write_text(ONTOLOGY_FILE.read_text(encoding="utf-8") + NEW_SYNONYM + NEW_SUBTYPE, encoding="utf-8")
    return copy


def test_lookup_and_vocabulary_pick_up_the_edit(edited_copy: Path) -> None:
    before, after = load_ontology(), load_ontology(edited_copy)
    assert before.find("nephros") is None
    term = after.find("nephros", "site")
    assert term is not None and term.label == "kidney"
    subtype = after.find("epithelioid leiomyosarcoma", "histology")
    assert subtype is not None
    assert after.find("leiomyosarcoma", "histology").iri in after.ancestors(subtype.iri)  # type: ignore[union-attr]
    forms = {(v.form, v.kind) for v in after.vocabulary()}
    assert ("nephros", "site") in forms
    assert ("epithelioid leiomyosarcoma", "histology") in forms


def test_extraction_recognises_the_new_synonym_and_subtype(tmp_path: Path, edited_copy: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")

    unedited = _extract(report, ONTOLOGY_FILE)
    assert (unedited["primary_tumor"]["site"] or {}).get("label") != "kidney"
    assert unedited["primary_tumor"]["histology"]["label"] == "leiomyosarcoma"

    edited = _extract(report, edited_copy)
    primary = edited["primary_tumor"]
    assert primary["site"]["label"] == "kidney"
    assert primary["laterality"] == "left"
    assert primary["histology"]["label"] == "epithelioid leiomyosarcoma"
    assert [m["site"]["label"] for m in edited["metastases"]] == ["lung"]
