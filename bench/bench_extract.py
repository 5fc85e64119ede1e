"""Extraction throughput: synthetic ~300-word case reports per second, one process and a pool.

Run from the project root: ``.venv/bin/python -m bench.bench_extract [--reports 1200] [--workers 2]``.
Reports come from ``tests/extraction/synthetic.py`` (deterministic, drawn from the
ontology). Each worker builds its own pipeline once (medspaCy's rules do not pickle), in
the pool's initializer; pool start-up is not timed. Target (issue 3): >= 150 reports/s
with both cores of a 2-core machine.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

from loaders.extraction import extract_text, get_pipeline
from loaders.records import CaseRecord
from tests.extraction.synthetic import generate_reports


def _init_worker() -> None:
    get_pipeline()  # built once per worker process
    extract_text("A 50-year-old woman had a leiomyosarcoma of the thigh with lung metastases.")


def _extract(text: str) -> CaseRecord:
    return extract_text(text)


def _warm(_: int) -> int:
    time.sleep(0.2)  # keep each worker busy so that every worker gets one
    return os.getpid()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--reports", type=int, default=1200)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()

    reports = generate_reports(args.reports, seed=args.seed)
    texts = [r.text for r in reports]
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{len(texts)} synthetic reports, {words:.0f} words on average")

    _init_worker()
    sample = texts[: max(len(texts) // 4, 50)]
    t0 = time.perf_counter()
    for text in sample:
        extract_text(text)
    single = len(sample) / (time.perf_counter() - t0)
    print(f"one process:          {single:7.1f} reports/s")

    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=args.workers, mp_context=ctx, initializer=_init_worker) as pool:
        pids = set(pool.map(_warm, range(args.workers * 2)))
        t0 = time.perf_counter()
        records = list(pool.map(_extract, texts, chunksize=16))
        elapsed = time.perf_counter() - t0
    pooled = len(records) / elapsed
    print(f"{len(pids)} worker processes:   {pooled:7.1f} reports/s  ({pooled / single:.2f}x one process)")
    print(f"target >= 150 reports/s: {'met' if pooled >= 150 else 'NOT met'}")


if __name__ == "__main__":
    main()
