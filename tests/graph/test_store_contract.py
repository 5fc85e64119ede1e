"""The store compliance suite: one class, run against every backend.

``store`` is parametrised over the embedded pyoxigraph store (a fresh folder per test), a real
``oxigraph serve`` and a real Virtuoso 7 (one server each per session; every graph a test
creates is dropped after it). Whatever a caller of :class:`graph.store.Store` relies on is
asserted here, so a backend that passes can stand behind the loader, the queries and the API.
"""

from __future__ import annotations

import csv
import io
import threading
import uuid
from typing import Any

import pyoxigraph as ox
import pytest

from graph import ResultFormat, Store
from graph.loading import load_document
from queries.registry import run
from sarcokg.config import Settings
from sarcokg.errors import QueryError
from tests.graph import seed_records as seeds

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://test.sarcokg.example/"
P = ox.NamedNode(EX + "p")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")

# Values every backend must give back exactly (canonical lexical forms).
UNICODE_TEXTS = [
    "ascii",
    "é à ü ß",
    "Ünïcödé — “quotes” ‘too’",
    "ギリシャ 肉腫",
    "emoji 🧬 and 𝄞",
    'say "hi"\nnew line\ttab \\ back',
]


def sample_quads(graph: str, n: int = 20, tag: str = "a") -> list[ox.Quad]:
    """``n`` quads in ``graph`` mixing IRIs, plain/language/typed literals and Unicode."""
    g = ox.NamedNode(graph)
    quads = []
    for i in range(n):
        s = ox.NamedNode(f"{EX}{tag}/s{i}")
        quads.append(ox.Quad(s, P, ox.Literal(f"{tag}{i} {UNICODE_TEXTS[i % len(UNICODE_TEXTS)]}"), g))
        quads.append(ox.Quad(s, LABEL, ox.Literal(f"{tag} label {i}", language="en"), g))
        quads.append(
            ox.Quad(s, ox.NamedNode(EX + "n"), ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer")), g)
        )
        quads.append(ox.Quad(s, ox.NamedNode(EX + "link"), ox.NamedNode(f"{EX}{tag}/s{(i + 1) % n}"), g))
    return quads


@pytest.fixture
def store(any_store: Store) -> Store:
    return any_store


def fresh_graph() -> str:
    return f"{EX}graph/{uuid.uuid4()}"


class TestStoreContract:
    """What every Store must do."""

    def test_replace_graph_round_trips_every_term(self, store: Store) -> None:
        g = fresh_graph()
        quads = sample_quads(g)
        store.replace_graph(g, quads)
        assert set(store.graph_quads(g)) == set(quads)
        assert store.count(g) == len(quads)

    def test_unicode_literals_come_back_exactly(self, store: Store) -> None:
        g = fresh_graph()
        node = ox.NamedNode(g)
        quads = [
            ox.Quad(ox.NamedNode(f"{EX}u{i}"), P, ox.Literal(text), node)
            for i, text in enumerate(UNICODE_TEXTS)
        ]
        store.replace_graph(g, quads)
        rows = store.select(f"SELECT ?s ?o WHERE {{ GRAPH <{g}> {{ ?s <{P.value}> ?o }} }}")
        assert sorted(row["o"].value for row in rows) == sorted(UNICODE_TEXTS)
        hit = store.select(f'SELECT ?s WHERE {{ GRAPH <{g}> {{ ?s <{P.value}> "emoji 🧬 and 𝄞" }} }}')
        assert [row["s"].value for row in hit] == [f"{EX}u4"]

    def test_replace_graph_replaces_and_is_idempotent(self, store: Store) -> None:
        g = fresh_graph()
        store.replace_graph(g, sample_quads(g, 10, "old"))
        new = sample_quads(g, 7, "new")
        store.replace_graph(g, new)
        store.replace_graph(g, new)
        assert set(store.graph_quads(g)) == set(new)
        assert store.count(g) == len(new)

    def test_replace_graph_refuses_quads_of_another_graph_and_changes_nothing(self, store: Store) -> None:
        g, other = fresh_graph(), fresh_graph()
        before = sample_quads(g, 5)
        store.replace_graph(g, before)
        mixed = sample_quads(g, 5, "b") + sample_quads(other, 1, "c")
        with pytest.raises(ValueError):
            store.replace_graph(g, mixed)
        assert set(store.graph_quads(g)) == set(before)
        assert other not in store.named_graphs()

    def test_readers_never_see_a_half_replaced_graph(self, store: Store) -> None:
        g = fresh_graph()
        versions = [sample_quads(g, 75, tag) for tag in ("x", "y")]  # 300 quads: a typical report
        store.replace_graph(g, versions[0])
        seen: list[tuple[tuple[str, int], ...]] = []
        stop = threading.Event()
        query = (
            f"SELECT ?tag (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} "
            f"BIND(SUBSTR(STR(?s), {len(EX) + 1}, 1) AS ?tag) }} GROUP BY ?tag"
        )

        def read() -> None:
            while not stop.is_set():
                rows = store.select(query)
                seen.append(tuple(sorted((row["tag"].value, int(row["n"].value)) for row in rows)))

        reader = threading.Thread(target=read)
        reader.start()
        try:
            for i in range(12):
                store.replace_graph(g, versions[(i + 1) % 2])
        finally:
            stop.set()
            reader.join()
        assert seen, "the reader never ran"
        assert set(seen) <= {(("x", 300),), (("y", 300),)}

    def test_drop_graph(self, store: Store) -> None:
        g, kept = fresh_graph(), fresh_graph()
        store.replace_graph(g, sample_quads(g, 3))
        store.replace_graph(kept, sample_quads(kept, 2))
        store.drop_graph(g)
        store.drop_graph(g)  # absent: no error
        store.drop_graph(fresh_graph())
        assert store.count(g) == 0
        assert g not in store.named_graphs()
        assert store.count(kept) == 8

    def test_named_graphs_and_counts(self, store: Store) -> None:
        before_graphs, before_total = set(store.named_graphs()), store.count()
        g1, g2 = fresh_graph(), fresh_graph()
        store.replace_graph(g1, sample_quads(g1, 4))
        store.replace_graph(g2, sample_quads(g2, 6))
        assert set(store.named_graphs()) - before_graphs == {g1, g2}
        assert (store.count(g1), store.count(g2)) == (16, 24)
        assert store.count() - before_total == 40

    def test_graph_quads_streams_past_result_caps(self, store: Store) -> None:
        # 12,000 quads: more than Virtuoso's silent 10,000-row cap, so it must page.
        g = fresh_graph()
        quads = sample_quads(g, 3000)
        store.replace_graph(g, quads)
        stream = store.graph_quads(g)
        assert iter(stream) is stream  # an iterator, not a list
        assert set(stream) == set(quads)
        assert len(store.named_graphs()) >= 1

    def test_graph_quads_of_everything_includes_each_graph(self, store: Store) -> None:
        g1, g2 = fresh_graph(), fresh_graph()
        store.replace_graph(g1, sample_quads(g1, 2, "p"))
        store.replace_graph(g2, sample_quads(g2, 2, "q"))
        every = {
            q
            for q in store.graph_quads(None)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in (g1, g2)
        }
        assert every == set(sample_quads(g1, 2, "p")) | set(sample_quads(g2, 2, "q"))

    def test_select_returns_terms_and_omits_unbound(self, store: Store) -> None:
        g = fresh_graph()
        store.replace_graph(g, sample_quads(g, 3))
        rows = store.select(
            f"SELECT ?s ?n ?missing WHERE {{ GRAPH <{g}> {{ ?s <{EX}n> ?n "
            f"OPTIONAL {{ ?s <{EX}nothing> ?missing }} }} }} ORDER BY ?n"
        )
        assert [row["n"] for row in rows] == [
            ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer")) for i in range(3)
        ]
        assert all(isinstance(row["s"], ox.NamedNode) and "missing" not in row for row in rows)

    def test_ask(self, store: Store) -> None:
        g = fresh_graph()
        store.replace_graph(g, sample_quads(g, 1))
        assert store.ask(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}") is True
        assert store.ask(f"ASK {{ GRAPH <{g}> {{ ?s <{EX}nothing> ?o }} }}") is False

    @pytest.mark.parametrize("fmt", [ResultFormat.JSON, ResultFormat.XML, ResultFormat.CSV, ResultFormat.TSV])
    def test_query_raw_select_formats_parse(self, store: Store, fmt: ResultFormat) -> None:
        g = fresh_graph()
        store.replace_graph(g, sample_quads(g, 3))
        body = store.query_raw(f"SELECT ?s ?n WHERE {{ GRAPH <{g}> {{ ?s <{EX}n> ?n }} }}", fmt)
        if fmt is ResultFormat.CSV:  # lossy by design: pyoxigraph will not parse it, the csv module does
            values = sorted(row["n"] for row in csv.DictReader(io.StringIO(body.decode("utf-8"))))
        else:
            parsed = ox.parse_query_results(body, ox.QueryResultsFormat.from_media_type(fmt.value))
            assert isinstance(parsed, ox.QuerySolutions)
            values = sorted(solution["n"].value for solution in parsed)
        assert values == ["0", "1", "2"]

    def test_query_raw_ask_json(self, store: Store) -> None:
        body = store.query_raw("ASK { }", ResultFormat.JSON)
        assert bool(ox.parse_query_results(body, ox.QueryResultsFormat.JSON)) is True

    @pytest.mark.parametrize("fmt", [ResultFormat.TURTLE, ResultFormat.NTRIPLES, ResultFormat.RDFXML])
    def test_query_raw_construct_formats_parse(self, store: Store, fmt: ResultFormat) -> None:
        g = fresh_graph()
        quads = sample_quads(g, 4)
        store.replace_graph(g, quads)
        body = store.query_raw(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}", fmt)
        triples = {q.triple for q in ox.parse(body, ox.RdfFormat.from_media_type(fmt.value))}
        assert triples == {q.triple for q in quads}

    def test_update_inserts_and_deletes(self, store: Store) -> None:
        g = fresh_graph()
        store.update(f'INSERT DATA {{ GRAPH <{g}> {{ <{EX}a> <{P.value}> "one" , "two" }} }}')
        assert store.count(g) == 2
        store.update(f'DELETE DATA {{ GRAPH <{g}> {{ <{EX}a> <{P.value}> "one" }} }}')
        assert [
            row["o"].value for row in store.select(f"SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
        ] == ["two"]

    @pytest.mark.parametrize(
        "call",
        [
            lambda s: s.select("SELEC ?x WHERE { ?x ?p ?o }"),
            lambda s: s.ask("ASK { ?x ?p "),
            lambda s: s.query_raw("SELECT * WHERE {", ResultFormat.JSON),
            lambda s: s.update("INSERT DATA { <http://x> }"),
        ],
        ids=["select", "ask", "raw", "update"],
    )
    def test_bad_sparql_is_a_query_error(self, store: Store, call: Any) -> None:
        before = store.count()
        with pytest.raises(QueryError):
            call(store)
        assert store.count() == before

    def test_acceptance_metastasis_sites_by_primary_site(self, store: Store, tmp_path: Any) -> None:
        """After loading the two seed reports: kidney→lung 1, kidney→pancreas 1, thigh→pancreas 1."""
        from ontology import load_ontology

        onto = load_ontology()
        settings = Settings(store=tmp_path / "unused", _env_file=None)
        for document, records in (seeds.seed_000(onto), seeds.seed_001(onto)):
            assert load_document(store, document, records, settings=settings).status == "loaded"
        rows = run(store, "metastasis-sites-by-primary-site")
        counts = {
            (row["primaryLabel"].value, row["siteLabel"].value): int(row["patients"].value) for row in rows
        }
        assert counts[("kidney", "lung")] == 1
        assert counts[("kidney", "pancreas")] == 1
        assert counts[("thigh", "pancreas")] == 1
        assert sum(counts.values()) == 3
        # a second load changes nothing
        total = store.count()
        for document, records in (seeds.seed_000(onto), seeds.seed_001(onto)):
            assert load_document(store, document, records, settings=settings).status == "unchanged"
        assert store.count() == total
