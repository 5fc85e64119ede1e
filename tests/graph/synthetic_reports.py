"""Synthetic reports for the crash tests, shared by the test and the loader process it kills
(both load this file by path, so they build exactly the same documents).

Run as a script it is that loader process: it writes ``n`` reports of one ``version`` into an
embedded store through :class:`graph.loading.ReportWriter`, printing a line per 100 results.
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
                site=Term(iri=SMO + "Kidney", label="kidney"),
                histology=Term(iri=SMO + "Leiomyosarcoma", label="leiomyosarcoma"),
            ),
            metastases=[
                Metastasis(
                    site=Term(iri=SMO + site, label=site.lower()),
                    interval_months=version + i % 24,
                    evidence=[
                        Evidence(start=start, end=start + len(site), text=text[start : start + len(site)])
                    ],
                )
            ],
            outcome=Outcome(status="alive"),
        )
        out.append((SourceDocument(doc_id=doc_id, text=text, source=Source(format="record")), [record]))
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
