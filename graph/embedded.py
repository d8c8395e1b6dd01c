"""The embedded store: a LadybugDB file, no server.

Every write is atomic without trusting the engine's own recovery: it runs against a scratch
copy beside the file (`NAME.lbug.write-PID`), which is committed, checkpointed and fsynced
and then renamed over the original (see `_atomic`). A kill, a full disk or Ctrl-C at any
instant leaves either the old file, byte for byte, or the new one; a stray scratch copy is
removed by the next read-write open. The original is only ever replaced, never written.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path as FilePath
from typing import Any

import real_ladybug as lb
from oversight.graph import bulk, statements
from oversight.graph.errors import OversightError
from oversight.graph.plans import PlanCache
from oversight.graph.result import Node, Path, Relationship, Result, clean_properties
from oversight.graph.schema import Schema
from oversight.graph.store import BATCH_SIZE, NodeRows, Progress, RelRows, Store, StoreError

InternalId = tuple[int, int]  # (table, offset)
SCRATCH = ".write-"  # NAME.lbug.write-PID: the copy a write works on
WAL = ".wal"
# Free space asked for before a write, beyond the scratch copy: LadybugDB grew a file by about
# 4 KB per stored element, plus about 1 KB of log, loading synthetic data (N=20, 16.7k
# elements: 25 MB -> 92 MB, 13 MB of log). The engine aborts the process when its log write
# meets a full disk (the original file is untouched then, but the user sees no clean message),
# so a write that plainly will not fit is refused before it starts.
BYTES_PER_ELEMENT = 8 * 1024
HEADROOM = 16 * 1024 * 1024


class WriteInterrupted(OversightError):
    """Ctrl-C during a write; says truthfully whether the write was saved."""

    exit_code = 130

    def __init__(self, path: FilePath, saved: bool) -> None:
        what = "the write had completed and is saved" if saved else "nothing was written"
        super().__init__(f"{path}: interrupted; {what}")
        self.saved = saved


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
        _check_is_database(path)
        self._lock = None if read_only else _take_write_lock(path)
        self._tables: dict[int, str] | None = None
        self._schema_applied = False
        self._scratch: FilePath | None = None  # the copy being written, inside `_atomic`
        self._written: list[str] = []  # the statements run on it
        self._db = self._conn = None
        self._plans = PlanCache()  # reads' prepared statements, for the current connection
        if not read_only:
            _remove_strays(path)  # we hold the write lock: no other writer is alive
            _fold_log(path)
            if not path.exists():
                with self._atomic():  # a new, empty database, made like any other write
                    pass
        # The file itself is only ever opened read-only: closing a read-write LadybugDB
        # database rewrites its header, which a kill could tear. (A write, like the one that
        # made a new file, ends with it open so: it is not opened twice.)
        if self._conn is None:
            self._db, self._conn = self._connect(path, read_only=True)

    def interrupt(self) -> None:
        """Abandon the running statement (LadybugDB's Connection.interrupt); it fails with
        "Interrupted." in the thread that ran it."""
        if self._conn is not None:
            self._conn.interrupt()

    def close(self) -> None:
        self._disconnect()
        if self._lock is not None:
            self._lock.close()  # releases the write lock

    def _connect(
        self, path: FilePath, read_only: bool, elements: int = 0
    ) -> tuple[lb.Database, lb.Connection]:
        try:
            db = _open(path, read_only, _pool_bytes(path, elements))
        except RuntimeError as error:
            raise StoreError(_open_error(path, error)) from error
        return db, lb.Connection(db)

    def _disconnect(self) -> None:
        self._plans.clear()  # statements go before the connection they belong to
        if self._conn is not None:
            self._conn.close()
            self._db.close()
        self._db = self._conn = None

    @contextlib.contextmanager
    def _atomic(self, elements: int = 0) -> Iterator[None]:
        """Run the writes inside on a scratch copy; rename it over the file when all succeed.

        Nested use joins the outer write. The engine's transaction still groups the statements,
        but atomicity does not rest on its rollback or its crash recovery: until the rename,
        the original file has not been touched; the rename itself is atomic.
        """
        if self._scratch is not None:
            yield
            return
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot write")
        scratch = self.path.with_name(f"{self.path.name}{SCRATCH}{os.getpid()}")
        original = self._db, self._conn
        saved = False
        try:
            _check_free_space(self.path, elements)
            _copy_for_writing(self.path, scratch)
            self._db, self._conn = self._connect(scratch, read_only=False, elements=elements)
            self._scratch = scratch
            self._written = []
            filled = self._list_tables()
            yield
            self._rewrite_relationship_lists(filled)
            self._execute("CHECKPOINT")
            self._disconnect()
            _fsync_file(scratch)
            if _wal(scratch).exists():
                raise StoreError(f"{scratch}: the engine left a write-ahead log; nothing saved")
            self._db, self._conn = original
            self._disconnect()
            original = None, None  # closed: a failure from here on opens the file anew
            os.replace(scratch, self.path)
            saved = True
            _fsync_dir(self.path.parent)
            self._db, self._conn = self._connect(self.path, read_only=True)
        except KeyboardInterrupt as interrupt:
            self._after_failed_write(scratch, original, saved)
            raise WriteInterrupted(self.path, saved) from interrupt
        except OSError as error:  # copying, syncing or renaming the file
            self._after_failed_write(scratch, original, saved)
            message = f"{self.path}: cannot write: {error.strerror}; {_state(saved)}"
            raise StoreError(message) from error
        except BaseException:
            self._after_failed_write(scratch, original, saved)
            raise
        finally:
            self._scratch = None
            self._tables = None

    def _after_failed_write(
        self, scratch: FilePath, original: tuple[Any, Any], saved: bool
    ) -> None:
        """Drop the scratch copy and go back to the file as it is now (old, or new if saved)."""
        if self._conn is not original[1]:
            with contextlib.suppress(Exception):
                self._disconnect()
            self._db, self._conn = original
        _remove(scratch)
        if not saved:
            self._schema_applied = False
        if saved or self._conn is None or not self.path.exists():
            with contextlib.suppress(StoreError, RuntimeError):
                self._disconnect()
            if self.path.exists():
                with contextlib.suppress(StoreError):
                    self._db, self._conn = self._connect(self.path, read_only=True)

    def _list_tables(self) -> dict[str, list[str]]:
        """Relationship tables that exist and hold rows, with their list columns."""
        self._tables = None
        existing = set(self._table_names().values())
        columns_of = statements.ladybug_columns(self.schema)
        found = {}
        for reltype in self.schema.reltypes:
            columns = columns_of[reltype.name]
            lists = [name for name, type_ in columns if type_.endswith("[]")]
            if lists and reltype.name in existing:
                text = f"MATCH ()-[r:{reltype.name}]->() RETURN 1 LIMIT 1"
                if self._conn.execute(text).get_all():
                    found[reltype.name] = lists
        return found

    def _rewrite_relationship_lists(self, filled: dict[str, list[str]]) -> None:
        """Before CHECKPOINT: set every list property of the relationships in each table this
        write changed, among those that held rows before it (`filled`), to itself.

        LadybugDB 0.14.1 corrupts the list columns of a relationship table at CHECKPOINT when a
        write inserted, updated or deleted some of its stored relationships: the lists of
        others take their neighbours' values (`cite_refs` p79 became p80). tests/test_fuzz.py
        found it; tests/test_store.py::test_a_later_write_keeps_the_lists_of_stored_relationships
        keeps it found. Rewriting the whole column in the same write avoids it. A table counts
        as changed when a statement of the write names it or deletes anything; a table the
        write dropped and made again holds only new rows.
        """
        texts = list(self._written)
        deletes = any("DELETE" in text.upper() for text in texts)
        for table, lists in filled.items():
            named = re.compile(rf"\b{table}\b")
            if any(text.startswith(f"DROP TABLE IF EXISTS {table}") for text in texts):
                continue
            if deletes or any(named.search(text) for text in texts):
                sets = ", ".join(f"r.{name} = r.{name}" for name in lists)
                self._run_in_write_transaction([(f"MATCH ()-[r:{table}]->() SET {sets}", {})])

    def apply_schema(self) -> None:
        if self._schema_applied or self.read_only:
            return
        with self._atomic():
            self._run_in_write_transaction(
                (text, {}) for text in statements.ladybug_ddl(self.schema)
            )
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
        elements = sum(map(len, nodes.values())) + sum(map(len, relationships.values()))
        with self._atomic(elements):
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
        with self._atomic():
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
            result = self._query(query, parameters, reuse_plan=True)
        finally:
            self._rollback()
        return result

    def _write(self, query: str, parameters: Mapping[str, Any] | None) -> Result:
        with self._atomic():
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
        if self._scratch is not None:
            self._written.append(text)  # see _rewrite_relationship_lists
        with _query_errors():
            return self._conn.execute(text, dict(params or {}))

    def _execute_planned(self, text: str, params: Mapping[str, Any] | None) -> Any:
        """Run a read with the plan kept from an earlier run of it (graph/plans.py); None if
        the text does not prepare, so that `_execute` runs it and reports its error."""
        with _query_errors():
            statement = self._plans.prepared(self._conn, text, params or {})
            if statement is None:
                return None
            return self._conn.execute(statement, dict(params or {}))

    def _has_tables(self) -> bool:
        return bool(self._table_names())

    def _table_names(self) -> dict[int, str]:
        if self._tables is None:
            rows = self._conn.execute("CALL show_tables() RETURN id, name").get_all()
            self._tables = {int(table_id): name for table_id, name in rows}
        return self._tables

    def _query(
        self, query: str, parameters: Mapping[str, Any] | None, *, reuse_plan: bool = False
    ) -> Result:
        raw = self._execute_planned(query, parameters) if reuse_plan else None
        if raw is None:
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
            params = {"offsets": offsets}  # planned once per label (~4 ms each time, else)
            result = self._execute_planned(text, params)
            if result is None:  # it did not prepare: run as it is, for the engine's error
                result = self._conn.execute(text, params)
            for offset, raw in result.get_all():
                found[(table, int(offset))] = _node(raw)
        return found


class _Normaliser:
    """Turns LadybugDB's dicts into Node/Relationship/Path, resolving internal ids."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store
        self.by_internal: dict[InternalId, Node] = {}
        self.pending: list[dict[str, Any]] = []
        self.rels: dict[InternalId, Relationship] = {}  # one record per relationship

    def result(self, columns: list[str], rows: list[list[Any]]) -> Result:
        for row in rows:
            for value in row:
                if isinstance(value, dict | list):
                    self._index(value)
        if not self.by_internal and not self.pending:  # plain values only: nothing to convert
            return Result(columns=columns, rows=[tuple(row) for row in rows])
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
        """First pass: remember every node by internal id and every relationship to resolve.

        A node's or relationship's own values hold no graph elements: not searched."""
        if isinstance(value, dict):
            if "_LABEL" in value and "_SRC" in value:
                self.pending.append(value)
                return
            if "_LABEL" in value and "_ID" in value:
                internal = _internal(value["_ID"])
                if internal not in self.by_internal:
                    self.by_internal[internal] = _node(value)
                return
            for item in value.values():
                if isinstance(item, dict | list):
                    self._index(item)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict | list):
                    self._index(item)

    def _convert(self, value: Any) -> Any:
        if isinstance(value, dict):
            if "_NODES" in value and "_RELS" in value:
                return Path(
                    tuple(self._convert(n) for n in value["_NODES"]),
                    tuple(self._convert(r) for r in value["_RELS"]),
                )
            if "_LABEL" in value and "_SRC" in value:
                internal = _internal(value["_ID"])
                rel = self.rels.get(internal)
                if rel is None:
                    rel = self.rels[internal] = Relationship(
                        id=str(value.get("id") or internal),
                        type=value["_LABEL"],
                        start=self.by_internal[_internal(value["_SRC"])].id,
                        end=self.by_internal[_internal(value["_DST"])].id,
                        properties=clean_properties(value),
                    )
                return rel
            if "_LABEL" in value and "_ID" in value:
                return self.by_internal[_internal(value["_ID"])]
            return {k: self._convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._convert(v) for v in value]
        return value


