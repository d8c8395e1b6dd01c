"""The neighbourhood of one entity, found by id or by name."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from oversight.graph.errors import OversightError, UsageProblem
from oversight.graph.result import Result
from oversight.graph.schema import schema
from oversight.graph.store import Store

MAX_DEPTH = 4
ALL_NAMES = "MATCH (n) RETURN n.id AS id, n.name AS name, n.aliases AS aliases ORDER BY id"


class ExploreError(OversightError):
    """The entity is unknown or ambiguous."""


class NeighbourhoodError(ExploreError, UsageProblem):
    """--depth or --types is not what the schema allows."""


@dataclass(frozen=True)
class Match:
    id: str
    name: str


def resolve(store: Store, entity: str) -> Match:
    """The one entity whose id, name or alias is `entity` (case-insensitive)."""
    rows = store.read(ALL_NAMES).rows
    wanted = entity.strip().casefold()
    by_id = [Match(i, n or i) for i, n, _ in rows if i.casefold() == wanted]
    if by_id:
        return by_id[0]
    named = [
        Match(i, n or i)
        for i, n, aliases in rows
        if (n or "").casefold() == wanted or wanted in {a.casefold() for a in aliases or []}
    ]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        choices = "; ".join(f"{m.id} ({m.name})" for m in named)
        raise ExploreError(f"'{entity}' names {len(named)} entities: {choices}; give an id")
    partial = [Match(i, n or i) for i, n, _ in rows if wanted and wanted in (n or "").casefold()]
    if len(partial) == 1:
        return partial[0]
    if partial:
        choices = "; ".join(f"{m.id} ({m.name})" for m in partial[:10])
        raise ExploreError(f"'{entity}' matches {len(partial)} entities: {choices}; give an id")
    names = {n: i for i, n, _ in rows if n}
    close = difflib.get_close_matches(entity, list(names), n=5, cutoff=0.5)
    hint = "; did you mean " + ", ".join(f"'{n}' ({names[n]})" for n in close) if close else ""
    raise ExploreError(f"no entity is called '{entity}'{hint}")


def relationship_types(types: str | None) -> list[str]:
    """Relationship types to follow, checked against the schema before they reach a query."""
    # Citations and document links join everything to a few sources: follow them only on request.
    known = [t for t in schema().reltype_names if t not in ("CITED_IN", "IN_SOURCE", "MENTIONS")]
    if not types:
        return known
    chosen = [t.strip().upper() for t in types.split(",") if t.strip()]
    unknown = [t for t in chosen if t not in schema().reltype_names]
    if unknown:
        raise NeighbourhoodError(
            f"--types: unknown relationship type {', '.join(unknown)} "
            f"(known: {', '.join(schema().reltype_names)})"
        )
    return chosen


def neighbourhood_query(depth: int, types: list[str]) -> str:
    """Paths up to `depth` steps from the entity. Depth and types are checked, never raw input."""
    if not 1 <= depth <= MAX_DEPTH:
        raise NeighbourhoodError(f"--depth must be between 1 and {MAX_DEPTH}, not {depth}")
    pattern = "|".join(types)
    return f"MATCH p = (n {{id: $id}})-[:{pattern}*1..{depth}]-(m) RETURN p"


def explore(store: Store, entity: str, depth: int = 1, types: str | None = None) -> Result:
    match = resolve(store, entity)
    query = neighbourhood_query(depth, relationship_types(types))
    result = store.read(query, {"id": match.id})
    if not result.nodes:
        result = store.read("MATCH (n {id: $id}) RETURN n", {"id": match.id})
    return result
