"""The vocabulary comes from the ontology at run time: an edit there changes extraction, no code change.

Also: the pipeline is built per process, so a process pool (what ``sarcokg load`` uses) works
although medspaCy's rule objects do not pickle.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rdflib import Literal, URIRef

from loaders.extraction import extract_text
from ontology import OBOINOWL, ONTOLOGY_FILE, load_ontology

TEXT = "A 57-year-old woman had a leiomyosarcoma of the thigh. Two years later, glorbic metastases appeared."


def _edited_copy(tmp_path: Path) -> Path:
    onto = load_ontology()
    graph = onto.graph.__class__()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    term = onto.find("liver", "site")
    assert term is not None
    liver = URIRef(term.iri)
    graph.add((liver, OBOINOWL.hasRelatedSynonym, Literal("glorbic")))
    path = tmp_path / "sarcoma.ttl"
    graph.serialize(path, format="turtle")
    return path


def test_a_synonym_added_to_the_ontology_is_recognised(tmp_path: Path) -> None:
    assert extract_text(TEXT).metastases == []
    edited = load_ontology(_edited_copy(tmp_path))
    record = extract_text(TEXT, onto=edited)
    assert [(m.site.label, m.interval_months) for m in record.metastases] == [("liver", 24.0)]
    assert record.metastases[0].evidence[0].text == "glorbic metastases"


def test_extraction_in_a_process_pool() -> None:
    texts = [
        f"A {40 + i}-year-old man had a synovial sarcoma of the knee joint region. "
        f"{i + 1} months after surgery, lung metastases were found."
        for i in range(8)
    ]
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        records = list(pool.map(extract_text, texts))
    assert [[m.site.label for m in r.metastases] for r in records] == [["lung"]] * len(texts)
    assert [r.metastases[0].interval_months for r in records] == [float(i + 1) for i in range(len(texts))]
