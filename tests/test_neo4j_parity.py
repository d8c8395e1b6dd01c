"""The same Cypher on both stores: the bundled dataset loaded into a real Neo4j server through
the CLI, and every saved query giving the same rows there as on LadybugDB, and its golden.
"""

from __future__ import annotations

import json
import re
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


def printed_properties() -> list[tuple[str, str, str]]:
    """(label or type, pattern, property) for every property `oversight schema` prints."""
    outcome = CliRunner().invoke(cli, ["schema"])
    assert outcome.exit_code == 0, outcome.output
    found = []
    for line in outcome.stdout.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 5 and cells[1].startswith("`"):  # a node label
            name, pattern = cells[0], f"(x:{cells[0]})"
        elif len(cells) == 6 and cells[0].isupper():  # a relationship type
            name, pattern = cells[0], f"()-[x:{cells[0]}]->()"
        else:
            continue
        # Backquoted names outside the "[dataset key ...]" notes are what Cypher reads.
        shown = re.sub(r"\[dataset key `[^`]+`\]", "", cells[-1])
        found += [(name, pattern, prop) for prop in re.findall(r"`([a-z_]+)`", shown)]
    return found


PRINTED = printed_properties()


def test_the_schema_prints_the_names_cypher_reads() -> None:
    names = {prop for _, _, prop in PRINTED}
    assert {"start_date", "start_precision", "end_date", "published_date", "as_of_date"} <= names
    assert not {"start", "end", "published", "as_of"} & names


def test_every_property_the_schema_prints_reads_in_cypher_on_both_stores(
    neo4j_loaded: dict[str, str], loaded_db: Path
) -> None:
    """`oversight schema` names each property as Cypher reads it, on LadybugDB and Neo4j: a
    name the engines do not know is an error on LadybugDB and a warning-and-null on Neo4j, so
    both the query and the count of values set are compared."""
    assert len(PRINTED) > 40
    with EmbeddedStore(loaded_db, read_only=True) as embedded:
        on_lbug = {
            (n, p): embedded.read(f"MATCH {pat} RETURN count(x.{p}) AS n").rows[0][0]
            for n, pat, p in PRINTED
        }
    with neo4j_store_without_clearing(neo4j_loaded) as server:
        on_neo4j = {
            (n, p): server.read(f"MATCH {pat} RETURN count(x.{p}) AS n").rows[0][0]
            for n, pat, p in PRINTED
        }
    assert on_neo4j == on_lbug
    # The dates investigators ask about most are set, not only readable.
    for key in [
        ("HOLDS", "start_date"),
        ("Inspection", "published_date"),
        ("HOLDS", "start_precision"),
    ]:
        assert on_lbug[key] > 0, key


def test_an_engine_s_own_text_runs_on_that_engine_only(
    neo4j_loaded: dict[str, str], loaded_db: Path, tmp_path: Path
) -> None:
    """`neo4j/NAME.cypher` and `ladybug/NAME.cypher` beside `NAME.cypher`: each engine runs
    its own text, never the other's, and the portable one where it has none
    (shortest-connection is the bundled model: allShortestPaths on Neo4j, ALL SHORTEST on
    LadybugDB)."""
    for engine in ("neo4j", "ladybug"):
        (tmp_path / engine).mkdir()
    for name in ("probe", "neo4j-only", "ladybug-only"):
        (tmp_path / f"{name}.cypher").write_text(
            f"// name: {name}\n// title: t\n// param x: int, example 1\n"
            'RETURN "portable" AS ran, $x AS x\n',
            encoding="utf-8",
        )
    for engine, name in [
        ("neo4j", "probe"),
        ("ladybug", "probe"),
        ("neo4j", "neo4j-only"),
        ("ladybug", "ladybug-only"),
    ]:
        (tmp_path / engine / f"{name}.cypher").write_text(
            f'RETURN "{engine}" AS ran, $x AS x\n', encoding="utf-8"
        )

    def args(name: str) -> list[str]:
        return [
            "--queries-dir",
            str(tmp_path),
            "query",
            "run",
            name,
            "--example",
            "--format",
            "json",
        ]

    def embedded(name: str) -> list[dict[str, Any]]:
        return rows(CliRunner().invoke(cli, ["--db", str(loaded_db), *args(name)]))

    assert rows(invoke(neo4j_loaded, *args("probe"))) == [{"ran": "neo4j", "x": 1}]
    assert embedded("probe") == [{"ran": "ladybug", "x": 1}]
    assert rows(invoke(neo4j_loaded, *args("ladybug-only"))) == [{"ran": "portable", "x": 1}]
    assert embedded("neo4j-only") == [{"ran": "portable", "x": 1}]
    bundled = next(q for q in BUNDLED_QUERIES if q.name == "shortest-connection")
    person = {"from_id": "Person", "to_id": "Person"}  # label slots (queries/labels.py)
    assert "allShortestPaths" in bundled.text_for("neo4j", person)
    assert "ALL SHORTEST" in bundled.text_for("ladybug", person)
    assert "ALL SHORTEST" not in bundled.text_for("neo4j", person)
    assert "allShortestPaths" not in bundled.text_for("ladybug", person)
