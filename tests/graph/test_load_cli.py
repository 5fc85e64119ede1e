"""``sarcokg load`` as a user runs it: a real process, real files, a real store on disk."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph import EmbeddedStore
from queries.registry import run

from .test_load import seed_folder

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SARCOKG = str(Path(sys.executable).with_name("sarcokg"))


def environment(store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SARCOKG_")}
    env["SARCOKG_STORE"] = str(store)
    return env


def sarcokg(store: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SARCOKG, *args], env=environment(store), cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_help_states_the_exit_status(tmp_path: Path) -> None:
    result = sarcokg(tmp_path / "store", "load", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "Exit status" in result.stdout and "1 when any failed" in result.stdout


def test_load_examples_answers_the_acceptance_query(tmp_path: Path) -> None:
    """`sarcokg load examples/` (real extraction, in worker processes) then the named query."""
    store = tmp_path / "store"
    result = sarcokg(store, "load", str(EXAMPLES), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "loaded 2, unchanged 0, replaced 0, failed 0" in result.stdout
    opened = EmbeddedStore(store)
    try:
        rows = run(opened, "metastasis-sites-by-primary-site")
        counts = {(r["primaryLabel"].value, r["siteLabel"].value): int(r["patients"].value) for r in rows}
        assert counts[("kidney", "lung")] == 1
        assert counts[("kidney", "pancreas")] == 1
        assert counts[("thigh", "pancreas")] == 1
        total = opened.count()
    finally:
        opened.close()

    again = sarcokg(store, "load", str(EXAMPLES), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "loaded 0, unchanged 2, replaced 0, failed 0" in again.stdout
    opened = EmbeddedStore(store)
    assert opened.count() == total
    opened.close()


def test_plain_progress_summary_and_failures(tmp_path: Path) -> None:
    from ontology import load_ontology

    folder = seed_folder(tmp_path / "in", load_ontology())
    (folder / "notes.txt").write_bytes(b"   \n")
    result = sarcokg(tmp_path / "store", "load", str(folder), "--workers", "1", cwd=tmp_path)
    assert result.returncode == 1
    assert "loaded 2, unchanged 0, replaced 0, failed 1" in result.stdout
    assert "loading 3 file(s)" in result.stderr
    assert "files 3/3" in result.stderr  # plain lines: stderr is not a terminal here
    failure_lines = [line for line in result.stderr.splitlines() if line.startswith("sarcokg: failed:")]
    assert len(failure_lines) == 1 and "notes.txt" in failure_lines[0] and "whitespace" in failure_lines[0]
    assert "Traceback" not in result.stderr


def test_a_missing_path_is_a_one_line_error(tmp_path: Path) -> None:
    result = sarcokg(tmp_path / "store", "load", str(tmp_path / "nope"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"sarcokg: error: {tmp_path / 'nope'}: no such file or directory"
    ]


def test_a_rich_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    from ontology import load_ontology

    folder = seed_folder(tmp_path / "in", load_ontology())
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [SARCOKG, "load", str(folder), "--workers", "1"],
        env={**environment(tmp_path / "store"), "COLUMNS": "160", "TERM": "xterm"},
        cwd=tmp_path,
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    output = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    assert process.wait(timeout=30) == 0
    text = output.decode("utf-8", "replace")
    assert "reports/s" in text and "ETA" in text and "2/2" in text
    assert "loaded 2, unchanged 0, replaced 0, failed 0" in text


HOLDER = textwrap.dedent(
    """
    import sys
    from graph import EmbeddedStore
    store = EmbeddedStore(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    """
)


def test_a_store_held_by_another_process_says_how_to_load_through_the_service(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(store)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdin is not None and holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        try:
            result = sarcokg(store, "load", str(EXAMPLES), cwd=tmp_path)
        finally:
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(timeout=30)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"sarcokg: error: the store {store} is locked by another process")
    assert (
        "curl -H 'Authorization: Bearer $SARCOKG_TOKEN' -F file=@report.txt http://127.0.0.1:8000/api/reports"
        in lines[0]
    )


@pytest.mark.parametrize("workers", ["0", "x"])
def test_bad_worker_counts_are_usage_errors(tmp_path: Path, workers: str) -> None:
    result = sarcokg(tmp_path / "store", "load", str(EXAMPLES), "--workers", workers, cwd=tmp_path)
    assert result.returncode == 2
    assert "--workers" in result.stderr
