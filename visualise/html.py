"""Self-contained, offline HTML views of a graph, drawn by pyvis and vis-network.

pyvis builds the network (nodes, edges, options); the page comes from our own template,
which inlines vis-network instead of linking a CDN. Every data string reaches the page as
JSON inside a script with `<`, `>` and `&` escaped, and tooltips are plain text.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

from graph.result import Result
from graph.schema import schema
from visualise.network import result_graph

TOOLTIP_KEYS = ("name", "description", "text", "grade", "stance", "status", "value", "unit")


def _safe_json(value: Any) -> str:
    """JSON that cannot close the script element it sits in."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _vis_js() -> str:
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8")


def _tooltip(kind: str, data: dict[str, Any]) -> str:
    lines = [kind]
    for key in TOOLTIP_KEYS:
        if data.get(key) not in (None, ""):
            lines.append(f"{key}: {data[key]}")
    for source, quote in zip(
        data.get("cite_sources") or [], data.get("cite_quotes") or [], strict=False
    ):
        lines.append(f"{source}: “{quote}”")
    return "\n".join(lines)


def build_network(result: Result) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """vis-network nodes and edges for a result, styled from the schema."""
    from pyvis.network import Network

    graph = result_graph(result)
    styles = {label.name: label for label in schema().labels}
    net = Network(directed=True)
    for node_id, data in graph.nodes(data=True):
        style = styles.get(data["label"])
        net.add_node(
            node_id,
            label=str(data.get("name") or node_id),
            title=_tooltip(f"{data['label']} {node_id}", data),
            color=style.colour if style else "#999999",
            shape=style.shape if style else "dot",
            kind=data["label"],  # not `group`: vis would recolour by group
        )
    for start, end, data in graph.edges(data=True):
        net.add_edge(start, end, label=data["type"], title=_tooltip(data["type"], data))
    return net.nodes, net.edges


def write_view(result: Result, path: Path, *, title: str, subtitle: str = "") -> Path:
    """Write one HTML file that opens anywhere, with no network access."""
    from jinja2 import Template

    nodes, edges = build_network(result)
    labels = {n["kind"] for n in nodes}
    legend = [
        {"label": lbl.name, "colour": lbl.colour} for lbl in schema().labels if lbl.name in labels
    ]
    template = Template(
        (resources.files("visualise") / "templates" / "view.html").read_text(encoding="utf-8"),
        autoescape=True,
    )
    page = template.render(
        title=title,
        subtitle=subtitle,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        vis_js=_vis_js(),
        data_json=_safe_json({"nodes": nodes, "edges": edges}),
        legend=legend,
        counts=f"{len(nodes)} nodes, {len(edges)} edges",
    )
    path.write_text(page, encoding="utf-8")
    return path
