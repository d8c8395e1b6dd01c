"""Lint Cypher meant for Neo4j 5 with Neo4j's own linter (no server needed).

Runs ``tests/cypher_lint/lint.mjs`` (npm ``@neo4j-cypher/language-support``, pinned) in one
Node process for a whole batch of statements. Neo4j's semantic analysis costs ~50 ms a
statement, so results are cached in ``tests/cypher_lint/node_modules/.cache``, keyed by the
statement, the schema, ``lint.mjs`` and ``package-lock.json`` (``npm ci`` clears the cache).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

LINT_DIR = Path(__file__).resolve().parent / "cypher_lint"
CACHE_FILE = LINT_DIR / "node_modules" / ".cache" / "neo4j-lint.json"
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
    schema = schema or {}
    version = hashlib.sha256(
        b"".join((LINT_DIR / name).read_bytes() for name in ("lint.mjs", "package-lock.json"))
    ).hexdigest()
    keys = [_key(schema, query, params) for query, params in statements]
    cache = _load_cache(version)
    todo = dict(zip(keys, statements, strict=True))
    todo = {key: statement for key, statement in todo.items() if key not in cache}
    if todo:
        cache.update(zip(todo, _run_node(list(todo.values()), schema), strict=True))
        _save_cache(version, cache)
    return [cache[key] for key in keys]


def _key(schema: dict, query: str, params: list[str]) -> str:
    """Cache key of one statement linted against ``schema``."""
    text = json.dumps([schema, query, list(params)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _run_node(statements: list[tuple[str, list[str]]], schema: dict) -> list[list[dict]]:
    """Lint ``statements`` in one ``node lint.mjs`` process."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Neo4j Cypher linter needs Node.js: `node` is not on PATH")
    items = [{"query": query, "parameters": list(params)} for query, params in statements]
    proc = subprocess.run(
        [node, str(LINT_DIR / "lint.mjs")],
        input=json.dumps({"schema": schema, "statements": items}),
        capture_output=True,
        text=True,
        cwd=LINT_DIR,
        timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"Neo4j Cypher linter failed (exit {proc.returncode}):\n{proc.stderr}")
    results: list[list[dict]] = json.loads(proc.stdout)
    if len(results) != len(statements):
        raise RuntimeError(
            f"Neo4j Cypher linter returned {len(results)} results for {len(statements)} statements"
        )
    return results


def _load_cache(version: str) -> dict[str, list[dict]]:
    """Cached diagnostics for this linter version (empty if none or unreadable)."""
    try:
        data = json.loads(CACHE_FILE.read_text())
    except (OSError, ValueError):
        return {}
    return data["entries"] if isinstance(data, dict) and data.get("version") == version else {}


def _save_cache(version: str, entries: dict[str, list[dict]]) -> None:
    """Write the cache atomically (parallel test runs may race; the last writer wins)."""
    CACHE_FILE.parent.mkdir(parents=True, exist_ok=True)
    tmp = CACHE_FILE.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"version": version, "entries": entries}))
    os.replace(tmp, CACHE_FILE)


def errors(diagnostics: list[dict]) -> list[str]:
    """Messages of the errors (severity 1) among ``diagnostics``."""
    return [d["message"] for d in diagnostics if d["severity"] == ERROR]
