"""Query results as networkx graphs: the one in-memory form that views and exports start from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oversight.graph.result import Result, plain

if TYPE_CHECKING:
    import networkx as nx


def result_graph(result: Result) -> nx.MultiDiGraph:
    """Every node and relationship a result touched, with all their properties.

    Relationships whose endpoints the result did not return are kept only when both ends
    are in the graph, so a view never shows an edge into nothing.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    for node in result.nodes.values():
        graph.add_node(node.id, label=node.label, **_flat(node.properties))
    for rel in result.relationships.values():
        if rel.start in graph and rel.end in graph:
            graph.add_edge(rel.start, rel.end, key=rel.id, type=rel.type, **_flat(rel.properties))
    return graph


def _flat(properties: dict[str, Any]) -> dict[str, Any]:
    """Properties as plain values (dates as ISO text); `id` and `label` are reserved."""
    return {k: v for k, v in plain(properties).items() if k not in ("id", "label", "type")}
