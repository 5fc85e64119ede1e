"""Mapping throughput and named-query latency on a synthetic knowledge graph.

Run: ``.venv/bin/python -m bench.bench_queries [--cases 20000] [--seed 1]``. Synthetic case
records are drawn from the ontology's own terms (organ-level sites, histologies, agents), mapped
with :func:`graph.mapping.document_to_quads` (timed), bulk-loaded into an on-disk store with the
ontology and closure graphs, then every named query runs twice (cold, warm) and both are printed.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.mapping import document_to_quads
from graph.ontology_graph import closure_quads, ontology_quads
from loaders.records import (
    CaseRecord,
    Evidence,
    Metastasis,
    NegatedMetastasis,
    SourceDocument,
    Term,
    Treatment,
)
from ontology import Ontology, OntologyTerm, load_ontology
from queries import list_queries, run

BASE = "https://w3id.org/sarcokg/id/"


def _term(t: OntologyTerm) -> Term:
    return Term(iri=t.iri, label=t.label)


def synthetic_documents(
    onto: Ontology, count: int, seed: int
) -> list[tuple[SourceDocument, list[CaseRecord]]]:
    """``count`` one-patient reports with 1-3 metastases, a negated site and a treatment each."""
    rng = random.Random(seed)
    sites = [t for t in onto.terms("site") if t.organ_level]
    histologies = onto.terms("histology")
    agents = [t for t in onto.terms("agent") if onto.agent_kind(t.iri) == "chemotherapy"]
    span = Evidence(start=0, end=4, text="case")
    docs = []
    for i in range(count):
        doc_id = f"synthetic-{i:07d}"
        text = f"case {i}: a synthetic sarcoma report."
        chosen = rng.sample(sites, 4)
        record = CaseRecord(
            case_id=f"{doc_id}-1",
            patient={"age": rng.randint(18, 90), "sex": rng.choice(["female", "male"]), "evidence": [span]},
            primary_tumor={
                "site": _term(chosen[0]),
                "histology": _term(rng.choice(histologies)),
                "evidence": [span],
            },
            metastases=[
                Metastasis(
                    site=_term(site),
                    interval_months=rng.choice([None, rng.randint(0, 120)]),
                    uncertain=rng.random() < 0.1,
                    evidence=[span],
                )
                for site in chosen[1 : 1 + rng.randint(1, 3)]
            ],
            negated_metastases=[NegatedMetastasis(site=_term(chosen[-1]), evidence=[span])],
            treatments=[
                Treatment(
                    kind="chemotherapy", agents=[_term(a) for a in rng.sample(agents, 2)], evidence=[span]
                )
            ],
        )
        docs.append(
            (SourceDocument(doc_id=doc_id, text=text, source={"year": rng.randint(1990, 2025)}), [record])
        )
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    onto = load_ontology()
    docs = synthetic_documents(onto, args.cases, args.seed)

    when = datetime.now(UTC)
    start = time.perf_counter()
    quads = [
        q
        for doc, records in docs
        for q in document_to_quads(doc, records, base_iri=BASE, generated_at=when, version="bench")
    ]
    mapped = time.perf_counter() - start
    print(
        f"mapping: {len(docs)} cases -> {len(quads)} quads in {mapped:.2f} s "
        f"({len(docs) / mapped:,.0f} cases/s, {len(quads) / mapped:,.0f} quads/s)"
    )

    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "store")
        ox = store.oxigraph
        start = time.perf_counter()
        ox.bulk_extend(ontology_quads(onto) + closure_quads(onto) + quads)
        ox.optimize()
        print(f"bulk load (not the benchmark here): {time.perf_counter() - start:.1f} s")
        for named in list_queries():
            params = {"site": "lung"} if named.name == "cases-with-metastasis-site" else {}
            if named.name == "reports-mentioning":
                params = {"text": "case 12345:"}
            timings = []
            for _ in range(2):
                start = time.perf_counter()
                rows = run(store, named, params)
                timings.append(time.perf_counter() - start)
            print(f"{named.name:36s} {len(rows):6d} rows  cold {timings[0]:6.2f} s  warm {timings[1]:6.2f} s")
        store.close()


if __name__ == "__main__":
    main()
