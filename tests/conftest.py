"""Project-wide pytest settings (per-area fixtures live in tests/<area>/conftest.py)."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Keep spaCy/medspaCy and friends quiet and offline in tests."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
