"""Fixtures for the named-query tests: one real on-disk store with the ontology and test reports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ontology import Ontology, load_ontology
from tests.graph import seed_records as seeds


@pytest.fixture(scope="session")
def onto() -> Ontology:
    return load_ontology()


@pytest.fixture(scope="session")
def kg(tmp_path_factory: pytest.TempPathFactory, onto: Ontology) -> Iterator[Any]:
    """Seeds + synthetic report + ontology + closure in a real on-disk store (read-only use)."""
    store = seeds.open_test_store(tmp_path_factory.mktemp("queries") / "kg")
    seeds.populate(store, onto, seeds.all_documents(onto))
    yield store
    store.close()
