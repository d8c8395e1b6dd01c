"""The embedded store: a LadybugDB file, no server."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path as FilePath
from typing import Any

import real_ladybug as lb
from oversight.graph import bulk, statements
from oversight.graph.result import Node, Path, Relationship, Result, clean_properties
from oversight.graph.schema import Schema
from oversight.graph.store import BATCH_SIZE, NodeRows, Progress, RelRows, Store, StoreError

InternalId = tuple[int, int]  # (table, offset)


class EmbeddedStore(Store):
    name = "ladybug"

    def __init__(
        self, path: FilePath, *, read_only: bool = False, model: Schema | None = None
    ) -> None:
        super().__init__(model)
        self.path = path
        self.read_only = read_only
        if read_only and not path.exists():
            raise StoreError(f"{path}: no database here yet; run `oversight load` first")
        if not read_only and not path.parent.is_dir():
            problem = "is not a folder" if path.parent.exists() else "does not exist"
            raise StoreError(f"{path}: {path.parent} {problem}")
        try:
            self._db = _open(path, read_only)
        except RuntimeError as error:
            raise StoreError(_open_error(path, error)) from error
        self._conn = lb.Connection(self._db)
        self._tables: dict[int, str] | None = None
        self._schema_applied = False

    def close(self) -> None:
        self._conn.close()
        self._db.close()

    def apply_schema(self) -> None:
        if self._schema_applied or self.read_only:
            return
        self._run_in_write_transaction((text, {}) for text in statements.ladybug_ddl(self.schema))
        self._tables = None
        self._add_missing_columns()
        self._schema_applied = True

    def _add_missing_columns(self) -> None:
        """A file made by an older version lacks the columns added since: add them, empty."""
        missing = []
        for table, columns in statements.ladybug_columns(self.schema).items():
            rows = self._conn.execute(f"CALL table_info('{table}') RETURN name").get_all()
            have = {name for (name,) in rows}
            missing += [
                f"ALTER TABLE {table} ADD {name} {type_}"
                for name, type_ in columns
                if name not in have
            ]
        if missing:
            self._run_in_write_transaction((text, {}) for text in missing)

    def load(
        self,
        nodes: NodeRows,
        relationships: RelRows,
        *,
        replace: bool = False,
        batch_size: int = BATCH_SIZE,
        progress: Progress | None = None,
        before: Iterable[tuple[str, dict[str, Any]]] = (),
        bulk_copy: bool | None = None,
    ) -> None:
        """Upsert in one transaction; a big load (or bulk_copy=True) uses COPY FROM where
        LadybugDB can undo it, and MERGE batches elsewhere (the rule is in graph/bulk.py)."""
        if not (bulk.worthwhile(nodes, relationships) if bulk_copy is None else bulk_copy):
            super().load(
                nodes,
                relationships,
                replace=replace,
                batch_size=batch_size,
                progress=progress,
                before=before,
            )
            return
        bulk.require_pyarrow()
        self.apply_schema()
        work = bulk.bulk_statements(
            self.schema,
            nodes,
            relationships,
            query=lambda text, params: self._execute(text, params).get_all(),
            replace=replace,
            batch_size=batch_size,
            progress=progress,
            before=before,
        )
        try:
            self._run_in_write_transaction(work)
        finally:
            self._tables = None  # `replace` creates the tables again, with new internal ids

    def _run_in_write_transaction(self, work: Iterable[tuple[str, dict[str, Any]]]) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot write")
        self._execute("BEGIN TRANSACTION")
        try:
            for text, params in work:
                self._execute(text, params)
        except BaseException:
            self._rollback()
            raise
        self._execute("COMMIT")

    def _read(self, query: str, parameters: Mapping[str, Any] | None) -> Result:
        if not self._has_tables():
            self.apply_schema()
        self._execute("BEGIN TRANSACTION READ ONLY")
        try:
            result = self._query(query, parameters)
        finally:
            self._rollback()
        return result

    def _write(self, query: str, parameters: Mapping[str, Any] | None) -> Result:
        self.apply_schema()
        self._execute("BEGIN TRANSACTION")
        try:
            result = self._query(query, parameters)
        except BaseException:
            self._rollback()
            raise
        self._execute("COMMIT")
        return result

    # --- internals -----------------------------------------------------------------

    def _rollback(self) -> None:
        """Roll back if a transaction is still open (a failed statement already ended it)."""
        try:
            self._conn.execute("ROLLBACK")
        except RuntimeError as error:
            if "No active transaction" not in str(error):
                raise StoreError(_query_error(error)) from error

    def _execute(self, text: str, params: Mapping[str, Any] | None = None) -> Any:
        try:
            return self._conn.execute(text, dict(params or {}))
        except (RuntimeError, ValueError, TypeError) as error:  # engine, or parameter conversion
            raise StoreError(_query_error(error)) from error

    def _has_tables(self) -> bool:
        return bool(self._table_names())

    def _table_names(self) -> dict[int, str]:
        if self._tables is None:
            rows = self._conn.execute("CALL show_tables() RETURN id, name").get_all()
            self._tables = {int(table_id): name for table_id, name in rows}
        return self._tables

    def _query(self, query: str, parameters: Mapping[str, Any] | None) -> Result:
        raw = self._execute(query, parameters)
        columns = list(raw.get_column_names())
        rows = raw.get_all()
        return _Normaliser(self).result(columns, rows)

    def _ids_of(self, internal: set[InternalId]) -> dict[InternalId, Node]:
        """Look up nodes that a result's relationships point at but the result did not return."""
        found: dict[InternalId, Node] = {}
        tables = self._table_names()
        for table in {t for t, _ in internal}:
            label = tables[table]
            offsets = sorted(o for t, o in internal if t == table)
            text = f"MATCH (n:{label}) WHERE offset(id(n)) IN $offsets RETURN offset(id(n)), n"
            for offset, raw in self._conn.execute(text, {"offsets": offsets}).get_all():
                found[(table, int(offset))] = _node(raw)
        return found