def _open(path: FilePath, read_only: bool, pool: int) -> lb.Database:
    """Open the file; after a crash, let LadybugDB recover it once before opening read-only.

    A process killed while committing leaves pages for LadybugDB to replay on the next
    read-write open, and a read-only open refuses to do that.
    """
    try:
        return lb.Database(str(path), read_only=read_only, buffer_pool_size=pool)
    except RuntimeError as error:
        if not (read_only and "replay" in str(error)):
            raise
    lb.Database(str(path)).close()  # recovery: replays, then checkpoints on close
    return lb.Database(str(path), read_only=True, buffer_pool_size=pool)


def _pool_bytes(path: FilePath, elements: int = 0) -> int:
    """The buffer pool for an open: room for the file four times over and 4 KiB for each
    element a write brings, at least 1 GiB, at most the engine's default (80% of the RAM).

    LadybugDB keeps state for every page of its pool, touched at open: its default (19 GB on
    a 24 GB machine) cost about 50 MB more memory than 1 GB did, at every open. One COPY of
    437,650 elements (a 50 MB dataset) ran in a pool of 192 MB; this gives it 2.9 GB.
    """
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0
    wanted = max(2**30, 4 * size + 4096 * elements)
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not on this system: the wanted size
        return wanted
    return min(wanted, int(ram * 0.8))


