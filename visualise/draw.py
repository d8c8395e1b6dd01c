"""What a view draws: every entity a result touches, not only the nodes it returned.

Most saved queries answer with text (names, ids, counts), not graph elements; drawn as they
are they would be blank pages. Here the ids in a result's scalar columns (`person/x`, or a
relationship id `start|TYPE|end`) are looked up in the store, with the relationships among
everything drawn, so that any result with an entity in it draws.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from oversight.graph.errors import OversightError
from oversight.graph.result import Node, Path, Relationship, Result
from oversight.graph.schema import schema

if TYPE_CHECKING:
    from oversight.graph.store import Store

NODES = "MATCH (n) WHERE n.id IN $ids RETURN n"
NAMED = "MATCH (n) WHERE n.name IN $names RETURN n"
AMONG = "MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids RETURN a, r, b"
# Citations and document links join everything to a few sources: the halo leaves them out,
# as `explore` does.
HALO_TYPES = [t for t in schema().reltype_names if t not in ("CITED_IN", "IN_SOURCE", "MENTIONS")]
HALO = (
    f"MATCH (a)-[r:{'|'.join(HALO_TYPES)}]-(b) WHERE a.id IN $ids AND NOT b.id IN $ids "
    "RETURN a, r, b LIMIT 20000"
)
HALO_CAP = 200
# Every statement this module sends to a store, with its parameters (for the lint gate).
STATEMENTS: tuple[tuple[str, list[str]], ...] = (
    (NODES, ["ids"]),
    (NAMED, ["names"]),
    (AMONG, ["ids"]),
    (HALO, ["ids"]),
)
NOTHING = "nothing to draw: the result has no nodes, relationships or entity ids"
MAX_ID = 300  # longer text is prose, not an id
MAX_NAME = 160  # likewise for a name


class NothingToDraw(OversightError):
    """A result with no entity in it: a blank page would say nothing, so none is written."""


def entity_ids(value: Any) -> Iterator[str]:
    """The node ids a value names: an id (`person/x`), or both ends of a relationship id."""
    if isinstance(value, str):
        yield from _ids_in_text(value)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from entity_ids(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from entity_ids(item)


def _ids_in_text(text: str) -> Iterator[str]:
    if len(text) > MAX_ID or any(c.isspace() for c in text):
        return
    parts = text.split("|")
    if len(parts) >= 3 and parts[1] in schema().reltype_names:
        candidates = [parts[0], parts[2]]
    elif len(parts) == 1:
        candidates = [text]
    else:
        return
    yield from (c for c in candidates if schema().label_of_id(c) is not None)


def row_ids(result: Result) -> list[str]:
    """Ids named by a result's scalar values, in order of appearance, without repeats."""
    seen: dict[str, None] = {}
    for row in result.rows:
        for value in row:
            if not isinstance(value, Node | Relationship | Path):
                seen.update(dict.fromkeys(entity_ids(value)))
    return list(seen)


def row_names(result: Result) -> list[str]:
    """Text values in a result's columns that may be names (not ids, not prose)."""
    seen: dict[str, None] = {}

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if 2 < len(value) <= MAX_NAME and not list(_ids_in_text(value)):
                seen[value] = None
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    for row in result.rows:
        for value in row:
            walk(value)
    return list(seen)


def named(store: Store, result: Result) -> list[str]:
    """The ids of nodes whose exact name a result gives, where only one node has that name:
    many saved queries answer with names alone ("Will Tuckley", "Director of Children's
    Services"), and a name two nodes share says nothing certain."""
    names = row_names(result)
    if not names:
        return []
    found = store.read(NAMED, {"names": names}).nodes.values()
    count: dict[str, int] = {}
    for node in found:
        count[node.name] = count.get(node.name, 0) + 1
    return sorted(n.id for n in found if count[n.name] == 1)


def drawable(
    store: Store, result: Result, also: Iterable[str] = (), *, facts_only: bool = False
) -> Result:
    """`result` with the nodes its scalar values (and `also`, e.g. entity parameters) name,
    by id or, in a result of text only, by unique exact name, and the relationships among
    all its nodes (`facts_only`: none marked inferred).

    A result of graph elements only is left as its query chose it; a result that named no
    entity at all raises NothingToDraw.
    """
    ids = [*row_ids(result), *also]
    if result.rows and not result.nodes:  # a result of text: its names may be all it gives
        ids += named(store, result)
    wanted = [i for i in dict.fromkeys(ids) if i not in result.nodes]
    if not wanted:
        if not result.nodes and not result.relationships:
            raise NothingToDraw(NOTHING)
        return result
    nodes = dict(result.nodes)
    found = store.read(NODES, {"ids": wanted}).nodes.values()
    nodes.update((n.id, n) for n in found if not (facts_only and n.properties.get("inferred")))
    if not nodes:
        raise NothingToDraw(NOTHING + " that the store knows")
    relationships = dict(result.relationships)
    for rel in store.read(AMONG, {"ids": sorted(nodes)}).relationships.values():
        stated = not (facts_only and rel.properties.get("inferred"))
        if rel.start in nodes and rel.end in nodes and stated:
            relationships.setdefault(rel.id, rel)
    return Result(result.columns, result.rows, nodes, relationships)


def halo(store: Store, result: Result, cap: int = HALO_CAP) -> Result:
    """The neighbours one hop beyond what a view shows (at most `cap`, those joined to the
    most shown nodes first) and the relationships to them: the view carries them hidden, for
    a reader to unfold from a node without running another query."""
    shown = set(result.nodes)
    if not shown:
        return Result([], [])
    found = store.read(HALO, {"ids": sorted(shown)})
    links: dict[str, set[str]] = {}
    for rel in found.relationships.values():
        outside = rel.end if rel.start in shown else rel.start
        if outside not in shown and outside in found.nodes:
            links.setdefault(outside, set()).add(rel.start if outside == rel.end else rel.end)
    kept = sorted(links, key=lambda n: (-len(links[n]), n))[:cap]
    nodes = {n: found.nodes[n] for n in kept}
    rels = {  # in id order: the store's order is its own, and the file should not vary
        k: r
        for k, r in sorted(found.relationships.items())
        if (r.start in nodes and r.end in shown) or (r.end in nodes and r.start in shown)
    }
    return Result([], [], nodes, rels)
