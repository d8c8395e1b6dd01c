"""The Neo4j lint gate passes portable Cypher and rejects what Neo4j 5 would not run."""

from __future__ import annotations

import pytest
from neo4j_lint import ERROR, WARNING, errors, lint

SCHEMA = {
    "labels": ["Person", "Post"],
    "relationshipTypes": ["HOLDS"],
    "propertyKeys": ["id", "capacity"],
}


def lint_one(query: str, parameters: list[str] | None = None) -> list[dict]:
    return lint([(query, parameters or [])], SCHEMA)[0]


def test_portable_statement_lints_clean() -> None:
    query = (
        "UNWIND $rows AS r MATCH (a:Person {id: r.src}) MATCH (b:Post {id: r.dst}) "
        "MERGE (a)-[e:HOLDS {id: r.id}]->(b) SET e.capacity = r.capacity"
    )
    assert lint_one(query, ["rows"]) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("MATCH (n:Person) RETURN label(n) AS l LIMIT 1", "Function label is not present"),
        (
            "MATCH p=(a:Person)-[:HOLDS*1..3]->(b:Post) RETURN size(rels(p)) AS n",
            "Function rels is not present",
        ),
        (
            "MATCH p=(a:Person {id: 'p3'})-[* SHORTEST 1..6]-(b:Post) RETURN length(p) AS l",
            "Invalid input 'SHORTEST'",
        ),
        ("MATCH (n:Person) WHERE n.id = $nope RETURN n", "Parameter $nope is not defined."),
        ("MATCH (n:Person RETURN n", "Invalid input 'RETURN'"),
    ],
    ids=["ladybug-label", "ladybug-rels", "ladybug-shortest", "undeclared-param", "syntax"],
)
def test_non_neo4j_cypher_is_an_error(query: str, expected: str) -> None:
    messages = errors(lint_one(query))
    assert any(m.startswith(expected) for m in messages), messages


def test_unknown_schema_names_warn_and_declared_ones_do_not() -> None:
    clean, typos = lint(
        [
            ("MATCH (a:Post)<-[h:HOLDS]-(:Person) RETURN a.id, h.capacity", []),
            ("MATCH (a:Pst)<-[h:HOLD]-(:Person) RETURN a.idd", []),
        ],
        SCHEMA,
    )
    assert clean == []
    assert [d["severity"] for d in typos] == [WARNING] * 3
    assert [d["message"].split(" is not present")[0] for d in typos] == [
        "Label Pst",
        "Relationship type HOLD",
        "idd",
    ]


def test_batch_keeps_order_and_positions() -> None:
    results = lint([("RETURN 1 AS one", []), ("MATCH (n:Person)\nRETURN rels(n)", [])], SCHEMA)
    assert results[0] == []
    (diagnostic,) = results[1]
    assert (diagnostic["severity"], diagnostic["line"], diagnostic["character"]) == (ERROR, 1, 7)
