"""What the HTTP service adds on top of pyoxigraph: ``/sparql`` beside the raw query, same store, same run.

Run: ``.venv/bin/python -m bench.bench_api_protocol [--cases 100000] [--repeat 7]``. A synthetic
store (one named graph per case, ~20 quads each, SarcoKG's model) is bulk-loaded into a temporary
folder. Each query is timed raw (pyoxigraph in this process: evaluate + serialise SPARQL JSON),
then over HTTP on a real ``sarcokg serve`` of the same folder (httpx, kept-alive connection, JSON
results); after a warm-up round, two rounds of each, alternating; medians are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox

SMO = "https://w3id.org/sarcokg/ontology#"
BASE = "https://w3id.org/sarcokg/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SITES = [f"{SMO}Site{i:02d}" for i in range(40)]
HISTOLOGIES = [f"{SMO}Histology{i:02d}" for i in range(25)]
PREFIX = f"PREFIX smo: <{SMO}>\n"

QUERIES = {
    "one patient (selective)": PREFIX
    + f"SELECT ?p ?o WHERE {{ GRAPH ?g {{ <{BASE}patient/synthetic-0000042-1> ?p ?o }} }}",
    "patients with a metastasis site (selective)": PREFIX
    + "SELECT ?patient ?age WHERE { GRAPH ?g { ?patient smo:hasMetastasis ?m ; smo:ageYears ?age . "
    + "?m smo:hasSite smo:Site07 ; smo:intervalMonths ?months FILTER(?months > 60) } }",
    "patients per metastasis site (aggregate)": PREFIX
    + "SELECT ?site (COUNT(DISTINCT ?patient) AS ?n) WHERE { GRAPH ?g { ?patient smo:hasMetastasis ?m . "
    + "?m smo:hasSite ?site } } GROUP BY ?site ORDER BY DESC(?n)",
}


def synthetic_quads(cases: int, seed: int) -> list[ox.Quad]:
    """``cases`` patients, each in its own report graph, with a primary tumour and 1-3 metastases."""
    rng = random.Random(seed)
    quads: list[ox.Quad] = []

    def iri(kind: str, ident: str) -> ox.NamedNode:
        return ox.NamedNode(f"{BASE}{kind}/{ident}")

    def p(name: str) -> ox.NamedNode:
        return ox.NamedNode(SMO + name)

    for i in range(cases):
        doc = f"synthetic-{i:07d}"
        case = f"{doc}-1"
        g = iri("graph", doc)
        patient, tumor, report = iri("patient", case), iri("tumor", f"{case}-primary"), iri("report", doc)
        add = quads.append
        add(ox.Quad(report, RDF_TYPE, p("CaseReport"), g))
        add(ox.Quad(report, p("describesCase"), patient, g))
        add(ox.Quad(report, p("pmid"), ox.Literal(str(10_000_000 + i)), g))
        add(ox.Quad(patient, RDF_TYPE, p("Patient"), g))
        add(ox.Quad(patient, p("caseId"), ox.Literal(case), g))
        add(ox.Quad(patient, p("ageYears"), ox.Literal(rng.randint(18, 90)), g))
        add(ox.Quad(patient, p("hasPrimaryTumor"), tumor, g))
        add(ox.Quad(tumor, RDF_TYPE, p("PrimaryTumor"), g))
        add(ox.Quad(tumor, p("hasSite"), ox.NamedNode(rng.choice(SITES)), g))
        add(ox.Quad(tumor, p("hasHistology"), ox.NamedNode(rng.choice(HISTOLOGIES)), g))
        for n in range(1, rng.randint(1, 3) + 1):
            met = iri("metastasis", f"{case}-{n}")
            add(ox.Quad(patient, p("hasMetastasis"), met, g))
            add(ox.Quad(met, RDF_TYPE, p("Metastasis"), g))
            add(ox.Quad(met, p("hasSite"), ox.NamedNode(rng.choice(SITES)), g))
            add(
                ox.Quad(
                    met,
                    p("intervalMonths"),
                    ox.Literal(
                        str(rng.randint(0, 120)),
                        datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"),
                    ),
                    g,
                )
            )
            add(ox.Quad(met, p("isSynchronous"), ox.Literal(n == 1 and rng.random() < 0.3), g))
    return quads


def start_server(store_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``sarcokg serve --port 0`` on the store; returns the process and its URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SARCOKG_")}
    env["SARCOKG_STORE"] = str(store_path)
    log = store_path.parent / "server.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-c", "from sarcokg.cli import main; main()", "serve", "--port", "0"],
            env=env,
            cwd=store_path.parent,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    for _ in range(600):
        found = re.search(r"Uvicorn running on (http://[\w.]+:\d+)", log.read_text())
        if found:
            return server, found.group(1)
        time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"sarcokg serve did not start:\n{log.read_text()}")


def time_raw(store_path: Path, repeat: int) -> dict[str, list[float]]:
    """Seconds per run of each query in this process (evaluate + serialise SPARQL JSON)."""
    store = ox.Store(str(store_path))
    out: dict[str, list[float]] = {}
    for name, query in QUERIES.items():

        def raw(q: str = query) -> bytes:
            result = store.query(q)
            assert isinstance(result, ox.QuerySolutions)
            return result.serialize(format=ox.QueryResultsFormat.JSON) or b""

        out[name] = runs(raw, repeat)
    store.flush()
    return out


def time_http(store_path: Path, repeat: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Seconds per ``GET /sparql`` of each query on a real server, and the JSON sizes."""
    server, url = start_server(store_path)
    out: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            wait_until_idle(client)
            for name, query in QUERIES.items():

                def http(q: str = query) -> bytes:
                    response = client.get("/sparql", params={"query": q})
                    response.raise_for_status()
                    return response.content

                sizes[name] = len(http())
                out[name] = runs(http, repeat)
    finally:
        server.terminate()
        server.wait(30)
    return out, sizes


