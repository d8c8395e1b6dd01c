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
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oversight.graph import collector
from oversight.graph.errors import OversightError
from oversight.graph.result import Node, Relationship, Result, json_ready, plain
from oversight.graph.result import Path as GraphPath
from oversight.graph.schema import schema
from oversight.visualise.network import result_graph

if TYPE_CHECKING:
    from jinja2 import Template

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
    root: str | None = None  # the entity an explore started from
    # Where a served page shows an entity (`oversight serve`: "/entity/"); a node's panel then
    # links to it. Empty in a written file: it has no server to link to.
    entity_url: str = ""


def _safe_json(value: Any) -> str:
    """JSON that cannot close the script element it sits in (NaN and infinities as null)."""
    try:  # most data has no NaN: copying it all through json_ready first was a third of the cost
        text = json.dumps(value, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError:  # "Out of range float values are not JSON compliant"
        text = json.dumps(json_ready(value), ensure_ascii=False, default=str, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _vis_js() -> str:
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8")


@cache
def _template() -> Template:
    """The page template, compiled once a process (compiling it took longer than rendering)."""
    from jinja2 import Template

    text = (resources.files("oversight.visualise.templates") / "view.html").read_text("utf-8")
    return Template(text, autoescape=True)


def _hover(heading: str, data: dict[str, Any]) -> str:
    """A short plain-text tooltip; the full properties and citations are in the side panel."""
    lines = [heading]
    lines += [f"{key}: {data[key]}" for key in HOVER_KEYS if data.get(key) not in (None, "")]
    return "\n".join(lines)


def _shown(data: dict[str, Any]) -> list[list[Any]]:
    hidden = {"cite_sources", "cite_quotes", "cite_refs", "label", "type", "inferred"}
    return [[k, v] for k, v in sorted(data.items()) if k not in hidden and v not in (None, "", [])]


@collector.paused()  # tens of thousands of objects for a big view (graph/collector.py)
def build_view_data(
    result: Result,
    evidence: dict[str, list[dict[str, Any]]] | None = None,
    root: str | None = None,
    around: Result | None = None,
) -> dict[str, Any]:
    """vis-network nodes and edges, styled from the schema, and the details panel's content.

    `root` (where an exploration started) is drawn with a thick dark border. `around` (the
    halo, visualise/draw.py) goes into the file apart, for the page to unfold on request.
    """
    evidence = evidence or {}
    details: dict[str, Any] = {}
    nodes, edges = _vis_elements(result_graph(result), evidence, details, root)
    view = {"nodes": nodes, "edges": edges, "details": details, "table": result_table(result)}
    if around is not None and around.nodes:
        both = Result([], [], {**result.nodes, **around.nodes}, around.relationships)
        graph = result_graph(both)
        graph.remove_nodes_from([n for n in result.nodes if graph.degree(n) == 0])
        halo_nodes, halo_edges = _vis_elements(graph, evidence, details, root)
        view["halo"] = {
            "nodes": [n for n in halo_nodes if n["id"] in around.nodes],
            "edges": halo_edges,
        }
    _mark_passages(details, result, around)
    return view


def _mark_passages(details: dict[str, Any], result: Result, around: Result | None) -> None:
    """A passage's text with what it mentions, for the panel to highlight (as text nodes and
    <mark>s, never HTML): on the passage, every mention; on a MENTIONS edge, its own."""
    nodes = {**result.nodes, **(around.nodes if around else {})}
    rels = {**result.relationships, **(around.relationships if around else {})}
    for rel in rels.values():
        passage = nodes.get(rel.start)
        surface = rel.properties.get("surface")
        if rel.type != "MENTIONS" or passage is None or not surface:
            continue
        text = str(passage.properties.get("text") or "")
        if passage.id in details:
            marks = details[passage.id].setdefault("passage", {"text": text, "marks": []})
            marks["marks"] = sorted({*marks["marks"], surface})
        if rel.id in details:
            details[rel.id]["passage"] = {"text": text, "marks": [surface]}


def _vis_elements(
    graph: Any, evidence: dict[str, list[dict[str, Any]]], details: dict[str, Any], root: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A networkx graph's nodes and edges as pyvis makes them, with their details.

    pyvis's own Node and Edge, not its Network: Network.add_node and add_edge look each id up
    in a list (quadratic, a tenth of a 1,000-node view's time), to refuse duplicates that a
    networkx graph cannot hold.
    """
    from pyvis.edge import Edge
    from pyvis.node import Node as VisNode

    styles = {label.name: label for label in schema().labels}
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for node_id, data in graph.nodes(data=True):
        style = styles.get(data["label"])
        vis = VisNode(
            node_id,
            style.shape if style else "dot",
            label=str(data.get("name") or node_id),
            color=style.colour if style else "#999999",
            title=_hover(f"{data['label']} · {node_id}", data),
            kind=data["label"],  # not `group`: vis would recolour by group
            # An inferred claim is drawn dashed, so that it never passes for a stated one.
            **({"shapeProperties": {"borderDashes": [5, 5]}} if data.get("inferred") else {}),
            **({"inferred": True} if data.get("inferred") else {}),
            **(ROOT if node_id == root else {}),
            **_node_days(data),
        )
        nodes.append(vis.options)
        details[node_id] = _detail(data["label"], node_id, data, evidence)
    for start, end, key, data in graph.edges(keys=True, data=True):
        vis = Edge(
            start,
            end,
            directed=True,
            id=key,
            title=_hover(data["type"], data),
            kind=data["type"],
            **edge_look(data["type"], data),
            **({"dashes": True, "inferred": True} if data.get("inferred") else {}),
            **_edge_days(data),
        )
        edges.append(vis.options)
        details[key] = _detail(data["type"], key, data, evidence)
    _bend_parallel(edges)
    return nodes, edges


def _detail(
    kind: str, key: str, data: dict[str, Any], evidence: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": key,
        "properties": _shown(data),
        "citations": evidence.get(key, []),
        "inferred": data.get("inferred"),
    }


ROOT = {"borderWidth": 5, "size": 32, "root": True, "font": {"size": 16, "strokeWidth": 3}}
STANCE_COLOURS = {"criticised": "#d62728", "praised": "#2ca02c", "neutral": "#8c8c8c"}
STANCE_WORDS = {"criticised": "criticises", "praised": "praises", "neutral": "mentions"}
STATUS_COLOURS = {
    "improved": "#2ca02c",
    "resolved": "#1f77b4",
    "persists": "#ff7f0e",
    "worsened": "#d62728",
}


def edge_look(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """What an edge says on its face: a stance by colour, a tenure by its dates, a follow-up
    by its verdict; other types by their name."""
    if kind in ("CONCERNS", "ABOUT") and data.get("stance") in STANCE_COLOURS:
        stance = data["stance"]
        colour = STANCE_COLOURS[stance]
        return {"label": STANCE_WORDS[stance], "color": {"color": colour, "highlight": colour}}
    if kind == "HOLDS":
        return {"label": tenure(data)}
    if kind == "FOLLOWS_UP" and data.get("status") in STATUS_COLOURS:
        colour = STATUS_COLOURS[data["status"]]
        label = f"follows up: {data['status']}"
        return {"label": label, "color": {"color": colour, "highlight": colour}}
    return {"label": kind}


def as_precise(day: str | None, precision: str | None) -> str | None:
    """An ISO day cut to what is known: 2016-03-01 known to the month is 2016-03."""
    if not day:
        return None
    return {"year": day[:4], "month": day[:7]}.get(precision or "day", day)


def tenure(data: dict[str, Any]) -> str:
    """A HOLDS edge's caption: "interim 2015-07 → 2016-03", "2016-03 →", or what is known."""
    start = as_precise(data.get("start_date"), data.get("start_precision"))
    end = as_precise(data.get("end_date"), data.get("end_precision"))
    if start or end:
        span = f"{start or '?'} → {end or ('ended' if data.get('ended') else '')}".rstrip()
    else:
        span = "held, ended (dates not recorded)" if data.get("ended") else "holds (no dates)"
    return f"{data['capacity']} {span}" if data.get("capacity") else span


NODE_DAYS = ("start_date", "published_date", "statement_date", "as_of_date")


def _node_days(data: dict[str, Any]) -> dict[str, Any]:
    """The day a dated node (an inspection, a statement) came to be, for the date slider."""
    day = next((data[k] for k in NODE_DAYS if data.get(k)), None)
    return {"day_from": day} if day else {}


def _edge_days(data: dict[str, Any]) -> dict[str, Any]:
    """A dated relationship's span (a tenure, a chair) and how precisely each end is known,
    for the date slider and the timeline."""
    days = {
        "day_from": data.get("start_date"),
        "day_to": data.get("end_date"),
        "from_precision": data.get("start_precision") if data.get("start_date") else None,
        "to_precision": data.get("end_precision") if data.get("end_date") else None,
        "ended": data.get("ended"),
    }
    return {k: v for k, v in days.items() if v}


def _bend_parallel(edges: list[dict[str, Any]]) -> None:
    """Edges between the same two nodes curve apart instead of drawing over each other."""
    pairs: dict[frozenset[str], list[dict[str, Any]]] = {}
    for edge in edges:
        pairs.setdefault(frozenset((edge["from"], edge["to"])), []).append(edge)
    for group in pairs.values():
        if len(group) > 1:  # by id: each edge keeps its curve whatever order the store gave
            for k, edge in enumerate(sorted(group, key=lambda e: str(e["id"]))):
                edge["smooth"] = {"type": "curvedCW", "roundness": round(0.12 + 0.18 * k, 2)}


MAX_TABLE_ROWS = 2000


def result_table(result: Result) -> dict[str, Any]:
    """The result's own rows beside the graph, so that a saved view is the answer itself.

    Cells are plain values; graph elements become their id and name (or type), which is all
    a table cell can say about them. Long results keep their first MAX_TABLE_ROWS rows.
    """
    keep = [i for i in range(len(result.columns)) if not _elements_only(result, i)]
    rows = [[_cell(plain(row[i])) for i in keep] for row in result.rows[:MAX_TABLE_ROWS]]
    columns = [result.columns[i] for i in keep]
    return {"columns": columns, "rows": rows, "total": len(result.rows)}


def _elements_only(result: Result, column: int) -> bool:
    """A column of graph elements (a `view:` column) is drawn, not tabled."""
    values = [row[column] for row in result.rows if row[column] is not None]
    return bool(values) and all(isinstance(v, Node | Relationship | GraphPath) for v in values)


def _cell(value: Any) -> Any:
    if isinstance(value, dict) and "nodes" in value and "relationships" in value:
        return " → ".join(str(n.get("name") or n.get("id")) for n in value["nodes"])
    if isinstance(value, dict) and "id" in value and ("label" in value or "type" in value):
        return str(value.get("name") or value.get("type") or value["id"])
    if isinstance(value, list):
        return [_cell(v) for v in value]
    return value


def check_size(result: Result, limit: int) -> None:
    if len(result.nodes) > limit:
        raise ViewError(
            f"the result has {len(result.nodes)} nodes, more than the view limit of {limit}: "
            "narrow the query or raise --limit"
        )


@collector.paused()
def render_page(data: dict[str, Any], spec: ViewSpec) -> str:
    if spec.layout not in LAYOUTS:
        raise ViewError(f"unknown layout '{spec.layout}' (one of {', '.join(LAYOUTS)})")
    kinds = {n["kind"] for n in data["nodes"]}
    halo = data.get("halo") or {"nodes": []}
    kinds |= {n["kind"] for n in halo["nodes"]}
    legend = [
        {"label": lbl.name, "colour": lbl.colour, "shape": lbl.shape}
        for lbl in schema().labels
        if lbl.name in kinds
    ]
    legend += [
        {"label": kind, "colour": "#999999", "shape": "dot"}
        for kind in sorted(kinds - set(schema().label_names))
    ]
    params = ", ".join(f"{k}={v}" for k, v in spec.parameters.items())
    return _template().render(
        title=spec.title,
        query=spec.query,
        parameters=params,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        counts=f"{len(data['nodes'])} nodes, {len(data['edges'])} edges",
        legend=legend,
        edge_keys=edge_keys(data["edges"]),
        reltypes=sorted({e["kind"] for e in data["edges"] if e.get("kind")}),
        root=any(n.get("root") for n in data["nodes"]),
        inferred=any(d.get("inferred") for d in data["details"].values()),
        vis_js=_vis_js(),
        data_json=_safe_json(data),
        layout_json=_safe_json(spec.layout),
        positions_json=_safe_json(positions(data, spec.layout)),
        entity_url_json=_safe_json(spec.entity_url),
    )


def edge_keys(edges: list[dict[str, Any]]) -> list[dict[str, str]]:
    """What the edge colours in this view mean."""
    kinds = {e.get("kind") for e in edges}
    keys: list[dict[str, str]] = []
    if kinds & {"CONCERNS", "ABOUT"}:
        keys += [{"label": STANCE_WORDS[s], "colour": c} for s, c in STANCE_COLOURS.items()]
    if "FOLLOWS_UP" in kinds:
        keys += [{"label": s, "colour": c} for s, c in STATUS_COLOURS.items()]
    return keys


def positions(data: dict[str, Any], kind: str) -> dict[str, list[float]]:
    """Where each node sits, computed here once: the same file always opens the same way."""
    from oversight.visualise.layout import layout

    ends = [(e["from"], e["to"]) for e in data["edges"]]
    placed = layout([n["id"] for n in data["nodes"]], ends, kind)
    return {node: [x, y] for node, (x, y) in placed.items()}


def write_view(
    result: Result,
    path: Path,
    spec: ViewSpec,
    evidence: dict[str, list[dict[str, Any]]] | None = None,
    around: Result | None = None,
) -> Path:
    """Write one HTML file that opens anywhere, from file://, with no network access."""
    check_size(result, spec.limit)
    return write_page(render_page(build_view_data(result, evidence, spec.root, around), spec), path)


def write_page(page: str, path: Path) -> Path:
    """Write a finished page as UTF-8, whatever the locale; ViewError if it cannot be."""
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as error:
        raise ViewError(f"{path}: cannot write: {error.strerror or error}") from error
    return path
