"""Folder walking for ``sarcokg load PATH...``."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import iter_report_files
from sarcokg.errors import InputError


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("A report.", encoding="utf-8")
    return path


def test_folders_are_walked_sorted_without_hidden_files(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    for name in [
        "b.txt",
        "a.xml",
        "sub/c.json",
        "sub/deeper/d.yaml",
        ".hidden.txt",
        ".git/config",
        "sub/.DS_Store",
    ]:
        touch(root / name)
    single = touch(tmp_path / "single.txt")
    found = list(iter_report_files([root, single]))
    assert found == [
        root / "a.xml",
        root / "b.txt",
        root / "sub" / "c.json",
        root / "sub" / "deeper" / "d.yaml",
        single,
    ]


def test_an_explicitly_named_hidden_file_is_kept(tmp_path: Path) -> None:
    hidden = touch(tmp_path / ".draft.txt")
    assert list(iter_report_files([str(hidden)])) == [hidden]


def test_a_missing_path_fails_before_anything_is_yielded(tmp_path: Path) -> None:
    good = touch(tmp_path / "a.txt")
    with pytest.raises(InputError, match="no such file or directory") as info:
        iter_report_files([good, tmp_path / "missing"])  # raised on the call, not on iteration
    assert str(info.value).startswith(str(tmp_path / "missing"))
