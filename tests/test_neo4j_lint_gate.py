"""The Neo4j lint gate passes portable Cypher and rejects what Neo4j 5 would not run."""

from __future__ import annotations

from pathlib import Path

import neo4j_lint
import pytest
from neo4j_lint import ERROR, WARNING, errors, lint

SCHEMA = {
    "labels": ["Person", "Post"],
    "relationshipTypes": ["HOLDS"],
    "propertyKeys": ["id", "capacity"],
}

# name -> (statement, declared parameters); linted in one batch (one Node process).
CASES: dict[str, tuple[str, list[str]]] = {
    "portable": (
        "UNWIND $rows AS r MATCH (a:Person {id: r.src}) MATCH (b:Post {id: r.dst}) "
        "MERGE (a)-[e:HOLDS {id: r.id}]->(b) SET e.capacity = r.capacity",
        ["rows"],
    ),
    "ladybug-label": ("MATCH (n:Person) RETURN label(n) AS l LIMIT 1", []),
    "ladybug-rels": ("MATCH p=(a:Person)-[:HOLDS*1..3]->(b:Post) RETURN size(rels(p)) AS n", []),
    "ladybug-shortest": (
        "MATCH p=(a:Person {id: 'p3'})-[* SHORTEST 1..6]-(b:Post) RETURN length(p) AS l",
        [],
    ),
    "undeclared-param": ("MATCH (n:Person) WHERE n.id = $nope RETURN n", []),
    "syntax": ("MATCH (n:Person RETURN n", []),
    "declared-names": ("MATCH (a:Post)<-[h:HOLDS]-(:Person) RETURN a.id, h.capacity", []),
    "typos": ("MATCH (a:Pst)<-[h:HOLD]-(:Person) RETURN a.idd", []),
    "two-lines": ("MATCH (n:Person)\nRETURN rels(n)", []),
}


@pytest.fixture(scope="module")
def linted() -> dict[str, list[dict]]:
    return dict(zip(CASES, lint(list(CASES.values()), SCHEMA), strict=True))


def test_portable_statement_lints_clean(linted: dict[str, list[dict]]) -> None:
    assert linted["portable"] == []


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("ladybug-label", "Function label is not present"),
        ("ladybug-rels", "Function rels is not present"),
        ("ladybug-shortest", "Invalid input 'SHORTEST'"),
        ("undeclared-param", "Parameter $nope is not defined."),
        ("syntax", "Invalid input 'RETURN'"),
    ],
)
def test_non_neo4j_cypher_is_an_error(
    linted: dict[str, list[dict]], case: str, expected: str
) -> None:
    messages = errors(linted[case])
    assert any(m.startswith(expected) for m in messages), messages


def test_unknown_schema_names_warn_and_declared_ones_do_not(
    linted: dict[str, list[dict]],
) -> None:
    assert linted["declared-names"] == []
    typos = linted["typos"]
    assert [d["severity"] for d in typos] == [WARNING] * 3
    assert [d["message"].split(" is not present")[0] for d in typos] == [
        "Label Pst",
        "Relationship type HOLD",
        "idd",
    ]


def test_positions_are_zero_based(linted: dict[str, list[dict]]) -> None:
    (diagnostic,) = linted["two-lines"]
    assert (diagnostic["severity"], diagnostic["line"], diagnostic["character"]) == (ERROR, 1, 7)


def test_missing_install_says_how_to_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(neo4j_lint, "LINT_DIR", tmp_path)
    with pytest.raises(RuntimeError, match=r"npm ci --prefix tests/cypher_lint"):
        lint([("RETURN 1", [])])
