"""The same Cypher on both stores: the bundled dataset loaded into a real Neo4j server through
the CLI, and every saved query giving the same rows there as on LadybugDB, and its golden.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import neo4j_store
from fingerprint import content
from oversight.graph.embedded import EmbeddedStore
from oversight.queries.library import BUNDLED_DIR, read_query
from test_queries import GOLDEN, golden_form

from oversight.cli import cli

BUNDLED_QUERIES = [read_query(p, bundled=True) for p in sorted(BUNDLED_DIR.glob("*.cypher"))]


def invoke(env: dict[str, str], *args: str) -> Any:
    outcome = CliRunner().invoke(cli, ["--neo4j", env["NEO4J_URI"], *args], env=env)
    assert outcome.exit_code == 0, outcome.output or repr(outcome.exception)
    return outcome


@pytest.fixture(scope="module")
def neo4j_loaded(neo4j_server: dict[str, str]) -> Iterator[dict[str, str]]:
    """The bundled dataset in the Neo4j server, loaded by `oversight --neo4j URI load`."""
    with neo4j_store(neo4j_server):  # empties it
        pass
    invoke(neo4j_server, "load")
    yield neo4j_server


def rows(outcome: Any) -> list[dict[str, Any]]:
    return json.loads(outcome.stdout)  # stderr may say which entity a name was taken for


@pytest.mark.parametrize("saved", BUNDLED_QUERIES, ids=lambda q: q.name)
def test_saved_query_gives_the_same_rows_on_both_stores(
    neo4j_loaded: dict[str, str], loaded_db: Path, saved: Any
) -> None:
    on_neo4j = rows(
        invoke(neo4j_loaded, "query", "run", saved.name, "--example", "--format", "json")
    )
    outcome = CliRunner().invoke(
        cli, ["--db", str(loaded_db), "query", "run", saved.name, "--example", "--format", "json"]
    )
    assert outcome.exit_code == 0, outcome.output
    assert on_neo4j == rows(outcome)  # every column, every property
    golden = json.loads((GOLDEN / f"{saved.name}.json").read_text(encoding="utf-8"))
    assert golden_form(on_neo4j) == golden


def test_both_stores_hold_the_same_graph(neo4j_loaded: dict[str, str], loaded_db: Path) -> None:
    with EmbeddedStore(loaded_db, read_only=True) as embedded:
        expected = content(embedded)
    with neo4j_store_without_clearing(neo4j_loaded) as server:
        assert content(server) == expected


def neo4j_store_without_clearing(env: dict[str, str]) -> Any:
    from oversight.graph.neo4j_store import Neo4jStore

    return Neo4jStore(env["NEO4J_URI"], user=env["NEO4J_USERNAME"], password=env["NEO4J_PASSWORD"])