def wait_until_idle(client: httpx.Client, limit_s: float = 300) -> None:
    """The app builds its statistics index in the background after start-up, which slows every
    request for a while: wait until a trivial query is fast again (or ``limit_s`` passes)."""
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        status = client.get("/api/stats")  # the researcher API's index status, when it has one
        if status.status_code == 200 and status.json().get("current") is False:
            time.sleep(0.5)
            continue
        times = []
        for _ in range(5):
            started = time.perf_counter()
            client.get("/sparql", params={"query": "ASK {}"}).raise_for_status()
            times.append(time.perf_counter() - started)
        if statistics.median(times) < 0.005:
            return
        time.sleep(0.5)


def runs(fn: Callable[[], bytes], repeat: int) -> list[float]:
    fn()  # warm-up, not measured
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sarcokg-bench-api-") as tmp:
        store_path = Path(tmp) / "store"
        started = time.perf_counter()
        quads = synthetic_quads(args.cases, args.seed)
        store = ox.Store(str(store_path))
        store.bulk_extend(quads)
        store.flush()
        store.optimize()
        del store
        print(f"{args.cases} cases, {len(quads)} quads loaded in {time.perf_counter() - started:.1f} s")
        del quads
        # The first server run after a bulk load is slowed by RocksDB's background compaction:
        # one unmeasured round, then two measured rounds of each, alternating, so that load from
        # other processes on the machine hits both alike.
        time_http(store_path, 2)
        raw: dict[str, list[float]] = {name: [] for name in QUERIES}
        http: dict[str, list[float]] = {name: [] for name in QUERIES}
        sizes: dict[str, int] = {}
        for _ in range(2):
            for name, times in time_raw(store_path, args.repeat).items():
                raw[name] += times
            http_times, sizes = time_http(store_path, args.repeat)
            for name, times in http_times.items():
                http[name] += times
    print(f"{'query':46} {'raw pyoxigraph':>15} {'/sparql':>10} {'ratio':>6} {'JSON bytes':>11}")
    for name in QUERIES:
        raw_s, http_s = statistics.median(raw[name]), statistics.median(http[name])
        ratio = http_s / raw_s
        print(f"{name:46} {raw_s * 1000:12.1f} ms {http_s * 1000:7.1f} ms {ratio:6.2f} {sizes[name]:11d}")


if __name__ == "__main__":
    main()
