"""Fixtures for the named-query tests: one real on-disk store with the ontology and test reports."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ontology import Ontology, load_ontology


def import_seed_records() -> ModuleType:
    """tests/graph/seed_records.py (pytest's importlib mode keeps tests/ off sys.path)."""
    name = "sarcokg_test_seed_records"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "graph" / "seed_records.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


@pytest.fixture(scope="session")
def seeds() -> ModuleType:
    return import_seed_records()


@pytest.fixture(scope="session")
def onto() -> Ontology:
    return load_ontology()


@pytest.fixture(scope="session")
def kg(tmp_path_factory: pytest.TempPathFactory, seeds: ModuleType, onto: Ontology) -> Iterator[Any]:
    """Seeds + synthetic report + ontology + closure in a real on-disk store (read-only use)."""
    store = seeds.open_test_store(tmp_path_factory.mktemp("queries") / "kg")
    seeds.populate(store, onto, seeds.all_documents(onto))
    yield store
    store.close()
