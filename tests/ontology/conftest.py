"""Fixtures for the ontology checks: the real Turtle text and broken copies of it.

Broken copies are made by small text edits to one term block (as an ontologist would make
them in an editor), written to ``tmp_path``; the real file is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ontology import ONTOLOGY_FILE

EditBlock = Callable[[str, str, Callable[[str], str]], str]


@pytest.fixture(scope="session")
def real_text() -> str:
    """The shipped ``sarcoma.ttl``."""
    return ONTOLOGY_FILE.read_text(encoding="utf-8")


def edit_block(text: str, local_name: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the block of ``smo:<local_name>`` (from its subject line to the
    next blank line); fail loudly if the block is missing or the edit changes nothing."""
    match = re.search(rf"^smo:{re.escape(local_name)} a .*?\n\n", text, flags=re.S | re.M)
    assert match is not None, f"no block for smo:{local_name}"
    block = match.group(0)
    changed = change(block)
    assert changed != block, f"edit of smo:{local_name} changed nothing"
    return text[: match.start()] + changed + text[match.end() :]


def replace_once(old: str, new: str) -> Callable[[str], str]:
    """An edit replacing exactly one occurrence of ``old``."""

    def change(block: str) -> str:
        assert block.count(old) == 1, f"expected one {old!r} in block"
        return block.replace(old, new)

    return change


@pytest.fixture
def write_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Write Turtle text to a temporary ``sarcoma.ttl`` and return its path."""

    def write(text: str) -> Path:
        path = tmp_path / "sarcoma.ttl"
        path.write_text(text, encoding="utf-8")
        return path

    return write
