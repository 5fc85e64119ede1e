"""`sarcokg query` as a user runs it: a real process over a real on-disk store."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ontology import Ontology
from tests.graph import seed_records as seeds

SARCOKG = Path(sys.executable).with_name("sarcokg")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, onto: Ontology) -> Path:
    """A closed store folder (the CLI process needs the RocksDB lock)."""
    path = tmp_path_factory.mktemp("cli") / "store"
    store = seeds.open_test_store(path)
    seeds.populate(store, onto, seeds.all_documents(onto))
    store.close()
    return path


def sarcokg(store: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SARCOKG_")}
    env["SARCOKG_STORE"] = str(store)
    if "SARCOKG_ONTOLOGY" in os.environ:
        env["SARCOKG_ONTOLOGY"] = os.environ["SARCOKG_ONTOLOGY"]
    return subprocess.run(
        [str(SARCOKG), "query", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=store.parent,
    )


def test_acceptance_named_query_as_sparql_json(store_dir: Path, onto: Ontology) -> None:
    done = sarcokg(store_dir, "--name", "metastasis-sites-by-primary-site", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["head"]["vars"] == ["primary", "primaryLabel", "site", "siteLabel", "patients"]
    pairs = {
        (b["primaryLabel"]["value"], b["siteLabel"]["value"]): int(b["patients"]["value"])
        for b in data["results"]["bindings"]
    }
    lab = {t: onto.find(t).label for t in ("kidney", "lung", "pancreas", "thigh")}  # type: ignore[union-attr]
    assert pairs[(lab["kidney"], lab["lung"])] == 1
    assert pairs[(lab["kidney"], lab["pancreas"])] == 1
    assert pairs[(lab["thigh"], lab["pancreas"])] == 1
    patients = data["results"]["bindings"][0]["patients"]
    assert patients["type"] == "literal" and patients["datatype"].endswith("#integer")


def test_named_query_with_parameter_as_csv_and_table(store_dir: Path) -> None:
    done = sarcokg(store_dir, "-n", "cases-with-metastasis-site", "-p", "site=pancreatic tail", "-f", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["caseId"] for r in rows] == ["pmid-99999999-1", "seed-001-1"]
    assert done.stdout.startswith("patient,caseId,report,")
    table = sarcokg(store_dir, "--name", "time-to-metastasis-by-histology")
    assert table.returncode == 0, table.stderr
    assert "leiomyosarcoma" in table.stdout and "median" in table.stdout and "2 rows" in table.stdout


def test_raw_sparql_from_argument_and_stdin(store_dir: Path) -> None:
    query = (
        "PREFIX smo: <https://w3id.org/sarcokg/ontology#>\n"
        "SELECT ?case WHERE { GRAPH ?g { ?p smo:caseId ?case ; smo:ageYears ?age FILTER(?age > 60) } }\n"
        "ORDER BY ?case"
    )
    done = sarcokg(store_dir, query, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [b["case"]["value"] for b in json.loads(done.stdout)["results"]["bindings"]] == [
        "seed-000-1",
        "seed-001-1",
    ]
    piped = sarcokg(store_dir, "-", "--format", "csv", stdin=query)
    assert piped.stdout.splitlines() == ["case", "seed-000-1", "seed-001-1"]


def test_bad_sparql_is_one_line_with_the_parser_message(store_dir: Path) -> None:
    done = sarcokg(store_dir, "SELECT ?x WHERE { ?x ?y }")
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sarcokg: error:") and "1:" in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_injection_is_refused_and_the_store_is_unchanged(store_dir: Path) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = sarcokg(store_dir, count, "-f", "csv").stdout
    done = sarcokg(store_dir, "-n", "cases-with-metastasis-site", "-p", "site=smo:Lung> } ; DROP ALL ; #")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "sarcokg: error: parameter 'site': 'smo:Lung> } ; DROP ALL ; #' is not a known term (anatomical site)"
    )
    update = sarcokg(store_dir, "DROP ALL")
    assert update.returncode == 1 and "sarcokg: error:" in update.stderr
    after = sarcokg(store_dir, count, "-f", "csv").stdout
    assert before == after and int(after.split()[1]) > 1000
