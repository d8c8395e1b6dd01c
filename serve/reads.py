"""What the entity and source pages show, read from the store in a few gated statements.

Plain openCypher that both stores answer the same way; each page's reads run together in one
lease of a store (serve/pool.py), so a page is one bounded piece of work.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from oversight.graph.result import Node, Result
from oversight.graph.store import Store
from oversight.visualise.citations import Citation, citations

NODE = "MATCH (n {id: $id}) RETURN n"
NEIGHBOURS = "MATCH (n {id: $id})-[r]-(m) RETURN r, m ORDER BY m.id LIMIT $limit"
APART = frozenset({"CITED_IN", "MENTIONS", "IN_SOURCE"})  # shown as claims and passages
PASSAGES_MENTIONING = (
    "MATCH (p:Passage)-[m:MENTIONS]->(n {id: $id}) "
    "OPTIONAL MATCH (p)-[:IN_SOURCE]->(s:Source) "
    "RETURN p.id AS passage, p.text AS text, p.ref AS ref, s.id AS source, s.title AS title, "
    "m.surface AS surface ORDER BY source, p.ordinal LIMIT $limit"
)
SOURCE_PASSAGES = (
    "MATCH (p:Passage)-[:IN_SOURCE]->(s:Source {id: $id}) "
    "RETURN p.id AS passage, p.ordinal AS ordinal, p.ref AS ref, p.text AS text "
    "ORDER BY ordinal LIMIT $limit"
)
SOURCE_NODE_QUOTES = (
    "MATCH (n)-[c:CITED_IN]->(s:Source {id: $id}) "
    "RETURN n.id AS element, n.name AS name, c.quote AS quote, c.ref AS ref ORDER BY element"
)
LIMIT = 500  # neighbours or passages on one page


class NotFound(LookupError):
    """No node has the id in the URL."""


@dataclass
class EntityView:
    node: Node
    groups: dict[str, list[dict[str, Any]]]  # relationship type -> neighbours
    claims: list[Citation]
    passages: list[dict[str, Any]]
    cut: bool = False  # more neighbours than LIMIT


def entity(store: Store, id_: str) -> EntityView:
    """A node, its neighbours grouped by relationship type with their citations, the
    citations of the node itself, and the passages that mention it."""
    found = store.read(NODE, {"id": id_})
    if not found.rows:
        raise NotFound(id_)
    node: Node = found.rows[0][0]
    near = store.read(NEIGHBOURS, {"id": id_, "limit": LIMIT})
    rows = [(r, m) for r, m in near.rows if r.type not in APART]
    shown = Result(columns=[], rows=[], nodes={node.id: node})
    shown.relationships = {r.id: r for r, _ in rows}
    cited = citations(store, shown)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel, other in rows:
        outgoing = rel.start == node.id
        groups[rel.type].append(
            {
                "direction": "→" if outgoing else "←",
                "other": other,
                "properties": _shown(rel.properties),
                "citations": cited.get(rel.id, []),
            }
        )
    passages = store.read(PASSAGES_MENTIONING, {"id": id_, "limit": LIMIT}).records()
    return EntityView(
        node=node,
        groups=dict(sorted(groups.items())),
        claims=cited.get(node.id, []),
        passages=passages,
        cut=len(near.rows) >= LIMIT,
    )


@dataclass
class SourceView:
    node: Node
    passages: list[dict[str, Any]]
    quotes: list[dict[str, Any]] = field(default_factory=list)  # element, name, quote, ref


def source(store: Store, id_: str) -> SourceView:
    """A source, its passages in order, and every quote that cites it (node citations and the
    citation lists of relationships)."""
    found = store.read(NODE, {"id": id_})
    if not found.rows or found.rows[0][0].label != "Source":
        raise NotFound(id_)
    quotes = [q for q in store.read(SOURCE_NODE_QUOTES, {"id": id_}).records() if q["quote"]]
    for reltype in store.schema.reltypes:
        if reltype.name in APART:
            continue
        text = (
            f"MATCH (a)-[r:{reltype.name}]->(b) WHERE $id IN r.cite_sources "
            "RETURN r, a.name AS a, b.name AS b"
        )
        for rel, start, end in store.read(text, {"id": id_}).rows:
            props = rel.properties
            for sid, quote, ref in zip(
                props.get("cite_sources") or [],
                props.get("cite_quotes") or [],
                props.get("cite_refs") or [None] * len(props.get("cite_sources") or []),
                strict=False,
            ):
                if sid == id_ and quote:
                    name = f"{start} {rel.type} {end}"
                    quotes.append({"element": rel.id, "name": name, "quote": quote, "ref": ref})
    passages = store.read(SOURCE_PASSAGES, {"id": id_, "limit": 5000}).records()
    return SourceView(found.rows[0][0], passages, quotes)


def _shown(properties: dict[str, Any]) -> list[tuple[str, Any]]:
    hidden = {"id", "cite_sources", "cite_quotes", "cite_refs"}
    return [(k, v) for k, v in sorted(properties.items()) if k not in hidden]


def node_properties(node: Node) -> list[tuple[str, Any]]:
    """A node's properties as the page lists them, id and name first."""
    return [("id", node.id), ("label", node.label), *_shown(node.properties)]