def _fold_log(path: FilePath) -> None:
    """A write-ahead log beside the file (a process that wrote to it directly was killed
    after committing): let LadybugDB replay it into the file once, as `_open` does.

    A write works on a copy of the file and renames it over the original; a log left beside
    the new file would be replayed onto it again at the next open (a duplicate primary key:
    the file no longer opens).
    """
    if path.exists() and _wal(path).exists():
        try:
            lb.Database(str(path)).close()  # replays, then checkpoints on close
        except RuntimeError as error:
            raise StoreError(_open_error(path, error)) from error


def _check_is_database(path: FilePath) -> None:
    """Refuse what would be silently turned into a database (LadybugDB takes an empty file)."""
    if not path.exists() and not path.is_symlink():
        return
    if not path.is_file():
        raise StoreError(f"{path}: not an oversight database (not a regular file)")
    if path.stat().st_size == 0:
        raise StoreError(f"{path}: not an oversight database (the file is empty)")


def _take_write_lock(path: FilePath) -> Any:
    """One writer at a time: an exclusive flock on NAME.lbug.lock, held while the store is open.

    Not on the database file: a write replaces that file, and a lock on the old one would not
    stop a writer that opens the new one. (LadybugDB's own locks are fcntl locks on the
    database file; flock locks are separate from them.)
    """
    lock = open(path.with_name(path.name + ".lock"), "a+b")  # noqa: SIM115 -- held open
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as error:
        lock.close()
        raise StoreError(
            f"{path}: the database is open in another oversight or LadybugDB process; "
            "close that process and try again"
        ) from error
    return lock


