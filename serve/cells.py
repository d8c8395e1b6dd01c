"""Table cells that link what they name: a node, an id, or a name only one entity has.

A list cell is cut into its items, each linked on its own, so that the names along a route
(`shortest-connection`) each lead to their entity's page.
"""

from __future__ import annotations

from typing import Any

from oversight.graph.result import Node
from oversight.visualise.rows import cell

Part = dict[str, Any]  # {"text": str, "entity": id or None}


def parts(value: Any, known: dict[str, str]) -> list[Part]:
    """The cell's pieces, joined by "; " on the page, as the CLI's table joins a list."""
    if isinstance(value, list | tuple):
        return [p for item in value for p in parts(item, known)] or [_part("", None)]
    if isinstance(value, Node):
        return [_part(cell(value), value.id)]
    if isinstance(value, str):
        return [_part(value, known.get(value))]
    return [_part(cell(value), None)]


def _part(text: str, entity: str | None) -> Part:
    return {"text": text, "entity": entity}
