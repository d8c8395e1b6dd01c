"""The store interface both engines implement, and how the CLI picks one.

Loads are all-or-nothing: `load` applies the schema and writes every batch in one transaction.
Reads run in read-only transactions; writes happen only through `write` or `load`.
"""

from __future__ import annotations

import itertools
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from oversight.graph import statements
from oversight.graph.errors import OversightError
from oversight.graph.result import Result
from oversight.graph.schema import Label, RelType, Schema, schema, stored_columns

DEFAULT_DB = "oversight.lbug"
BATCH_SIZE = 1000

NodeRows = Mapping[str, list[dict[str, Any]]]  # label -> rows
RelRows = Mapping[tuple[str, str, str], list[dict[str, Any]]]  # (type, start label, end label)
Progress = Callable[[int], None]


class StoreError(OversightError):
    """The store could not do what was asked (unreachable, locked, a query failed)."""


class Store(ABC):
    """What every store offers; see EmbeddedStore and Neo4jStore."""

    name: str

    def __init__(self, model: Schema | None = None) -> None:
        self.schema = model or schema()

    @abstractmethod
    def apply_schema(self) -> None:
        """Create tables or constraints; safe to repeat."""

    @abstractmethod
    def _run_in_write_transaction(self, work: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Run statements in one write transaction: all of them, or on any error none."""

    @abstractmethod
    def read(self, query: str, parameters: Mapping[str, Any] | None = None) -> Result:
        """Run a query in a read-only transaction; a query that writes fails."""

    @abstractmethod
    def write(self, query: str, parameters: Mapping[str, Any] | None = None) -> Result:
        """Run a query that may write, in its own transaction."""

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
    rows: list[dict[str, Any]],
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
    rows: list[dict[str, Any]],
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


def _batches(rows: list[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
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


def open_store(
    db: str | os.PathLike[str] | None = None,
    neo4j_uri: str | None = None,
    *,
    read_only: bool = False,
    ask_password: Callable[[], str] | None = None,
) -> Store:
    """The Neo4j store whenever a URI is given (argument or NEO4J_URI), else the embedded file.

    The Neo4j password comes from NEO4J_PASSWORD only, or from `ask_password` (the CLI's
    hidden prompt, on a terminal); it is never taken from the command line or printed.
    """
    uri = neo4j_uri or os.environ.get("NEO4J_URI")
    if uri:
        from oversight.graph.neo4j_store import Neo4jStore

        password = os.environ.get("NEO4J_PASSWORD")
        if password is None:
            if ask_password is None:
                raise StoreError(
                    f"{uri}: set NEO4J_PASSWORD to the Neo4j password "
                    "(and NEO4J_USERNAME if it is not neo4j)"
                )
            password = ask_password()
        return Neo4jStore(
            uri,
            user=os.environ.get("NEO4J_USERNAME", "neo4j"),
            password=password,
            database=os.environ.get("NEO4J_DATABASE") or None,
        )
    from oversight.graph.embedded import EmbeddedStore

    path = Path(db or os.environ.get("OVERSIGHT_DB") or DEFAULT_DB)
    return EmbeddedStore(path, read_only=read_only)
