"""``sarcokg ontology check|export`` as a user runs them (a real subprocess, real exit codes)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph

from ontology.export import OntologyFormat
from sarcokg.commands import ontology as ontology_command

from .conftest import edit_block, replace_once


def sarcokg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from sarcokg.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_on_the_real_file_exits_0_with_counts() -> None:
    run = sarcokg("ontology", "check")  # with HermiT, as in the acceptance criteria
    assert run.returncode == 0, run.stdout + run.stderr
    assert "reasoner: HermiT consistent, all classes satisfiable" in run.stdout
    assert "  histologies with NCIt match " in run.stdout and "  sites with UBERON match " in run.stdout
    assert run.stdout.rstrip().endswith("OK")


def test_check_on_a_broken_copy_exits_1_naming_the_term(
    real_text: str, write_copy: Callable[[str], Path]
) -> None:
    broken = edit_block(real_text, "Liver", replace_once('rdfs:label "liver" ;', 'rdfs:label "lung" ;'))
    broken = edit_block(broken, "Femur", replace_once('"ICDO:C40.2"', '"ICD-O:C40.2"'))
    run = sarcokg("ontology", "check", "--no-reasoner", "--ontology", str(write_copy(broken)))
    assert run.returncode == 1
    problems = [line for line in run.stdout.splitlines() if line.startswith("problem: ")]
    assert (
        'problem: duplicate-label: smo:Liver: label "lung" also used by <https://w3id.org/sarcokg/ontology#Lung>'
        in problems
    )
    assert any(line.startswith("problem: malformed-xref: smo:Femur: ") for line in problems)
    assert "  agents " in run.stdout  # counts are printed even when the check fails
    assert "Traceback" not in run.stderr


def test_check_on_a_missing_file_is_one_line_error(tmp_path: Path) -> None:
    run = sarcokg("ontology", "check", "--ontology", str(tmp_path / "nope.ttl"))
    assert run.returncode == 1
    assert run.stderr.startswith("sarcokg: error: ") and "nope.ttl" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_export_writes_the_chosen_format(tmp_path: Path) -> None:
    out = tmp_path / "sarcoma.owl"
    run = sarcokg("ontology", "export", "--format", "rdfxml", "--output", str(out))
    assert run.returncode == 0, run.stderr
    triples = list(pyoxigraph.parse(out.read_bytes(), format=pyoxigraph.RdfFormat.RDF_XML))
    assert len(triples) > 3000


def test_export_of_an_unknown_format_is_one_line_error() -> None:
    run = sarcokg("ontology", "export", "--format", "owlxml")
    assert run.returncode == 1
    assert run.stderr.strip() == (
        "sarcokg: error: unknown ontology format 'owlxml' (choose from rdfxml, ntriples, turtle, jsonld)"
    )
    assert run.stdout == ""


def test_cli_format_list_matches_the_enum() -> None:
    assert tuple(f.value for f in OntologyFormat) == ontology_command._FORMATS
