"""Bulk loads into the embedded store: LadybugDB's `COPY FROM`, all or nothing.

The embedded store's `load` runs these statements inside its one write transaction (see
EmbeddedStore.load): a load stays all-or-nothing, only faster. What LadybugDB 0.14.1 does,
measured on 2 cores (100k nodes and 200k relationships with the project's column shapes):

- Input. `COPY T FROM $rows` with an in-memory Arrow table as the parameter: 4.7 s in all,
  of which 0.9 s building the tables. Parquet files: 5.1 s (0.9 s building and writing them).
  CSV files through `LOAD FROM ... string_split(...)`: 6.1 s (1.8 s writing them); plain CSV
  cannot carry a list item holding a comma (it keeps the quotes), reads an empty string as
  null and needs PARALLEL=FALSE for a quoted newline. pandas DataFrames crash the 0.14.1
  binding on list columns. `COPY T FROM (UNWIND $rows ...)`: 35 s. Arrow it is.
- Transactions. COPY works inside `BEGIN TRANSACTION` ... `COMMIT`, and `ROLLBACK` undoes it,
  with the exception below. A failed COPY (a duplicate id, a missing end node) aborts the
  whole transaction by itself, so nothing of the load remains either.
- COPY into a node table that already has rows is allowed and rolls back cleanly (also after
  deletes in the same transaction).
- COPY into a relationship table that already has rows is allowed, but a ROLLBACK afterwards
  deletes the table's committed rows as well, all of them and for good (or corrupts memory
  when they were never checkpointed). `DETACH DELETE` then COPY then ROLLBACK does the same.
- `DROP TABLE`, `CREATE ... TABLE` and COPY in one transaction roll back cleanly.
- COPY matches columns by position: the Arrow table follows the stored table's column order
  (`CALL table_info`), which differs from the schema's once columns were added to a file.

The rule, per table, decided when the transaction begins (before any `before` statements):

- node table: rows with new ids are copied; rows whose id is already stored are upserted with
  the MERGE batches every store uses (their properties are replaced, as before).
- relationship table: copied; when it holds rows, the stored relationships with the ids being
  loaded are deleted first (by id, between the same two labels), so a reload replaces them as
  MERGE would. The rollback that takes a filled table's committed rows with it cannot reach
  the store: the whole write runs on a scratch copy of the file, dropped on any failure
  (EmbeddedStore._atomic). Reloading 153 synthetic authorities (124,343 elements) into a
  store holding them took 42.6 s with MERGE batches for these tables, 16.8 s so (a fresh
  load: about 4 s; what remains is MERGE of the stored nodes, the deletes by id and
  EmbeddedStore's rewrite of the filled tables' list columns).
- `replace`: every table is dropped and created again inside the transaction, so all are
  empty and everything is copied; a rollback brings the old tables back.

The graph is the MERGE path's: a relationship whose end is in neither the load nor the store
is skipped, a repeated id keeps its last row, an empty list is stored as null. (The MERGE path
stores a missing list as [] when other rows of its batch have one: an engine artefact.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from oversight.graph import statements
from oversight.graph.rows import ArrowRows, RowTable
from oversight.graph.schema import Label, RelType, Schema
from oversight.graph.store import (
    NodeRows,
    Progress,
    RelRows,
    Statement,
    StoreError,
    merge_node_batches,
    merge_relationship_batches,
)

Rows = Sequence[dict[str, Any]]  # a list of dicts or a RowTable (graph/rows.py)
Query = Callable[[str, dict[str, Any]], list[list[Any]]]  # a read inside the transaction

# Below about 6,000 rows MERGE batches are faster: a COMMIT after COPYs costs ~0.5 s.
BULK_MIN_ROWS = 5000


def worthwhile(nodes: NodeRows, relationships: RelRows) -> bool:
    """Whether a load is big enough for the bulk path."""
    total = sum(map(len, nodes.values())) + sum(map(len, relationships.values()))
    return total >= BULK_MIN_ROWS


def bulk_statements(
    model: Schema,
    nodes: NodeRows,
    relationships: RelRows,
    *,
    query: Query,
    replace: bool = False,
    batch_size: int = 1000,
    progress: Progress | None = None,
    before: Iterable[Statement] = (),
) -> Iterator[Statement]:
    """The statements of a bulk load, to run in one write transaction, in order.

    `query` runs a read in that same transaction; it is called between statements to see
    which tables hold rows and which ids are stored. `before` runs first (after the tables
    are looked at: a relationship table it empties still counts as filled).
    """
    filled_nodes = set() if replace else {lb.name for lb in model.labels if _has_rows(query, lb)}
    filled_rels = set() if replace else {rt.name for rt in model.reltypes if _has_rows(query, rt)}
    yield from before
    if replace:
        for reltype in model.reltypes:
            yield f"DROP TABLE IF EXISTS {reltype.name}", {}
        for label in model.labels:
            yield f"DROP TABLE IF EXISTS {label.name}", {}
        for text in statements.ladybug_ddl(model):
            yield text, {}
    known = _KnownIds(query, filled_nodes)
    for label_name, rows in nodes.items():
        label = model.label(label_name)
        rows = _last_per_id(rows)
        known.add(label_name, rows)
        stored = known.stored(label_name)
        fresh = [row for row in rows if row["id"] not in stored] if stored else rows
        again = [row for row in rows if row["id"] in stored] if stored else []
        if fresh:
            table = arrow_table(_table_columns(query, label.name), fresh)
            if table is None:
                again = rows  # values Arrow cannot type: let the engine convert them
            else:
                yield f"COPY {label.name} FROM $rows", {"rows": table}
                _advance(progress, len(fresh))
        yield from merge_node_batches(model, label, again, batch_size, progress)
    for (type_name, start, end), rows in relationships.items():
        reltype = model.reltype(type_name)
        rows = known.joined(start, end, _last_per_id(rows))
        table = None
        if rows:
            ends: list[tuple[str, str]] = [("from_id", "STRING"), ("to_id", "STRING")]
            table = arrow_table(ends + _table_columns(query, reltype.name), rows)
        if table is not None:
            if type_name in filled_rels:  # the stored ones this load replaces go first
                ids = list(_column(rows, "id"))
                yield _DELETE_BY_ID.format(start=start, type=reltype.name, end=end), {"ids": ids}
            yield f"COPY {reltype.name} FROM $rows (from='{start}', to='{end}')", {"rows": table}
            _advance(progress, len(rows))
        else:
            yield from merge_relationship_batches(
                model, reltype, start, end, rows, batch_size, progress
            )


_DELETE_BY_ID = "MATCH (:{start})-[r:{type}]->(:{end}) WHERE r.id IN $ids DELETE r"


def _table_columns(query: Query, table: str) -> list[tuple[str, str]]:
    """The stored table's columns in their order: COPY matches columns by position, and a
    file from an older version has the columns added since at the end."""
    return [
        (name, type_) for name, type_ in query(f"CALL table_info('{table}') RETURN name, type", {})
    ]


def _has_rows(query: Query, element: Label | RelType) -> bool:
    if isinstance(element, Label):
        text = f"MATCH (n:{element.name}) RETURN n.id LIMIT 1"
    else:
        text = f"MATCH ()-[r:{element.name}]->() RETURN 1 LIMIT 1"
    return bool(query(text, {}))


class _KnownIds:
    """Ids per label: those being loaded, and (read once, when needed) those already stored."""

    def __init__(self, query: Query, filled: set[str]) -> None:
        self.query, self.filled = query, filled
        self.loading: dict[str, set[str]] = {}
        self._stored: dict[str, set[str]] = {}

    def add(self, label: str, rows: Rows) -> None:
        self.loading.setdefault(label, set()).update(_column(rows, "id"))

    def stored(self, label: str) -> set[str]:
        if label not in self.filled:
            return set()
        if label not in self._stored:
            rows = self.query(f"MATCH (n:{label}) RETURN n.id", {})
            self._stored[label] = {row[0] for row in rows}
        return self._stored[label]

    def has(self, label: str, node_id: Any) -> bool:
        return node_id in self.loading.get(label, ()) or node_id in self.stored(label)

    def joined(self, start: str, end: str, rows: Rows) -> Rows:
        """The rows whose two ends exist (MERGE skips the others: its MATCH finds nothing)."""
        loading = self.loading.get(start, set()), self.loading.get(end, set())
        if loading[0].issuperset(_column(rows, "from_id")) and loading[1].issuperset(
            _column(rows, "to_id")
        ):
            return rows
        return [r for r in rows if self.has(start, r["from_id"]) and self.has(end, r["to_id"])]


def _column(rows: Rows, name: str) -> Iterable[Any]:
    """One column's values: a RowTable's own list, or read off each row dict."""
    if isinstance(rows, (RowTable, ArrowRows)):
        return rows.column(name)
    return (row.get(name) for row in rows)


def unique_ids(rows: Rows) -> bool:
    """Whether no id is in the rows twice (an ArrowRows says so when it was made)."""
    if isinstance(rows, ArrowRows) and rows.unique_ids:
        return True
    return len(set(_column(rows, "id"))) == len(rows)


def _last_per_id(rows: Rows) -> Rows:
    if unique_ids(rows):
        return rows
    return list({row["id"]: row for row in rows}.values())


def _arrow_type(type_: str) -> Any:
    import pyarrow as pa

    return {
        "STRING": pa.string(),
        "STRING[]": pa.list_(pa.string()),
        "INT64": pa.int64(),
        "DOUBLE": pa.float64(),
        "BOOL": pa.bool_(),
        "DATE": pa.date32(),
    }.get(type_)


def arrow_table(columns: list[tuple[str, str]], rows: Rows) -> Any | None:
    """An Arrow table of the rows with these columns, in order; an empty list becomes null, as
    on the MERGE path. None when a column's type or a value does not fit: MERGE then.

    Built a column at a time from plain lists (a RowTable's own, as they are): as fast as
    `Table.from_pylist`, and without pyarrow.compute, whose import alone took 0.2 s of a 2 s
    store write."""
    import pyarrow as pa

    types = [_arrow_type(type_) for _, type_ in columns]
    if None in types:
        return None
    if isinstance(rows, ArrowRows):  # made in the reading process, typed by the schema
        named = zip((name for name, _ in columns), types, strict=True)
        return rows.arrow(list(named))
    arrays = []
    try:
        for (name, type_), arrow_type in zip(columns, types, strict=True):
            values = (
                rows.column(name) if isinstance(rows, RowTable) else [r.get(name) for r in rows]
            )
            if type_ == "STRING[]":
                values = [value or None for value in values]
            arrays.append(pa.array(values, arrow_type))
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    return pa.Table.from_arrays(arrays, names=[name for name, _ in columns])


def _advance(progress: Progress | None, count: int) -> None:
    if progress:
        progress(count)


def require_pyarrow() -> None:
    """Fail with one line when pyarrow is missing (it is a dependency of the project)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError as error:
        raise StoreError(
            "bulk loading needs pyarrow: pip install pyarrow (or reinstall oversight)"
        ) from error
