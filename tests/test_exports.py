"""Exports read back by the tools they are for: networkx, and neo4j-admin's header rules."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from oversight.graph.embedded import EmbeddedStore
from oversight.visualise.export import whole_graph


def oversight(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oversight", "--db", str(db), *args], capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def graph_in_store(loaded_db: Path):
    with EmbeddedStore(loaded_db, read_only=True) as store:
        return whole_graph(store)


def scalar(value):
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_the_same(loaded_db, tmp_path, graph_in_store, fmt) -> None:
    out = tmp_path / f"g.{fmt}"
    proc = oversight(loaded_db, "export", "--format", fmt, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert set(back.nodes) == set(graph_in_store.nodes)
    # 1013 since issue #13 added what the texts state (WROTE, APPOINTED, statements, citations)
    assert back.number_of_edges() == len(graph_in_store.relationships) == 1013
    node = graph_in_store.nodes["person/debbie-jones"]
    data = back.nodes["person/debbie-jones"]
    # Gephi captions by `label`: the name, never "Person" on every node; the type beside it.
    assert (data["label"], data["type"]) == ("Debbie Jones", "Person")
    captions = {d["label"] for _, d in back.nodes(data=True)}
    names = {n.properties.get("name") or n.id for n in graph_in_store.nodes.values()}
    assert captions == names and not captions & {"Person", "Post", "Finding"}
    for key, value in node.properties.items():
        if key == "id":
            continue
        assert data[key] == scalar(value), key
    rel = graph_in_store.relationships[
        "person/debbie-jones|HOLDS|post/director-of-childrens-services|2015-07-01"
    ]
    type_key = "type" if fmt == "graphml" else "label"  # GEXF reserves an edge's `type`
    edges = [
        d for _, _, d in back.edges("person/debbie-jones", data=True) if d.get(type_key) == "HOLDS"
    ]
    interim = next(d for d in edges if d.get("capacity") == "interim")
    for key, value in rel.properties.items():
        if key == "id":
            continue
        assert interim[key] == scalar(value), key


def test_json_is_networkx_node_link_with_every_property(
    loaded_db, tmp_path, graph_in_store
) -> None:
    out = tmp_path / "g.json"
    assert oversight(loaded_db, "export", "--format", "json", "-o", str(out)).returncode == 0
    back = nx.node_link_graph(json.loads(out.read_text()), edges="edges")
    assert back.number_of_nodes() == len(graph_in_store.nodes)
    assert back.number_of_edges() == len(graph_in_store.relationships)
    measure = back.nodes["measure/2017-initial-health-assessments-in-time"]
    assert (measure["value"], measure["unit"], measure["label"]) == (4.2, "percent", "Measure")
    assert (
        back.nodes["service/mash"]["aliases"]
        == graph_in_store.nodes["service/mash"].properties["aliases"]
    )


def test_cytoscape_json(loaded_db, tmp_path) -> None:
    out = tmp_path / "g.cyjs"
    assert oversight(loaded_db, "export", "--format", "cytoscape", "-o", str(out)).returncode == 0
    data = json.loads(out.read_text())
    back = nx.cytoscape_graph(data)
    assert "person/debbie-jones" in back
    assert len(data["elements"]["edges"]) == 1013


HEADER = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)?(:(?P<type>ID|START_ID|END_ID|LABEL|TYPE|"
    r"string|long|double|boolean|date|string\[\]))?$"
)


def test_neo4j_csv_follows_the_import_header_rules(loaded_db, tmp_path, graph_in_store) -> None:
    folder = tmp_path / "import"
    proc = oversight(loaded_db, "export", "--format", "neo4j-csv", "-o", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert "neo4j-admin database import full" in proc.stdout
    assert "--array-delimiter='|'" in proc.stdout
    ids: set[str] = set()
    rels = 0
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        for field in header:
            assert HEADER.match(field), (path.name, field)
        assert all(len(row) == len(header) for row in body)
        if path.name.startswith("nodes_"):
            assert header[0] == "id:ID" and header[-1] == ":LABEL"
            assert sum(f.endswith(":ID") for f in header) == 1
            ids.update(row[0] for row in body)
        else:
            assert header[:2] == [":START_ID", ":END_ID"] and header[-1] == ":TYPE"
            rels += len(body)
            for row in body:
                assert row[0] in ids and row[1] in ids
    assert ids == set(graph_in_store.nodes)
    assert rels == 1013
    with (folder / "nodes_Post.csv").open(newline="", encoding="utf-8") as handle:
        dcs = next(
            r for r in csv.DictReader(handle) if r["id:ID"] == "post/director-of-childrens-services"
        )
    assert "DCS" in dcs["aliases:string[]"].split("|")


def test_export_a_saved_query(loaded_db, tmp_path) -> None:
    out = tmp_path / "q.json"
    proc = oversight(
        loaded_db,
        "export",
        "--format",
        "json",
        "-o",
        str(out),
        "--query",
        "oversight-chain",
        "--example",
    )
    assert proc.returncode == 0, proc.stderr
    back = nx.node_link_graph(json.loads(out.read_text()), edges="edges")
    assert 0 < back.number_of_nodes() < 293
