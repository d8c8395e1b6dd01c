"""Shared fixtures: real stores (a LadybugDB file, and a real Neo4j 5.26 server).

The Neo4j server is the one at NEO4J_URI when that is set; otherwise the session starts one
on loopback from Maven Central jars (tools/neo4j/). With CI set, a server that cannot start
fails the run; elsewhere (no Java or Maven) the Neo4j half is skipped with the reason.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.store import Store
from oversight.loaders.dataset import BUNDLED, graph_rows, read_dataset

STORES = ["ladybug", "neo4j"]
TOOLS = Path(__file__).resolve().parent.parent / "tools" / "neo4j"
TEST_PASSWORD = "oversight-test"  # the session server's; Neo4j wants 8 characters or more


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment that points the CLI and the stores at a real Neo4j server."""
    if os.environ.get("NEO4J_URI"):
        yield {
            "NEO4J_URI": os.environ["NEO4J_URI"],
            "NEO4J_USERNAME": os.environ.get("NEO4J_USERNAME", "neo4j"),
            "NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", ""),
        }
        return
    if _NO_SERVER:  # tried once this session already: fail or skip at once, not per test
        _give_up(_NO_SERVER[0])
    sys.path.insert(0, str(TOOLS))
    import server  # tools/neo4j/server.py

    try:
        uri, proc = server.start(
            data_dir=tmp_path_factory.mktemp("neo4j"),
            password=TEST_PASSWORD,
            wipe=True,
            timeout=START_TIMEOUT,
        )
    except (server.Neo4jStartError, OSError) as error:
        _NO_SERVER.append(f"no Neo4j server: {str(error).splitlines()[0]}")
        _give_up(_NO_SERVER[0])
    try:
        yield {"NEO4J_URI": uri, "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": TEST_PASSWORD}
    finally:
        server.stop(proc)


_NO_SERVER: list[str] = []
START_TIMEOUT = 300.0  # seconds; about 10 on a quiet machine, far more on a loaded one


def _give_up(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


def neo4j_store(env: dict[str, str]) -> Store:
    """An empty Neo4j store on the session's server."""
    from oversight.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(env["NEO4J_URI"], user=env["NEO4J_USERNAME"], password=env["NEO4J_PASSWORD"])
    store.clear()
    return store


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each kind."""
    if request.param == "neo4j":
        opened = neo4j_store(request.getfixturevalue("neo4j_server"))
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
