"""``sarcokg load PATH...``: read, extract and store case reports, with progress and a summary."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from graph.loading import LoadFailure, LoadResult


class _Counter:
    """Reports finished so far and their rate."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.reports = 0
        self.failed = 0
        self.files = 0
        self.total_files = 0

    def rate(self) -> float:
        return self.reports / max(time.monotonic() - self.started, 1e-6)

    def eta(self) -> str:
        if not self.files or self.files >= self.total_files:
            return "-"
        seconds = (time.monotonic() - self.started) / self.files * (self.total_files - self.files)
        return time.strftime("%H:%M:%S", time.gmtime(seconds))


class PlainProgress(_Counter):
    """One line on stderr at most every ``every_s`` seconds (for logs and pipes)."""

    def __init__(self, every_s: float = 2.0) -> None:
        super().__init__()
        self.every_s = every_s
        self._last = 0.0

    def start(self, files: int) -> None:
        self.total_files = files
        print(f"loading {files} file(s)", file=sys.stderr, flush=True)

    def file_done(self, path: Path) -> None:
        self.files += 1
        now = time.monotonic()
        if now - self._last >= self.every_s or self.files == self.total_files:
            self._last = now
            print(
                f"files {self.files}/{self.total_files}, reports {self.reports} "
                f"({self.rate():.1f}/s), ETA {self.eta()}",
                file=sys.stderr,
                flush=True,
            )

    def report_done(self, outcome: LoadResult | LoadFailure) -> None:
        self.reports += 1


class RichProgress(_Counter):
    """A live bar on a terminal: files done, reports per second, time left."""

    def __init__(self) -> None:
        super().__init__()
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("loading"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files · {task.fields[reports]} reports · {task.fields[rate]:.1f} reports/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task: Any = None

    def start(self, files: int) -> None:
        self.total_files = files
        self._bar.start()
        self._task = self._bar.add_task("load", total=files, reports=0, rate=0.0)

    def file_done(self, path: Path) -> None:
        self.files += 1
        self._bar.update(self._task, advance=1, reports=self.reports, rate=self.rate())

    def report_done(self, outcome: LoadResult | LoadFailure) -> None:
        self.reports += 1

    def stop(self) -> None:
        if self._task is not None:
            self._bar.update(self._task, reports=self.reports, rate=self.rate())
        self._bar.stop()


def load(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Report files or folders (text, PubMed XML, JATS, BioC, curated YAML/JSON).",
            show_default=False,
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Reload every report, even unchanged ones.")] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Extraction processes (default: one per core).")
    ] = None,
) -> None:
    """Load case reports into the store (SARCOKG_STORE, or SARCOKG_ENDPOINT when set).

    Folders are read recursively. Unchanged reports (same SHA-256) are skipped, changed ones
    replace their graph, and every report is written whole or not at all. The ontology is
    loaded too, the first time and whenever its file changed. Progress goes to stderr, the
    summary (loaded, unchanged, replaced, failed) to stdout and each failure with its reason
    to stderr.

    Exit status: 0 when every report loaded or was unchanged, 1 when any failed.
    """
    from graph import open_store
    from graph.pipeline import load_paths
    from sarcokg.config import get_settings

    settings = get_settings()
    progress: PlainProgress | RichProgress = RichProgress() if sys.stderr.isatty() else PlainProgress()
    with open_store(settings) as store:
        try:
            summary = load_paths(
                store, paths, settings=settings, workers=workers, force=force, progress=progress
            )
        finally:
            if isinstance(progress, RichProgress):
                progress.stop()
    for failure in summary.failures:
        print(f"sarcokg: failed: {failure}", file=sys.stderr)
    ontology = "; ontology graphs loaded" if summary.ontology_loaded else ""
    print(
        f"{summary.line()} ({summary.files} file(s), {summary.quads} quads written, "
        f"{summary.seconds:.1f} s){ontology}"
    )
    if summary.failures:
        raise typer.Exit(1)
