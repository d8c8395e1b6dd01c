"""The neighbourhood of one entity, found by id or by name."""

from __future__ import annotations

from oversight.graph.errors import UsageProblem
from oversight.graph.resolve import resolve
from oversight.graph.result import Result
from oversight.graph.schema import schema
from oversight.graph.store import Store

MAX_DEPTH = 4


class NeighbourhoodError(UsageProblem):
    """--depth or --types is not what the schema allows."""


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
    match = resolve(store, entity)  # ResolveError: unknown or ambiguous, with the choices
    query = neighbourhood_query(depth, relationship_types(types))
    result = store.read(query, {"id": match.id})
    if not result.nodes:
        result = store.read("MATCH (n {id: $id}) RETURN n", {"id": match.id})
    return result
