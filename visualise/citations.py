"""The evidence behind what a view shows: each element's citations, with source titles."""

from __future__ import annotations

from typing import Any

from oversight.graph.result import Result
from oversight.graph.store import Store

NODE_CITATIONS = (
    "MATCH (n)-[c:CITED_IN]->(s:Source) WHERE n.id IN $ids "
    "RETURN n.id AS element, s.id AS source, s.title AS title, s.url AS url, "
    "c.quote AS quote, c.ref AS ref, s.published_date AS published, "
    "s.published_precision AS precision ORDER BY element, source"
)
SOURCES = (
    "MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS source, s.title AS title, s.url AS url, "
    "s.published_date AS published, s.published_precision AS precision"
)

Citation = dict[str, Any]


def citations(store: Store, result: Result) -> dict[str, list[Citation]]:
    """Citations per element id: nodes through CITED_IN, relationships from their own lists."""
    found: dict[str, list[Citation]] = {}
    node_ids = sorted(n.id for n in result.nodes.values() if n.label != "Source")
    if node_ids:
        rows = store.read(NODE_CITATIONS, {"ids": node_ids}).rows
        # A node may cite one source several times: ORDER BY leaves those in the engine's
        # order, which differs between LadybugDB and Neo4j; the quote and ref settle it.
        rows.sort(key=lambda row: (row[0], row[1], row[4] or "", row[5] or ""))
        for element, source, title, url, quote, ref, published, precision in rows:
            found.setdefault(element, []).append(
                {
                    "source": source,
                    "title": title,
                    "url": url,
                    "quote": quote,
                    "ref": ref,
                    "published": _day(published, precision),
                }
            )
    source_ids = sorted(
        {
            s
            for rel in result.relationships.values()
            for s in rel.properties.get("cite_sources") or []
        }
    )
    titles = {}
    if source_ids:
        titles = {
            source: (title, url, _day(published, precision))
            for source, title, url, published, precision in store.read(
                SOURCES, {"ids": source_ids}
            ).rows
        }
    for rel in result.relationships.values():
        props = rel.properties
        sources = props.get("cite_sources") or []
        quotes = props.get("cite_quotes") or [""] * len(sources)
        refs = props.get("cite_refs") or [""] * len(sources)
        for source, quote, ref in zip(sources, quotes, refs, strict=False):
            title, url, published = titles.get(source, (source, None, None))
            found.setdefault(rel.id, []).append(
                {
                    "source": source,
                    "title": title,
                    "url": url,
                    "quote": quote or None,
                    "ref": ref or None,
                    "published": published,
                }
            )
    return found


def _day(published: Any, precision: str | None) -> str | None:
    """A publication date as precisely as it is known: 2017-04 for a month."""
    if published is None:
        return None
    day = published.isoformat() if hasattr(published, "isoformat") else str(published)
    return {"year": day[:4], "month": day[:7]}.get(precision or "day", day)


STATEMENTS = [(NODE_CITATIONS, ["ids"]), (SOURCES, ["ids"])]
