"""Shared fixtures: real stores (a LadybugDB file; Neo4j when NEO4J_URI is set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.store import Store
from oversight.loaders.dataset import BUNDLED, graph_rows, read_dataset

NEO4J_URI = os.environ.get("NEO4J_URI")
STORES = ["ladybug", "neo4j"]


def _neo4j_store() -> Store:
    from oversight.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(
        NEO4J_URI or "",
        user=os.environ.get("NEO4J_USERNAME", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", ""),
        database=os.environ.get("NEO4J_DATABASE") or None,
    )
    store.clear()
    return store


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each kind; the Neo4j run is skipped without a server."""
    if request.param == "neo4j":
        if not NEO4J_URI:
            pytest.skip("Neo4j run needs NEO4J_URI (no Neo4j server can run on this machine)")
        opened = _neo4j_store()
    else:
        opened = EmbeddedStore(tmp_path / "test.lbug")
    with opened:
        yield opened


@pytest.fixture(scope="session")
def bundled():
    return read_dataset([BUNDLED])


@pytest.fixture(scope="session")
def loaded_db(tmp_path_factory: pytest.TempPathFactory, bundled) -> Path:
    """A LadybugDB file holding the bundled dataset, loaded once for the session."""
    path = tmp_path_factory.mktemp("bundled") / "oversight.lbug"
    with EmbeddedStore(path) as store:
        store.load(*graph_rows(bundled))
    return path


@pytest.fixture
def loaded(loaded_db: Path) -> Iterator[EmbeddedStore]:
    with EmbeddedStore(loaded_db, read_only=True) as store:
        yield store
