"""Graph exports for other tools: Gephi (GEXF, GraphML), Cytoscape, networkx JSON, neo4j-admin.

All start from the same networkx graph of a result (see visualise.network). GraphML and GEXF
take only scalar attributes, so lists are written as JSON text there; node-link JSON and
Cytoscape JSON keep every property as it is (NaN and infinities, which JSON lacks, as null).

CSV cells are spreadsheet-safe (`spreadsheet_safe`) unless the caller asks for them raw.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oversight.graph.errors import OversightError
from oversight.graph.result import Result, json_ready
from oversight.graph.schema import schema, stored_columns
from oversight.graph.store import Store
from oversight.visualise.network import result_graph

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("graphml", "gexf", "json", "cytoscape", "neo4j-csv")
WHOLE_GRAPH = ("MATCH (n) RETURN n", "MATCH (a)-[r]->(b) RETURN a, r, b")
ARRAY_DELIMITER = "|"  # quotes contain ";" and ","; a "|" inside an array value is refused
# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEO4J_TYPES = {
    "STRING": "string",
    "INT64": "long",
    "DOUBLE": "double",
    "BOOL": "boolean",
    "DATE": "date",
    "STRING[]": "string[]",
}


class ExportError(OversightError):
    """The export could not be written."""


def spreadsheet_safe(text: str) -> str:
    """Text that a spreadsheet shows instead of running: OWASP's advice for CSV cells is to
    put a single quote before a cell that starts with =, +, -, @, tab or carriage return.

    Only for text: numbers are written as they are, so -3 stays a number.
    """
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _scalar_graph(graph: nx.MultiDiGraph, edge_type_key: str = "type") -> nx.MultiDiGraph:
    """A copy whose list and dict attributes are JSON text (GraphML and GEXF need scalars),
    and whose nodes are captioned by name.

    GEXF reserves an edge's `type` (directed or not): there the relationship type is the
    edge's `label`, which is also what Gephi shows on edges.
    """

    def scalars(data: dict[str, Any]) -> dict[str, Any]:
        return {
            k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
            for k, v in data.items()
            if v is not None
        }

    def edge(data: dict[str, Any]) -> dict[str, Any]:
        data = scalars(data)
        data[edge_type_key] = data.pop("type")
        return data

    def node(node_id: str, data: dict[str, Any]) -> dict[str, Any]:
        # Gephi and yEd caption a node by its `label`: the name a reader knows it by, with
        # the node's type kept as `type`.
        data = scalars(data)
        data["type"] = data.pop("label")
        data["label"] = str(data.get("name") or node_id)
        return data

    copy = graph.__class__()
    copy.add_nodes_from((n, node(n, d)) for n, d in graph.nodes(data=True))
    copy.add_edges_from((a, b, k, edge(d)) for a, b, k, d in graph.edges(keys=True, data=True))
    return copy


def export(result: Result, fmt: str, path: Path, *, raw: bool = False) -> list[Path]:
    """Write `result` in `fmt` at `path` (a folder for neo4j-csv); return the files written.

    `raw`: neo4j-csv text cells as they are, not spreadsheet-safe.
    """
    import networkx as nx

    graph = result_graph(result)
    try:
        if fmt == "graphml":
            nx.write_graphml(_scalar_graph(graph), path)
        elif fmt == "gexf":
            nx.write_gexf(_scalar_graph(graph, edge_type_key="label"), path)
        elif fmt == "json":
            _write_json(path, nx.node_link_data(graph, edges="edges"))
        elif fmt == "cytoscape":
            _write_json(path, nx.cytoscape_data(graph))
        elif fmt == "neo4j-csv":
            return write_neo4j_csv(result, path, raw=raw)
        else:
            raise ExportError(f"unknown format '{fmt}' (one of {', '.join(FORMATS)})")
    except OSError as error:
        raise ExportError(f"{path}: cannot write: {error.strerror or error}") from error
    return [path]


def _write_json(path: Path, data: Any) -> None:
    text = json.dumps(json_ready(data), ensure_ascii=False, indent=1, allow_nan=False)
    path.write_text(text, encoding="utf-8")


def _header(columns: list[tuple[str, str]]) -> list[str]:
    return [f"{name}:{_NEO4J_TYPES[type_]}" for name, type_ in columns]


def _cell(value: Any, type_: str, raw: bool = False) -> str:
    """One typed cell: numbers, booleans and dates as they are, text spreadsheet-safe."""
    if value is None:
        return ""
    if type_ == "STRING[]":
        items = [str(v) for v in value]
        if any(ARRAY_DELIMITER in item for item in items):
            raise ExportError(f"an array value contains the delimiter {ARRAY_DELIMITER!r}: {items}")
        items = items if raw else [spreadsheet_safe(item) for item in items]
        return ARRAY_DELIMITER.join(items)
    if type_ == "BOOL":
        return "true" if value else "false"
    if type_ == "STRING" and not raw:
        return spreadsheet_safe(str(value))
    return str(value)


def write_neo4j_csv(result: Result, folder: Path, *, raw: bool = False) -> list[Path]:
    """One CSV per label and per relationship type, with neo4j-admin's header format.

    Node files: `id:ID` (ids are unique across labels), typed properties, `:LABEL`.
    Relationship files: `:START_ID`, `:END_ID`, typed properties, `:TYPE`.
    Arrays are joined with ARRAY_DELIMITER; dates are ISO (neo4j-admin's `date` type).
    Text cells and ids are spreadsheet-safe unless `raw` (ids the same way everywhere, so
    relationships still meet their nodes); typed numbers stay numbers.
    """
    ident = (lambda text: text) if raw else spreadsheet_safe
    model = schema()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for label in model.labels:
        members = [n for n in result.nodes.values() if n.label == label.name]
        if not members:
            continue
        columns = [c for c in stored_columns(model.node_properties(label)) if c[0] != "id"]
        path = folder / f"nodes_{label.name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id:ID", *_header(columns), ":LABEL"])
            for node in members:
                cells = [_cell(node.properties.get(name), t, raw) for name, t in columns]
                writer.writerow([ident(node.id), *cells, label.name])
        written.append(path)
    nodes = set(result.nodes)
    for reltype in model.reltypes:
        members = [
            r
            for r in result.relationships.values()
            if r.type == reltype.name and r.start in nodes and r.end in nodes
        ]
        if not members:
            continue
        columns = stored_columns(model.rel_properties(reltype))
        path = folder / f"relationships_{reltype.name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([":START_ID", ":END_ID", *_header(columns), ":TYPE"])
            for rel in members:
                props = {**rel.properties, "id": rel.id}
                cells = [_cell(props.get(name), t, raw) for name, t in columns]
                writer.writerow([ident(rel.start), ident(rel.end), *cells, reltype.name])
        written.append(path)
    return written


def neo4j_admin_command(files: list[Path], database: str = "neo4j") -> str:
    """The import command for the files write_neo4j_csv wrote."""
    parts = ["neo4j-admin database import full"]
    for path in files:
        kind = "--nodes" if path.name.startswith("nodes_") else "--relationships"
        parts.append(f"{kind}={path}")
    parts += [f"--array-delimiter='{ARRAY_DELIMITER}'", "--overwrite-destination", database]
    return " \\\n  ".join(parts)


def whole_graph(store: Store) -> Result:
    """Every node and relationship in the store, as one result."""
    nodes, rels = (store.read(text) for text in WHOLE_GRAPH)
    return Result(
        columns=[],
        rows=[],
        nodes={**nodes.nodes, **rels.nodes},
        relationships=rels.relationships,
    )
