"""Every statement the stores send to Neo4j lints clean under Neo4j's own linter."""

from __future__ import annotations

from neo4j_lint import lint
from oversight.graph.schema import schema
from oversight.graph.statements import all_statements


def project_schema() -> dict:
    model = schema()
    keys = {"id", "name", "from_id", "to_id"}
    for label in model.labels:
        keys |= {p.stored for p in model.node_properties(label)}
    for reltype in model.reltypes:
        keys |= {p.stored for p in model.rel_properties(reltype)}
    return {
        "labels": list(model.label_names),
        "relationshipTypes": list(model.reltype_names),
        "propertyKeys": sorted(keys),
    }


def test_every_store_statement_lints_clean() -> None:
    statements = all_statements(schema())
    assert len(statements) > 100
    results = lint(statements, project_schema())
    problems = [
        (text, d["message"])
        for (text, _), diags in zip(statements, results, strict=True)
        for d in diags
    ]
    assert problems == []
