"""Self-contained, offline HTML views of a graph, drawn by pyvis and vis-network.

pyvis builds the network (nodes, edges) from a networkx graph; the page comes from our own
template, which inlines vis-network instead of linking a CDN and forbids every network request
with a Content-Security-Policy. Every data string reaches the page as JSON inside a script with
`<`, `>` and `&` escaped; the page puts data into the document only as text (textContent,
vis-network's plain-text tooltips), never as HTML.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from oversight.graph.errors import OversightError
from oversight.graph.result import Result, json_ready
from oversight.graph.schema import schema
from oversight.visualise.network import result_graph

DEFAULT_LIMIT = 1500
LAYOUTS = ("force", "hierarchical")
HOVER_KEYS = (
    "name",
    "inferred",
    "kind",
    "grade",
    "stance",
    "status",
    "value",
    "unit",
    "start_date",
    "end_date",
)


class ViewError(OversightError):
    """A view that should not be written (too large, or nowhere to write it)."""


@dataclass
class ViewSpec:
    """What the page says about itself: its title and what produced it."""

    title: str
    query: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    layout: str = "force"
    limit: int = DEFAULT_LIMIT


def _safe_json(value: Any) -> str:
    """JSON that cannot close the script element it sits in (NaN and infinities as null)."""
    text = json.dumps(json_ready(value), ensure_ascii=False, default=str, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _vis_js() -> str:
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8")


def _hover(heading: str, data: dict[str, Any]) -> str:
    """A short plain-text tooltip; the full properties and citations are in the side panel."""
    lines = [heading]
    lines += [f"{key}: {data[key]}" for key in HOVER_KEYS if data.get(key) not in (None, "")]
    return "\n".join(lines)


def _shown(data: dict[str, Any]) -> list[list[Any]]:
    hidden = {"cite_sources", "cite_quotes", "cite_refs", "label", "type", "inferred"}
    return [[k, v] for k, v in sorted(data.items()) if k not in hidden and v not in (None, "", [])]


def build_view_data(
    result: Result, evidence: dict[str, list[dict[str, Any]]] | None = None
) -> dict[str, Any]:
    """vis-network nodes and edges, styled from the schema, and the details panel's content."""
    from pyvis.network import Network

    graph = result_graph(result)
    styles = {label.name: label for label in schema().labels}
    evidence = evidence or {}
    net = Network(directed=True)
    details: dict[str, Any] = {}
    for node_id, data in graph.nodes(data=True):
        style = styles.get(data["label"])
        net.add_node(
            node_id,
            label=str(data.get("name") or node_id),
            title=_hover(f"{data['label']} · {node_id}", data),
            color=style.colour if style else "#999999",
            shape=style.shape if style else "dot",
            kind=data["label"],  # not `group`: vis would recolour by group
            # An inferred claim is drawn dashed, so that it never passes for a stated one.
            **({"shapeProperties": {"borderDashes": [5, 5]}} if data.get("inferred") else {}),
        )
        details[node_id] = {
            "kind": data["label"],
            "id": node_id,
            "properties": _shown(data),
            "citations": evidence.get(node_id, []),
            "inferred": data.get("inferred"),
        }
    for start, end, key, data in graph.edges(keys=True, data=True):
        net.add_edge(
            start,
            end,
            id=key,
            label=data["type"],
            title=_hover(data["type"], data),
            **({"dashes": True} if data.get("inferred") else {}),
        )
        details[key] = {
            "kind": data["type"],
            "id": key,
            "properties": _shown(data),
            "citations": evidence.get(key, []),
            "inferred": data.get("inferred"),
        }
    return {"nodes": net.nodes, "edges": net.edges, "details": details}


def check_size(result: Result, limit: int) -> None:
    if len(result.nodes) > limit:
        raise ViewError(
            f"the result has {len(result.nodes)} nodes, more than the view limit of {limit}: "
            "narrow the query or raise --limit"
        )


def render_page(data: dict[str, Any], spec: ViewSpec) -> str:
    from jinja2 import Template

    if spec.layout not in LAYOUTS:
        raise ViewError(f"unknown layout '{spec.layout}' (one of {', '.join(LAYOUTS)})")
    kinds = {n["kind"] for n in data["nodes"]}
    legend = [
        {"label": lbl.name, "colour": lbl.colour, "shape": lbl.shape}
        for lbl in schema().labels
        if lbl.name in kinds
    ]
    params = ", ".join(f"{k}={v}" for k, v in spec.parameters.items())
    template = Template(
        (resources.files("oversight.visualise.templates") / "view.html").read_text(
            encoding="utf-8"
        ),
        autoescape=True,
    )
    return template.render(
        title=spec.title,
        query=spec.query,
        parameters=params,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        counts=f"{len(data['nodes'])} nodes, {len(data['edges'])} edges",
        legend=legend,
        inferred=any(d.get("inferred") for d in data["details"].values()),
        vis_js=_vis_js(),
        data_json=_safe_json(data),
        layout_json=_safe_json(spec.layout),
    )


def write_view(
    result: Result,
    path: Path,
    spec: ViewSpec,
    evidence: dict[str, list[dict[str, Any]]] | None = None,
) -> Path:
    """Write one HTML file that opens anywhere, from file://, with no network access."""
    check_size(result, spec.limit)
    page = render_page(build_view_data(result, evidence), spec)
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as error:
        raise ViewError(f"{path}: cannot write: {error.strerror or error}") from error
    return path
