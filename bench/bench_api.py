"""Researcher endpoints against raw pyoxigraph, same on-disk store, same run (issue 5, item 7).

    .venv/bin/python -m bench.bench_api                    # 100,000 synthetic cases
    .venv/bin/python -m bench.bench_api --cases 20000 --workdir /tmp/kg  # keep the store for reruns

Synthetic one-patient reports drawn from the ontology's own terms (organ-level sites, histologies,
chemotherapy agents; 1-3 metastases, a negated site, a treatment each) are loaded through
SarcoKG's fast path (:class:`graph.loading.ReportWriter`: mapping + journalled bulk load). Then:

1. raw pyoxigraph, before the server starts: the aggregate behind the endpoint (the named query
   ``metastasis-sites-by-primary-site``: distinct patients per primary site and metastasis site),
   first run and warm median;
2. ``sarcokg serve`` on the store: time until the statistics cubes are built;
   ``GET /api/stats/metastasis-sites?by=primary_site`` cold (first request of this store
   generation) and warm (cached, median and p95); a second, filtered question, cold;
3. after ``POST /api/reports`` (the cubes follow the upload in place) and after a SPARQL
   Update (the cubes are rebuilt: the honest worst case), the first request again;
4. ``/sparql`` against raw pyoxigraph (read-only on the same folder) for a selective query,
   alternating runs, medians (evaluate + SPARQL JSON on both sides).

Targets: cold <= 0.3 s, warm <= 10 ms, /sparql <= 1.2x raw.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from bench.bench_queries import synthetic_documents  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from graph.loading import ReportWriter, ensure_ontology  # noqa: E402
from ontology import load_ontology  # noqa: E402
from queries.registry import render  # noqa: E402
from sarcokg.config import Settings  # noqa: E402
from tests.api.conftest import start_live_server  # noqa: E402  (the tests' real-server launcher)

SMO = "https://w3id.org/sarcokg/ontology#"
TOKEN = "bench-token-0123456789"
STATS = "/api/stats/metastasis-sites"
SELECTIVE = f"""PREFIX smo: <{SMO}>
SELECT ?patient ?age ?histology WHERE {{
  GRAPH ?g {{
    ?patient smo:hasMetastasis ?m ; smo:ageYears ?age ; smo:hasPrimaryTumor ?t .
    ?m smo:hasSite smo:Pancreas .
    ?t smo:hasHistology ?histology .
    FILTER(?age >= 85)
  }}
}}"""
UPLOAD = {
    "case_id": "bench-upload-1",
    "report_text": "A 61-year-old woman with leiomyosarcoma of the uterus developed liver metastases.",
    "primary_tumor": {
        "site": {"iri": SMO + "Uterus", "label": "uterus"},
        "histology": {"iri": SMO + "Leiomyosarcoma", "label": "leiomyosarcoma"},
    },
    "metastases": [{"site": {"iri": SMO + "Liver", "label": "liver"}}],
}


def load_store(path: Path, cases: int, seed: int) -> None:
    """Synthetic reports into a fresh store through the loader's fast path."""
    started = time.perf_counter()
    documents = synthetic_documents(load_ontology(), cases, seed)
    made = time.perf_counter()
    settings = Settings(store=path, _env_file=None)
    store = EmbeddedStore(path)
    try:
        ensure_ontology(store, settings)
        writer = ReportWriter(store, settings)
        for document, records in documents:
            writer.write(document, records)
        summary = writer.close()
        loaded = time.perf_counter()
        store.optimize()  # compact the bulk-loaded files, as a long-running store would be
    finally:
        store.close()
    print(
        f"{cases} synthetic cases: records in {made - started:.1f} s, loaded in {loaded - made:.1f} s "
        f"({summary.line()}), compacted in {time.perf_counter() - loaded:.1f} s"
    )


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def raw_aggregate(path: Path, repeat: int) -> tuple[float, float, int]:
    """First run and warm median of the aggregate on the store, no server running."""
    store = ox.Store(str(path))
    query = render("metastasis-sites-by-primary-site")
    rows: list[object] = []

    def run() -> None:
        result = store.query(query)
        assert isinstance(result, ox.QuerySolutions)
        rows[:] = list(result)

    first = seconds(run)
    warm = statistics.median(seconds(run) for _ in range(repeat))
    store.flush()
    return first, warm, len(rows)


