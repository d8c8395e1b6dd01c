"""One result shape, whichever store answered.

LadybugDB returns graph elements as dicts keyed by internal ids; the neo4j driver returns
`Node`/`Relationship`/`Path` objects. Both become these small frozen records, keyed by the
project's own `id` property, so callers never see a store's internals.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    properties: dict[str, Any] = field(hash=False, compare=False)

    @property
    def name(self) -> str:
        return str(self.properties.get("name") or self.id)


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    start: str
    end: str
    properties: dict[str, Any] = field(hash=False, compare=False)


@dataclass(frozen=True)
class Path:
    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]


@dataclass
class Result:
    """Column names, rows, and every node and relationship the rows touched."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    nodes: dict[str, Node] = field(default_factory=dict)
    relationships: dict[str, Relationship] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain values (JSON-ready once dates are formatted)."""
        return [dict(zip(self.columns, map(plain, row), strict=True)) for row in self.rows]

    def collect(self, value: Any) -> Any:
        """Register the graph elements inside a value (used by the stores while normalising)."""
        for element in elements(value):
            if isinstance(element, Node):
                self.nodes.setdefault(element.id, element)
            else:
                self.relationships.setdefault(element.id, element)
        return value


def plain(value: Any) -> Any:
    """A graph element as a plain dict; lists and maps recursively; dates as ISO strings."""
    if isinstance(value, Node):
        return {"id": value.id, "label": value.label, **plain(value.properties)}
    if isinstance(value, Relationship):
        return {
            "id": value.id,
            "type": value.type,
            "start": value.start,
            "end": value.end,
            **plain(value.properties),
        }
    if isinstance(value, Path):
        return {
            "nodes": [plain(n) for n in value.nodes],
            "relationships": [plain(r) for r in value.relationships],
        }
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def json_ready(value: Any) -> Any:
    """A plain value with NaN and infinities as None: JSON has no such numbers, and a query
    can compute them (`RETURN 0.0/0.0`)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    return value


def clean_properties(raw: dict[str, Any]) -> dict[str, Any]:
    """Drop store internals (keys starting with `_`) and unset properties.

    Unset is null or an empty list: LadybugDB's typed columns hand back `[]` where a batch
    stored a list for other rows, Neo4j stores no property at all; both mean "none given".
    """
    return {k: v for k, v in raw.items() if not k.startswith("_") and v is not None and v != []}


def elements(value: Any) -> Iterator[Node | Relationship]:
    """The nodes and relationships inside a value (a row, a path, a list, a map)."""
    if isinstance(value, Node | Relationship):
        yield value
    elif isinstance(value, Path):
        yield from (*value.nodes, *value.relationships)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from elements(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from elements(item)


def without_inferred(result: Result) -> Result:
    """The result without what rests on an inference: every row that holds a node or
    relationship marked `inferred`, or a relationship to such a node. A result of elements
    only (a whole graph) loses those elements instead."""
    inferred = {k for k, n in result.nodes.items() if n.properties.get("inferred")}

    def stated(element: Node | Relationship) -> bool:
        if isinstance(element, Node):
            return element.id not in inferred
        ends = {element.start, element.end}
        return not element.properties.get("inferred") and not ends & inferred

    if not result.rows:
        return Result(
            columns=result.columns,
            rows=[],
            nodes={k: n for k, n in result.nodes.items() if k not in inferred},
            relationships={k: r for k, r in result.relationships.items() if stated(r)},
        )
    kept = Result(columns=result.columns, rows=[])
    for row in result.rows:
        if all(map(stated, elements(row))):
            kept.rows.append(row)
            kept.collect(row)
    # The ends of kept relationships that the rows did not return themselves (the stores
    # fetch those apart) stay, as in the full result.
    for rel in kept.relationships.values():
        for end in (rel.start, rel.end):
            if end in result.nodes:
                kept.nodes.setdefault(end, result.nodes[end])
    return kept
