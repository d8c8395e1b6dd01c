"""The store interface both engines implement (graph/stores.py picks one).

Loads are all-or-nothing: `load` applies the schema and writes every batch in one transaction.
Reads run in read-only transactions; writes happen only through `write` or `load`.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from oversight.graph import gate, statements
from oversight.graph.errors import OversightError
from oversight.graph.result import Result
from oversight.graph.schema import Label, RelType, Schema, schema, stored_columns

BATCH_SIZE = 1000

NodeRows = Mapping[str, Sequence[dict[str, Any]]]  # label -> rows
RelRows = Mapping[tuple[str, str, str], Sequence[dict[str, Any]]]  # (type, start label, end label)
Progress = Callable[[int], None]


class StoreError(OversightError):
    """The store could not do what was asked (unreachable, locked, a query failed)."""


class Store(ABC):
    """What every store offers; see EmbeddedStore and Neo4jStore."""

    name: str
    # Seconds a read may run on the server before the server abandons it (None: no limit);
    # `oversight serve` sets it so that a page's query ends even where it cannot interrupt.
    read_timeout: float | None = None

    def __init__(self, model: Schema | None = None) -> None:
        self.schema = model or schema()

    def interrupt(self) -> None:  # noqa: B027 -- deliberately a no-op by default
        """Ask the engine to abandon the statement running now, from another thread. Stores
        that cannot do this rely on `read_timeout` instead."""

    @abstractmethod
    def apply_schema(self) -> None:
        """Create tables or constraints; safe to repeat."""

    @abstractmethod
    def _run_in_write_transaction(self, work: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Run statements in one write transaction: all of them, or on any error none."""

    def read(self, query: str, parameters: Mapping[str, Any] | None = None) -> Result:
        """Run one read statement in a read-only transaction.

        The statement gate refuses anything but openCypher read clauses before the store sees
        it (graph/gate.py); the read-only transaction is the second line of defence.
        """
        gate.check(query, write=False)
        return self._read(query, parameters)

    def write(self, query: str, parameters: Mapping[str, Any] | None = None) -> Result:
        """Run one statement that may change the graph (never files, extensions or the schema)."""
        gate.check(query, write=True)
        return self._write(query, parameters)

    @abstractmethod
    def _read(self, query: str, parameters: Mapping[str, Any] | None) -> Result:
        """Run a gated query in a read-only transaction; a query that writes fails."""

    @abstractmethod
    def _write(self, query: str, parameters: Mapping[str, Any] | None) -> Result:
        """Run a gated query that may write, in its own transaction."""

    @abstractmethod
    def close(self) -> None: ...

    def load(
        self,
        nodes: NodeRows,
        relationships: RelRows,
        *,
        replace: bool = False,
        batch_size: int = BATCH_SIZE,
        progress: Progress | None = None,
        before: Iterable[tuple[str, dict[str, Any]]] = (),
    ) -> None:
        """Upsert nodes then relationships by id, in one transaction (replace: clear first).

        `before`: write statements (text, parameters) run first in the same transaction, for
        example deleting what the load replaces; they come from code, never from user input.
        """
        self.apply_schema()
        self._run_in_write_transaction(
            itertools.chain(
                before, self._load_statements(nodes, relationships, replace, batch_size, progress)
            )
        )

    def _load_statements(
        self,
        nodes: NodeRows,
        relationships: RelRows,
        replace: bool,
        batch_size: int,
        progress: Progress | None,
    ) -> Iterable[tuple[str, dict[str, Any]]]:
        if replace:
            yield statements.CLEAR, {}
        for label_name, rows in nodes.items():
            label = self.schema.label(label_name)
            yield from merge_node_batches(self.schema, label, rows, batch_size, progress)
        for (type_name, start, end), rows in relationships.items():
            reltype = self.schema.reltype(type_name)
            yield from merge_relationship_batches(
                self.schema, reltype, start, end, rows, batch_size, progress
            )

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per label and relationships per type."""
        nodes = {
            label.name: self.read(statements.count_nodes(label)).rows[0][0]
            for label in self.schema.labels
        }
        rels = {
            reltype.name: self.read(statements.count_relationships(reltype)).rows[0][0]
            for reltype in self.schema.reltypes
        }
        return {"nodes": nodes, "relationships": rels}

    def clear(self) -> None:
        self.apply_schema()
        self._run_in_write_transaction([(statements.CLEAR, {})])

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


Statement = tuple[str, dict[str, Any]]


def merge_node_batches(
    model: Schema,
    label: Label,
    rows: Sequence[dict[str, Any]],
    batch_size: int,
    progress: Progress | None,
) -> Iterable[Statement]:
    """MERGE statements for nodes of one label, a batch each."""
    columns = stored_columns(model.node_properties(label))
    for batch in _batches(rows, batch_size):
        absent, params = _absent_columns(columns, batch)
        yield statements.upsert_nodes(model, label, absent), params
        if progress:
            progress(len(batch))


def merge_relationship_batches(
    model: Schema,
    reltype: RelType,
    start: str,
    end: str,
    rows: Sequence[dict[str, Any]],
    batch_size: int,
    progress: Progress | None,
) -> Iterable[Statement]:
    """MERGE statements for relationships of one type between two labels, a batch each."""
    columns = stored_columns(model.rel_properties(reltype))
    for batch in _batches(rows, batch_size):
        absent, params = _absent_columns(columns, batch)
        yield statements.upsert_relationships(model, reltype, start, end, absent), params
        if progress:
            progress(len(batch))


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _absent_columns(
    columns: list[tuple[str, str]], batch: list[dict[str, Any]]
) -> tuple[frozenset[str], dict[str, Any]]:
    """The columns no row of the batch has, and the batch as rows of identical keys.

    LadybugDB infers one parameter type for the whole batch: every row must have the same
    keys, and a column that is null (or an empty list) in every row has no type to infer.
    Such columns are set to a literal null instead, which says the same on both stores.
    """
    rows = [{k: (None if v == [] else v) for k, v in row.items()} for row in batch]
    absent = frozenset(
        name for name, _ in columns if name != "id" and all(row.get(name) is None for row in rows)
    )
    keys = [name for name, _ in columns if name not in absent]
    keys += [k for k in ("from_id", "to_id") if k in rows[0]]  # a relationship's ends
    return absent, {"rows": [{k: row.get(k) for k in keys} for row in rows]}