def wait_for_cubes(client: httpx.Client, timeout_s: float = 600) -> dict[str, Any]:
    """Poll ``/api/stats`` until the cubes reflect the store (they are built at start-up)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status: dict[str, Any] = client.get("/api/stats").json()
        if status["current"]:
            return status
        time.sleep(0.05)
    raise SystemExit("the statistics cubes were not built in time")


def timed_get(client: httpx.Client, path: str, params: dict[str, str]) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed, response


def selective(path: Path, client: httpx.Client, repeat: int) -> tuple[float, float, int]:
    """Raw pyoxigraph (read-only on the served folder) against /sparql, alternating; medians."""
    raw_store = ox.Store.read_only(str(path))

    def raw() -> bytes:
        result = raw_store.query(SELECTIVE)
        assert isinstance(result, ox.QuerySolutions)
        return result.serialize(format=ox.QueryResultsFormat.JSON) or b""

    def http() -> bytes:
        response = client.get("/sparql", params={"query": SELECTIVE})
        response.raise_for_status()
        return response.content

    raw(), http()
    raw_times, http_times = [], []
    for _ in range(repeat):
        raw_times.append(seconds(raw))
        http_times.append(seconds(http))
    rows = len(json.loads(http())["results"]["bindings"])
    return statistics.median(raw_times), statistics.median(http_times), rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20, help="warm runs per figure")
    parser.add_argument("--workdir", type=Path, help="folder to keep the store in (reused if present)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sarcokg-bench-research-") as tmp:
        workdir = args.workdir or Path(tmp)
        path = workdir / "store"
        if not path.exists():
            load_store(path, args.cases, args.seed)
        raw_first, raw_warm, groups = raw_aggregate(path, repeat=3)
        started = time.perf_counter()
        server = start_live_server(workdir, token=TOKEN, startup_timeout_s=600)
        try:
            with httpx.Client(base_url=server.url, timeout=600) as client:
                status = wait_for_cubes(client)
                ready = time.perf_counter() - started
                cold, _ = timed_get(client, STATS, {"by": "primary_site"})
                warm = sorted(timed_get(client, STATS, {"by": "primary_site"})[0] for _ in range(args.repeat))
                filtered_cold, _ = timed_get(client, STATS, {"by": "histology", "histology": "sarcoma"})
                upload = seconds(
                    lambda: client.post(
                        "/api/reports",
                        files={"file": ("bench-upload.json", json.dumps(UPLOAD).encode())},
                        headers={"Authorization": f"Bearer {TOKEN}"},
                    ).raise_for_status()
                )
                after_upload, _ = timed_get(client, STATS, {"by": "primary_site"})
                client.post(
                    "/update",
                    content=b"INSERT DATA { GRAPH <http://example.org/bench> { <http://example.org/a> "
                    b"<http://example.org/b> 1 } }",
                    headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
                ).raise_for_status()
                after_update, _ = timed_get(client, STATS, {"by": "primary_site"})
                raw_sel, http_sel, sel_rows = selective(path, client, repeat=max(7, args.repeat // 2))
        finally:
            server.stop()

    print(
        f"\nraw pyoxigraph aggregate ({groups} rows): first {raw_first:.2f} s, warm median {raw_warm:.2f} s"
    )
    builds = {name: cube["build_seconds"] for name, cube in status["cubes"].items() if cube["build_seconds"]}
    print(
        f"service start until the statistics cubes were current: {ready:.1f} s "
        f"(cube queries, 2 at a time: {', '.join(f'{n} {s:.2f} s' for n, s in builds.items())})"
    )
    median_warm = statistics.median(warm)
    p95 = warm[max(0, int(len(warm) * 0.95) - 1)]
    print(f"{'figure':60} {'measured':>11} {'target':>8}")
    figure(f"GET {STATS}?by=primary_site, cold", cold, 0.3)
    figure(f"  same, warm median (p95 {p95 * 1000:.2f} ms)", median_warm, 0.01)
    figure("  ?by=histology&histology=sarcoma (roll-up filter), cold", filtered_cold, 0.3)
    figure("POST /api/reports (one curated report)", upload)
    figure("  then the statistics, cold (cubes followed the upload)", after_upload, 0.3)
    figure("  after a SPARQL Update, cold (cubes rebuilt)", after_update)
    figure("  raw pyoxigraph aggregate, warm median", raw_warm)
    figure(f"/sparql selective query, {sel_rows} rows (raw {raw_sel * 1000:.1f} ms)", http_sel, 1.2 * raw_sel)
    print(f"{'  ratio /sparql : raw':60} {http_sel / raw_sel:10.2f}x {'1.20x':>8}")


def figure(label: str, measured: float, target: float | None = None) -> None:
    """One line: the figure in ms, the target and whether it was met."""
    goal = f"{target * 1000:6.1f} ms" if target is not None else ""
    mark = "" if target is None else ("ok" if measured <= target else "MISSED")
    print(f"{label:60} {measured * 1000:8.1f} ms {goal:>8} {mark}")


if __name__ == "__main__":
    main()
