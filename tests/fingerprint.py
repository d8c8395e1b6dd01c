"""A store's whole content as one hash: what "the store is exactly as it was" means in tests.

Counts cannot see a changed property, and a map keyed by id cannot see a duplicated row: the
fingerprint hashes every node and every relationship with all its properties, sorted, with
duplicates counted.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from oversight.graph.embedded import EmbeddedStore
from oversight.graph.result import plain
from oversight.graph.store import Store

NODES = "MATCH (n) RETURN n"
RELATIONSHIPS = "MATCH (a)-[r]->(b) RETURN a.id AS start_id, r, b.id AS end_id"


def content(store: Store) -> Counter[str]:
    """Every node and relationship as a canonical JSON line, counted (duplicates included)."""
    lines: Counter[str] = Counter()
    for (node,) in store.read(NODES).rows:
        lines[_line(["node", node.label, node.properties])] += 1
    for start, rel, end in store.read(RELATIONSHIPS).rows:
        props = {k: v for k, v in rel.properties.items() if k != "id" or v != rel.id}
        lines[_line(["rel", rel.type, start, end, rel.id, props])] += 1
    return lines


def fingerprint(store_or_path: Store | Path) -> str:
    """One hash of `content`; a path is opened read-only for the purpose."""
    if isinstance(store_or_path, Path):
        with EmbeddedStore(store_or_path, read_only=True) as store:
            return fingerprint(store)
    digest = hashlib.sha256()
    for line, count in sorted(content(store_or_path).items()):
        digest.update(f"{count}\t{line}\n".encode())
    return digest.hexdigest()


def _line(value: Any) -> str:
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, default=str)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return plain(value)