def _check_free_space(path: FilePath, elements: int) -> None:
    size = sum(p.stat().st_size for p in (path, _wal(path)) if p.exists())
    need = size + elements * BYTES_PER_ELEMENT + HEADROOM
    free = shutil.disk_usage(path.parent).free
    if free < need:
        raise StoreError(
            f"{path}: not enough free space in {path.parent} for this write: it needs about "
            f"{_mb(need)} (a copy of the store and room to grow), {_mb(free)} is free; "
            "nothing was written"
        )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def _state(saved: bool) -> str:
    return "the write is saved" if saved else "nothing was written"


def _wal(path: FilePath) -> FilePath:
    return path.with_name(path.name + WAL)


def _copy_for_writing(original: FilePath, scratch: FilePath) -> None:
    """The scratch copy a write works on; the original's log (from an older version) too."""
    _remove(scratch)
    if original.exists():
        shutil.copyfile(original, scratch)
        if _wal(original).exists():
            shutil.copyfile(_wal(original), _wal(scratch))


def _remove_strays(path: FilePath) -> None:
    """Scratch copies left by a killed write: never renamed, so never part of the store."""
    for stray in path.parent.glob(f"{path.name}{SCRATCH}*"):
        if not stray.name.endswith(WAL):
            _remove(stray)


def _remove(scratch: FilePath) -> None:
    for leftover in (scratch, _wal(scratch), scratch.with_name(scratch.name + ".shadow")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _fsync_file(path: FilePath) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: FilePath) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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


@contextlib.contextmanager
def _query_errors() -> Iterator[None]:
    """The engine's errors, and its parameter conversion's, as one-line StoreErrors."""
    try:
        yield
    except (RuntimeError, ValueError, TypeError) as error:
        raise StoreError(_query_error(error)) from error


def _query_error(error: RuntimeError) -> str:
    text = _first_line(str(error))
    if "read-only transaction" in text or "read-only database" in text:
        return "this query writes; reads are read-only (use --write to change the graph)"
    return text


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "unknown error"
