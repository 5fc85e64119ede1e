"""Synthetic reports for the crash tests, shared by the test (which imports it) and the loader
process it kills (which runs this file), so both build exactly the same documents.

Run as a script it is that loader process: it writes ``n`` reports of one ``version`` into an
embedded store through :class:`graph.loading.ReportWriter`, printing a line per 100 results.
:func:`smo_term` and :func:`curated_report` also build the load benchmark's reports
(``bench/bench_load.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from loaders.records import (
    CaseRecord,
    Evidence,
    Metastasis,
    Outcome,
    Patient,
    PrimaryTumor,
    Source,
    SourceDocument,
    Term,
)

SMO = "https://w3id.org/sarcokg/ontology#"
SITES = ["Lung", "Liver", "Pancreas", "Bone", "Brain"]


def smo_term(name: str, label: str | None = None) -> Term:
    """The term ``smo:<name>``, labelled ``label`` (by default the name in lower case)."""
    return Term(iri=SMO + name, label=name.lower() if label is None else label)


def curated_report(doc_id: str, text: str, record: CaseRecord) -> tuple[SourceDocument, list[CaseRecord]]:
    """A report with its one record given (curated input, so nothing is extracted)."""
    return SourceDocument(doc_id=doc_id, text=text, source=Source(format="record")), [record]


def cases(n: int, version: int) -> list[tuple[SourceDocument, list[CaseRecord]]]:
    """``n`` one-patient reports; ``version`` changes every report's text (and so its hash)."""
    out = []
    for i in range(n):
        doc_id = f"crash-{i:05d}"
        site = SITES[i % len(SITES)]
        text = f"Version {version}. A {30 + i % 50}-year-old woman; kidney leiomyosarcoma; "
        text += f"{site.lower()} metastasis."
        start = text.index(site.lower())
        record = CaseRecord(
            case_id=f"{doc_id}-1",
            patient=Patient(age=30 + i % 50, sex="female"),
            primary_tumor=PrimaryTumor(
                site=smo_term("Kidney"),
                histology=smo_term("Leiomyosarcoma"),
            ),
            metastases=[
                Metastasis(
                    site=smo_term(site),
                    interval_months=version + i % 24,
                    evidence=[
                        Evidence(start=start, end=start + len(site), text=text[start : start + len(site)])
                    ],
                )
            ],
            outcome=Outcome(status="alive"),
        )
        out.append(curated_report(doc_id, text, record))
    return out


def main(store_path: str, n: int, version: int, chunk_reports: int) -> None:
    from graph.embedded import EmbeddedStore
    from graph.loading import ReportWriter
    from sarcokg.config import Settings

    settings = Settings(store=Path(store_path), _env_file=None)
    store = EmbeddedStore(settings.store)
    done = 0

    def count(_: object) -> None:
        nonlocal done
        done += 1
        if done % 100 == 0:
            print(done, flush=True)

    writer = ReportWriter(store, settings, chunk_reports=chunk_reports, bulk_min_reports=1, on_result=count)
    print("started", flush=True)
    for document, records in cases(n, version):
        writer.write(document, records)
    writer.close()
    store.close()
    print("finished", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
