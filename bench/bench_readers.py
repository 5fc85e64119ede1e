"""Reader throughput: documents per second for large PubMed sets, JATS articles and text files.

Run: ``.venv/bin/python -m bench.bench_readers [--articles 5000]``. Inputs are generated
(synthetic, varied text) in a temporary folder; nothing is read from the network.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from loaders import SourceDocument, read_path

SITES = ["lung", "liver", "pancreas", "bone", "brain", "adrenal gland", "skin", "kidney"]
HISTOLOGIES = ["leiomyosarcoma", "liposarcoma", "synovial sarcoma", "angiosarcoma", "osteosarcoma"]


def paragraph(rng: random.Random, words: int = 300) -> str:
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(
            f"A {rng.randint(18, 85)}-year-old {rng.choice(['woman', 'man'])} with {rng.choice(HISTOLOGIES)} "
            f"developed {rng.choice(SITES)} metastases {rng.randint(1, 60)} months after resection, "
            f"and there was no evidence of {rng.choice(SITES)} involvement."
        )
    return " ".join(sentences)


def pubmed_set(rng: random.Random, count: int) -> str:
    articles = []
    for i in range(count):
        articles.append(
            f"<PubmedArticle><MedlineCitation><PMID>{40000000 + i}</PMID><Article><Journal><JournalIssue>"
            f"<PubDate><Year>{rng.randint(1990, 2024)}</Year></PubDate></JournalIssue>"
            f"<Title>Synthetic Reports</Title></Journal>"
            f"<ArticleTitle>{rng.choice(SITES).title()} metastasis of a "
            f"{rng.choice(HISTOLOGIES)}</ArticleTitle>"
            f"<Abstract>"
            f'<AbstractText Label="BACKGROUND">{paragraph(rng, 60)}</AbstractText>'
            f'<AbstractText Label="CASE PRESENTATION">{paragraph(rng, 180)}</AbstractText>'
            f'<AbstractText Label="CONCLUSIONS">{paragraph(rng, 60)}</AbstractText>'
            f"</Abstract></Article></MedlineCitation></PubmedArticle>"
        )
    return "<PubmedArticleSet>" + "".join(articles) + "</PubmedArticleSet>"


def jats_article(rng: random.Random, i: int) -> str:
    secs = "".join(
        f"<sec><title>{title}</title><p>{paragraph(rng, 150)}</p><p>{paragraph(rng, 150)}</p></sec>"
        for title in ("Introduction", "Case presentation", "Discussion")
    )
    return (
        f"<article><front><article-meta><article-id pub-id-type='pmid'>{50000000 + i}</article-id>"
        f"<title-group><article-title>Case {i}</article-title></title-group>"
        f"<abstract><p>{paragraph(rng, 200)}</p></abstract></article-meta></front>"
        f"<body>{secs}</body></article>"
    )


def timed(label: str, paths: list[Path]) -> None:
    start = time.perf_counter()
    documents = sum(1 for path in paths for item in read_path(path) if isinstance(item, SourceDocument))
    elapsed = time.perf_counter() - start
    size = sum(path.stat().st_size for path in paths) / 1e6
    rate = documents / elapsed
    print(f"{label:<36} {documents:>6} documents  {size:7.1f} MB  {elapsed:6.2f} s  {rate:8.0f} docs/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000, help="articles in the PubMed set")
    parser.add_argument("--files", type=int, default=500, help="number of JATS and of text files")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pubmed = folder / "set.xml"
        pubmed.write_text(pubmed_set(rng, args.articles), encoding="utf-8")
        jats = [folder / f"a{i}.nxml" for i in range(args.files)]
        for i, path in enumerate(jats):
            path.write_text(jats_article(rng, i), encoding="utf-8")
        texts = [folder / f"r{i}.txt" for i in range(args.files)]
        for path in texts:
            path.write_text(paragraph(rng, 300), encoding="utf-8")
        timed("PubMed set (1 file, ~300 words each)", [pubmed])
        timed("JATS articles (~1100 words each)", jats)
        timed("plain text (~300 words each)", texts)


if __name__ == "__main__":
    main()
