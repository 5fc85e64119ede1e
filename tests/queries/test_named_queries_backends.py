"""Every named query and record_from_store give the same answers on `oxigraph serve` and Virtuoso
as on the embedded store: the queries use only what all three engines do alike.

The servers are the session's shared ones from tests/conftest.py (one real process of each kind).
Virtuoso is skipped locally when it is not installed and fails when CI=true.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.record_reader import record_from_store
from graph.remote import RemoteStore
from graph.store import Store
from ontology import SMO, Ontology
from queries import list_queries, run
from tests.graph import seed_records as seeds
from tests.servers import VIRTUOSO_USER

PARAMS: dict[str, list[dict[str, str]]] = {
    "cases-with-metastasis-site": [
        {"site": "pancreas"},
        {"site": "bone", "include_uncertain": "false"},
        {"site": "liver", "include_uncertain": "false"},
    ],
    "reports-mentioning": [{"text": "pancreatic"}, {"text": 'no "such" phrase\n'}],
}


def _cases(onto: Ontology) -> list[tuple[str, dict[str, str]]]:
    out: list[tuple[str, dict[str, str]]] = []
    for named in list_queries():
        for params in PARAMS.get(named.name, [{}]):
            out.append((named.name, params))
            if any(p.name == "include_uncertain" for p in named.parameters) and named.name not in PARAMS:
                out.append((named.name, {"include_uncertain": "false"}))
    return out


def _plain(rows: list[dict[str, Any]]) -> list[str]:
    """Rows as comparable text: numbers by value (engines write 15, 15.0 or 1.5E1)."""

    def value(term: Any) -> Any:
        datatype = getattr(term, "datatype", None)
        if datatype is not None and datatype.value.rsplit("#", 1)[-1] in ("integer", "decimal", "double"):
            return float(term.value)
        return term.value

    return [json.dumps({k: value(v) for k, v in sorted(row.items())}) for row in rows]


@pytest.fixture(scope="module")
def reference(kg: EmbeddedStore, onto: Ontology) -> dict[str, list[str]]:
    """The embedded store's answers, the yardstick for the servers."""
    return {f"{name} {params}": _plain(run(kg, name, params)) for name, params in _cases(onto)}


def _drop_test_graphs(store: Store) -> None:
    for graph in store.named_graphs():
        if graph.startswith(seeds.BASE) or graph.startswith("https://w3id.org/sarcokg/ontology"):
            store.drop_graph(graph)


@contextmanager
def _loaded(url: str, onto: Ontology, **auth: str) -> Iterator[Store]:
    """The test data on a session server, removed again afterwards (other areas share the server)."""
    store = RemoteStore(url, **auth)  # type: ignore[arg-type]
    try:
        _drop_test_graphs(store)
        seeds.populate(store, onto, seeds.all_documents(onto))
        yield store
    finally:
        _drop_test_graphs(store)
        store.close()


def _check(store: Store, reference: dict[str, list[str]], onto: Ontology, kg: Any) -> None:
    for name, params in _cases(onto):
        got = _plain(run(store, name, params))
        assert got == reference[f"{name} {params}"], f"{name} {params}"
    for _doc, records in seeds.all_documents(onto):
        for record in records:
            remote = record_from_store(store, record.case_id, base_iri=seeds.BASE)
            assert remote is not None and remote == record_from_store(kg, record.case_id, base_iri=seeds.BASE)


def test_named_queries_on_oxigraph_server(
    oxigraph_url: str, reference: dict[str, list[str]], onto: Ontology, kg: Any
) -> None:
    with _loaded(oxigraph_url, onto) as store:
        _check(store, reference, onto, kg)


@pytest.mark.virtuoso
def test_named_queries_on_virtuoso(
    virtuoso_url: str, reference: dict[str, list[str]], onto: Ontology, kg: Any
) -> None:
    user, password = VIRTUOSO_USER
    with _loaded(virtuoso_url, onto, user=user, password=password) as store:
        _check(store, reference, onto, kg)


def _cli(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SARCOKG_")} | env_extra
    sarcokg = Path(sys.executable).with_name("sarcokg")
    return subprocess.run(
        [str(sarcokg), "query", *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.virtuoso
def test_cli_on_virtuoso_prints_sparql_1_1_json(virtuoso_url: str, onto: Ontology) -> None:
    """The acceptance query through SARCOKG_ENDPOINT, and Virtuoso's SPARQL 1.0 JSON made 1.1."""
    user, password = VIRTUOSO_USER
    with _loaded(virtuoso_url, onto, user=user, password=password):
        env = {"SARCOKG_ENDPOINT": virtuoso_url}
        named = _cli(env, "--name", "metastasis-sites-by-primary-site", "--format", "json")
        assert named.returncode == 0, named.stderr
        pairs = {
            (b["primaryLabel"]["value"], b["siteLabel"]["value"]): b["patients"]["value"]
            for b in json.loads(named.stdout)["results"]["bindings"]
        }
        kidney, lung = onto.label(str(SMO._NS) + "Kidney"), onto.label(str(SMO._NS) + "Lung")
        assert pairs[(kidney, lung)] == "1"
        raw = _cli(env, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?type } }", "--format", "json")
        assert raw.returncode == 0, raw.stderr
        binding = json.loads(raw.stdout)["results"]["bindings"][0]["n"]
        assert binding["type"] == "literal" and int(binding["value"]) > 100
