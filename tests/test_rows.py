"""Rows held as columns (graph/rows.py): the same row dicts every store reads, the same Arrow
tables the bulk path copies, for a fraction of the memory."""

from __future__ import annotations

import pytest
from oversight.graph import bulk
from oversight.graph.rows import RowTable
from oversight.graph.schema import schema, stored_columns
from oversight.loaders.dataset import BUNDLED, basis, graph_rows, read_dataset
from oversight.loaders.records import stored_values


def test_a_row_has_a_key_when_its_value_is_set_or_its_column_is_always_there() -> None:
    table = RowTable({"id": ["a", "b"], "name": ["A", None], "end": [None, None]}, ["end"])
    assert list(table) == [{"id": "a", "name": "A", "end": None}, {"id": "b", "end": None}]
    assert table[1] == {"id": "b", "end": None} and table[-2] == table[0]
    assert table[0:5] == list(table) and table[::-1] == list(table)[::-1]
    assert len(table) == 2 and table == list(table)
    assert table == RowTable(dict(table.columns), ["end"]) != RowTable(dict(table.columns))
    with pytest.raises(IndexError):
        table[2]


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="different lengths"):
        RowTable({"id": ["a"], "name": []})


def test_the_bundled_rows_are_the_records_stored_values() -> None:
    """The columns give back, row for row, what `stored_values` makes of each record (the
    rows as dicts were built that way before they became columns)."""
    model = schema()
    dataset = read_dataset([BUNDLED])
    nodes, rels = graph_rows(dataset)
    expected: dict[str, list[dict]] = {}
    for node in dataset.nodes.values():
        row = stored_values(model.node_properties(node.label), node.values)
        row |= {"id": node.id, "basis": basis(node.cites, dataset)}
        expected.setdefault(node.label.name, []).append(row)
    assert {label: list(rows) for label, rows in nodes.items()} == expected
    by_id = {row["id"]: row for rows in rels.values() for row in rows}
    for rel in dataset.relationships.values():
        row = stored_values(model.rel_properties(rel.type), rel.values)
        assert by_id[rel.id] == row | {
            "id": rel.id,
            "from_id": rel.start,
            "to_id": rel.end,
            "cite_sources": [c.source for c in rel.cites],
            "cite_quotes": [c.quote or "" for c in rel.cites],
            "cite_refs": [c.ref or "" for c in rel.cites],
            "basis": basis(rel.cites, dataset),
        }
    cited = sum(len(node.cites) for node in dataset.nodes.values())
    assert sum(len(rows) for (type_, _, _), rows in rels.items() if type_ == "CITED_IN") == cited
    assert all(isinstance(rows, RowTable) for rows in [*nodes.values(), *rels.values()])


def test_the_bulk_path_makes_the_same_arrow_tables_from_columns_as_from_dicts() -> None:
    model = schema()
    nodes, rels = graph_rows(read_dataset([BUNDLED]))
    for label, rows in nodes.items():
        columns = stored_columns(model.node_properties(model.label(label)))
        columns += [("id", "STRING"), ("basis", "STRING")]
        assert bulk._arrow(columns, rows).equals(bulk._arrow(columns, list(rows)))
    ends = [("from_id", "STRING"), ("to_id", "STRING")]
    for (type_, _, _), rows in rels.items():
        columns = ends + stored_columns(model.rel_properties(model.reltype(type_)))
        columns += [("id", "STRING")]
        assert bulk._arrow(columns, rows).equals(bulk._arrow(columns, list(rows)))
