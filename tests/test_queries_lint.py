"""Every bundled saved query passes Neo4j 5's own linter: no errors and no warnings.

LadybugDB runs them in tests/test_queries.py; this is the other half of "identical on both
stores". Each query is linted with its header's parameters declared and the project's
labels, relationship types and property keys known, so a typo in a name is a warning.
"""

from __future__ import annotations

import pytest
from neo4j_lint import lint
from oversight.graph.schema import schema, stored_columns
from oversight.queries.library import BUNDLED_DIR, SavedQuery, read_query

BUNDLED_QUERIES = [read_query(p, bundled=True) for p in sorted(BUNDLED_DIR.glob("*.cypher"))]


def project_schema() -> dict[str, list[str]]:
    model = schema()
    keys: set[str] = set()
    for label in model.labels:
        keys.update(name for name, _ in stored_columns(model.node_properties(label)))
    for reltype in model.reltypes:
        keys.update(name for name, _ in stored_columns(model.rel_properties(reltype)))
    return {
        "labels": list(model.label_names),
        "relationshipTypes": list(model.reltype_names),
        "propertyKeys": sorted(keys),
    }


@pytest.fixture(scope="module")
def diagnostics() -> dict[str, list[dict]]:
    """All bundled queries in one linter run (one Node process)."""
    results = lint(
        [(q.text, [p.name for p in q.params]) for q in BUNDLED_QUERIES], project_schema()
    )
    return {q.name: found for q, found in zip(BUNDLED_QUERIES, results, strict=True)}


@pytest.mark.parametrize("saved", BUNDLED_QUERIES, ids=lambda q: q.name)
def test_bundled_query_lints_clean(saved: SavedQuery, diagnostics: dict[str, list[dict]]) -> None:
    found = [
        f"line {d['line'] + 1}: severity {d['severity']}: {d['message']}"
        for d in diagnostics[saved.name]
    ]
    assert found == []


def test_the_linter_sees_an_undeclared_parameter() -> None:
    """The gate is live: a query using a parameter its header does not declare fails."""
    saved = BUNDLED_QUERIES[0]
    (found,) = lint([(saved.text, [])], project_schema())
    assert any("is not defined" in d["message"] for d in found), found
