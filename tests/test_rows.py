"""Rows held as columns (graph/rows.py): the same row dicts every store reads, the same Arrow
tables the bulk path copies, for a fraction of the memory."""

from __future__ import annotations

import pytest
from oversight.graph import bulk, statements
from oversight.graph.rows import RowTable
from oversight.graph.schema import schema
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
        columns = statements.ladybug_columns(model)[label]
        assert bulk.arrow_table(columns, rows).equals(bulk.arrow_table(columns, list(rows)))
    ends = [("from_id", "STRING"), ("to_id", "STRING")]
    for (type_, _, _), rows in rels.items():
        columns = ends + statements.ladybug_columns(model)[type_]
        assert bulk.arrow_table(columns, rows).equals(bulk.arrow_table(columns, list(rows)))


def test_rows_back_from_arrow_are_the_rows_that_went_in_an_empty_list_as_no_value() -> None:
    """What the child process writes (ArrowRows) reads as the RowTable it came from, but for
    an empty list, which Arrow and the store hold as null."""
    from oversight.graph.rows import ArrowRows

    model = schema()
    nodes, rels = graph_rows(read_dataset([BUNDLED]))
    ends = [("from_id", "STRING"), ("to_id", "STRING")]
    for kind, key, rows in [("node", k, r) for k, r in nodes.items()] + [
        ("rel", k, r) for k, r in rels.items()
    ]:
        stored = statements.ladybug_columns(model)[key if kind == "node" else key[0]]
        columns = stored if kind == "node" else ends + stored
        back = ArrowRows(bulk.arrow_table(columns, rows), rows.always)
        expected = [{k: v for k, v in row.items() if v != [] or k in rows.always} for row in rows]
        expected = [{k: (None if v == [] else v) for k, v in row.items()} for row in expected]
        assert list(back) == expected and back[0] == expected[0] and back[-1:] == expected[-1:]
        assert list(back.column("id")) == rows.column("id")
        same = bulk.arrow_table(columns, back)
        assert same is not None and same.equals(bulk.arrow_table(columns, rows))


def test_arrow_rows_give_a_missing_column_as_nulls_and_refuse_another_type() -> None:
    import pyarrow as pa
    from oversight.graph.rows import ArrowRows

    rows = ArrowRows(pa.table({"id": ["a", "b"], "n": [1, 2]}))
    table = rows.arrow([("id", pa.string()), ("name", pa.string())])
    assert table.column("name").to_pylist() == [None, None]
    assert rows.arrow([("n", pa.string())]) is None
    assert list(rows.column("name")) == [None, None]
