"""Lint Cypher meant for Neo4j 5 with Neo4j's own linter (no server needed).

Runs ``tests/cypher_lint/lint.mjs`` (npm ``@neo4j-cypher/language-support``, pinned) in one
Node process for a whole batch of statements.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

LINT_DIR = Path(__file__).resolve().parent / "cypher_lint"
ERROR, WARNING = 1, 2


def lint(statements: list[tuple[str, list[str]]], schema: dict | None = None) -> list[list[dict]]:
    """Lint ``(query, parameter names)`` pairs; return one list of diagnostics per statement.

    Each diagnostic is ``{"severity", "message", "line", "character"}`` (severity 1 error,
    2 warning; line and character 0-based). ``schema`` may give ``labels``,
    ``relationshipTypes`` and ``propertyKeys`` to declare on top of the linter's mock schema.
    """
    if not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        raise RuntimeError(
            "Neo4j Cypher linter not installed: run `npm ci --prefix tests/cypher_lint`"
        )
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Neo4j Cypher linter needs Node.js: `node` is not on PATH")
    items = [{"query": query, "parameters": list(params)} for query, params in statements]
    payload = {"schema": schema or {}, "statements": items}
    proc = subprocess.run(
        [node, str(LINT_DIR / "lint.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=LINT_DIR,
        timeout=120,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"Neo4j Cypher linter failed (exit {proc.returncode}):\n{proc.stderr}")
    results: list[list[dict]] = json.loads(proc.stdout)
    if len(results) != len(statements):
        raise RuntimeError(
            f"Neo4j Cypher linter returned {len(results)} results for {len(statements)} statements"
        )
    return results


def errors(diagnostics: list[dict]) -> list[str]:
    """Messages of the errors (severity 1) among ``diagnostics``."""
    return [d["message"] for d in diagnostics if d["severity"] == ERROR]