class _Normaliser:
    """Turns LadybugDB's dicts into Node/Relationship/Path, resolving internal ids."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store
        self.by_internal: dict[InternalId, Node] = {}
        self.pending: list[dict[str, Any]] = []

    def result(self, columns: list[str], rows: list[list[Any]]) -> Result:
        self._index(rows)
        missing = {_internal(rel[end]) for rel in self.pending for end in ("_SRC", "_DST")} - set(
            self.by_internal
        )
        if missing:
            self.by_internal.update(self.store._ids_of(missing))
        result = Result(columns=columns, rows=[])
        for row in rows:
            result.rows.append(tuple(result.collect(self._convert(v)) for v in row))
        return result

    def _index(self, value: Any) -> None:
        """First pass: remember every node by internal id and every relationship to resolve."""
        if isinstance(value, dict):
            if "_LABEL" in value and "_SRC" in value:
                self.pending.append(value)
            elif "_LABEL" in value and "_ID" in value:
                self.by_internal[_internal(value["_ID"])] = _node(value)
            for item in value.values():
                self._index(item)
        elif isinstance(value, list):
            for item in value:
                self._index(item)

    def _convert(self, value: Any) -> Any:
        if isinstance(value, dict):
            if "_NODES" in value and "_RELS" in value:
                return Path(
                    tuple(self._convert(n) for n in value["_NODES"]),
                    tuple(self._convert(r) for r in value["_RELS"]),
                )
            if "_LABEL" in value and "_SRC" in value:
                return Relationship(
                    id=str(value.get("id") or _internal(value["_ID"])),
                    type=value["_LABEL"],
                    start=self.by_internal[_internal(value["_SRC"])].id,
                    end=self.by_internal[_internal(value["_DST"])].id,
                    properties=clean_properties(value),
                )
            if "_LABEL" in value and "_ID" in value:
                return self.by_internal[_internal(value["_ID"])]
            return {k: self._convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._convert(v) for v in value]
        return value


def _open(path: FilePath, read_only: bool) -> lb.Database:
    """Open the file; after a crash, let LadybugDB recover it once before opening read-only.

    A process killed while committing leaves pages for LadybugDB to replay on the next
    read-write open, and a read-only open refuses to do that.
    """
    try:
        return lb.Database(str(path), read_only=read_only)
    except RuntimeError as error:
        if not (read_only and "replay" in str(error)):
            raise
    lb.Database(str(path)).close()  # recovery: replays, then checkpoints on close
    return lb.Database(str(path), read_only=True)


def _internal(raw_id: Mapping[str, int]) -> InternalId:
    return (int(raw_id["table"]), int(raw_id["offset"]))


def _node(raw: dict[str, Any]) -> Node:
    return Node(id=str(raw.get("id")), label=raw["_LABEL"], properties=clean_properties(raw))


def _open_error(path: FilePath, error: RuntimeError) -> str:
    text = str(error)
    if "Could not set lock" in text:
        return (
            f"{path}: the database is open in another oversight or LadybugDB process; "
            "close that process and try again"
        )
    return f"{path}: cannot open the database: {_first_line(text)}"


def _query_error(error: RuntimeError) -> str:
    text = _first_line(str(error))
    if "read-only transaction" in text or "read-only database" in text:
        return "this query writes; reads are read-only (use --write to change the graph)"
    return text


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "unknown error"
