"""The server store: Neo4j 5 through the official driver, for teams sharing one graph."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j import graph as neo4j_graph
from oversight.graph import statements
from oversight.graph.result import Node, Path, Relationship, Result, clean_properties
from oversight.graph.schema import Schema
from oversight.graph.store import Store, StoreError
from oversight.graph.stores import scrubbed, shown_uri

CONNECTION_TIMEOUT = 5.0  # seconds to connect; twice that to connect, handshake and log in
# How long the driver goes on retrying a transaction that failed transiently (a dropped
# connection, a deadlock): its default is 30 s. It waits about 1, 2, 4 ... s between attempts
# and checks the time only between them, so 2 s means three attempts over about 3 s (5 s
# would mean four over about 7 s). Enough for a dropped idle connection; a CLI should not
# sit for longer, and a load is one transaction the user can simply run again.
MAX_RETRY_TIME = 2.0
_REFUSED = "Neo4j refused the user name or password (NEO4J_USERNAME, NEO4J_PASSWORD)"

# The driver logs a dropped connection and each retry at WARNING/ERROR; with no handler
# configured, Python would print those to stderr next to our one-line error.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


class Neo4jStore(Store):
    name = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str,
        password: str,
        database: str | None = None,
        model: Schema | None = None,
        connection_timeout: float = CONNECTION_TIMEOUT,
        max_transaction_retry_time: float = MAX_RETRY_TIME,
    ) -> None:
        super().__init__(model)
        self.uri = shown_uri(uri)  # for messages; the password is never in one
        self.database = database
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=connection_timeout,
                # the handshake and login wait for this, not connection_timeout
                connection_acquisition_timeout=2 * connection_timeout,
                max_transaction_retry_time=max_transaction_retry_time,
            )
        except (neo4j_errors.ConfigurationError, ValueError) as error:
            # from None: the driver's own message may quote the URI's query, secrets and all
            why = scrubbed(_first_line(error), uri)
            raise StoreError(f"{self.uri}: not a Neo4j URI: {why}") from None
        try:
            self._driver.verify_connectivity()
        except neo4j_errors.AuthError as error:
            self._driver.close()
            raise StoreError(f"{self.uri}: {_REFUSED}") from error
        except (neo4j_errors.ServiceUnavailable, ValueError, OSError) as error:
            self._driver.close()  # ValueError: the host name does not resolve
            raise StoreError(f"{self.uri}: cannot reach Neo4j: {_reason(error)}") from error
        except neo4j_errors.UnsupportedServerProduct as error:
            self._driver.close()
            raise StoreError(f"{self.uri}: not a Neo4j server: {_first_line(error)}") from error
        except BaseException as error:
            self._driver.close()
            self._raise_store_error(error)
            raise

    def close(self) -> None:
        self._driver.close()

    def apply_schema(self) -> None:
        with self._session() as session:
            for text in statements.neo4j_schema(self.schema):
                self._guard(lambda text=text: session.run(text).consume())

    def _run_in_write_transaction(self, work: Iterable[tuple[str, dict[str, Any]]]) -> None:
        batches = list(work)  # a retried transaction must see every batch again
        lock, unlock = statements.neo4j_write_lock(self.schema)
        key = {"lock": statements.WRITE_LOCK_ID}
        with self._session() as session:

            def run_all(tx: neo4j.ManagedTransaction) -> None:
                tx.run(lock, key).consume()  # one writer at a time (see statements.py)
                for text, params in batches:
                    tx.run(text, params).consume()
                tx.run(unlock, key).consume()

            self._guard(lambda: session.execute_write(run_all))

    def _read(self, query: str, parameters: Mapping[str, Any] | None) -> Result:
        return self._query(query, parameters, neo4j.READ_ACCESS)

    def _write(self, query: str, parameters: Mapping[str, Any] | None) -> Result:
        return self._query(query, parameters, neo4j.WRITE_ACCESS)

    def _session(self, access: str = neo4j.WRITE_ACCESS) -> neo4j.Session:
        return self._driver.session(database=self.database, default_access_mode=access)

    def _query(self, query: str, parameters: Mapping[str, Any] | None, access: str) -> Result:
        def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[list[Any]]]:
            cursor = tx.run(query, dict(parameters or {}))
            return list(cursor.keys()), [list(record.values()) for record in cursor]

        if access == neo4j.READ_ACCESS and self.read_timeout is not None:
            # The server ends the transaction past the limit (and the driver does not retry).
            work = neo4j.unit_of_work(timeout=self.read_timeout)(work)
        with self._session(access) as session:
            run = session.execute_read if access == neo4j.READ_ACCESS else session.execute_write
            columns, rows = self._guard(lambda: run(work))
            return _Normaliser(self, session).result(columns, rows)

    def _guard(self, work: Any) -> Any:
        try:
            return work()
        except Exception as error:
            self._raise_store_error(error)
            raise

    def _raise_store_error(self, error: BaseException) -> None:
        """Raise the one-line StoreError for a failure a user can meet; return for anything else."""
        where = self.uri
        if isinstance(error, neo4j_errors.IncompleteCommit):
            raise StoreError(
                f"{where}: lost the connection to Neo4j while committing; the changes may or may "
                "not have been saved (a load can safely be run again)"
            ) from error
        if isinstance(
            error, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired | OSError
        ):
            why = _socket_error(error)  # else the driver's text, which is mostly addresses
            raise StoreError(
                f"{where}: lost the connection to Neo4j" + (f": {why}" if why else "")
            ) from error
        if isinstance(error, neo4j_errors.AuthError):
            raise StoreError(f"{where}: {_REFUSED}") from error
        if isinstance(error, neo4j_errors.ClientError):
            message = (error.message or "").lower()
            if "write" in message and "read" in message:
                raise StoreError(
                    "this query writes; reads are read-only (use --write to change the graph)"
                ) from error
            raise StoreError(_first_line(error.message or error)) from error
        if isinstance(error, neo4j_errors.TransientError):
            raise StoreError(
                f"{where}: Neo4j could not finish, even after retrying; try again: "
                f"{_first_line(error.message or error)}"
            ) from error
        if isinstance(error, neo4j_errors.Neo4jError):
            raise StoreError(
                f"{where}: Neo4j failed: {_first_line(error.message or error)}"
            ) from error
        if isinstance(error, neo4j_errors.DriverError):
            raise StoreError(f"{where}: the Neo4j driver failed: {_first_line(error)}") from error


class _Normaliser:
    def __init__(self, store: Neo4jStore, session: neo4j.Session) -> None:
        self.store = store
        self.session = session
        self.ids: dict[str, str] = {}  # element id -> project id
        self.pending: set[str] = set()  # element ids of relationship endpoints

    def result(self, columns: list[str], rows: list[list[Any]]) -> Result:
        self._index(rows)
        missing = sorted(self.pending - set(self.ids))
        if missing:
            records = self.store._guard(
                lambda: self.session.execute_read(
                    lambda tx: list(tx.run(statements.NEO4J_ENDPOINTS, {"ids": missing}))
                )
            )
            for record in records:
                self.ids[record["element"]] = str(record["n"].get("id"))
        result = Result(columns=columns, rows=[])
        for row in rows:
            result.rows.append(tuple(result.collect(self._convert(v)) for v in row))
        return result

    def _index(self, value: Any) -> None:
        if isinstance(value, neo4j_graph.Node):
            self.ids[value.element_id] = str(value.get("id", value.element_id))
        elif isinstance(value, neo4j_graph.Relationship):
            self.pending |= {value.start_node.element_id, value.end_node.element_id}
        elif isinstance(value, neo4j_graph.Path):
            for node in value.nodes:
                self._index(node)
            for rel in value.relationships:
                self._index(rel)
        elif isinstance(value, list | tuple):
            for item in value:
                self._index(item)
        elif isinstance(value, dict):
            for item in value.values():
                self._index(item)

    def _convert(self, value: Any) -> Any:
        if isinstance(value, neo4j_graph.Node):
            label = next(iter(value.labels), "")
            return Node(self.ids[value.element_id], label, _native(clean_properties(dict(value))))
        if isinstance(value, neo4j_graph.Relationship):
            return Relationship(
                id=str(value.get("id", value.element_id)),
                type=value.type,
                start=self.ids[value.start_node.element_id],
                end=self.ids[value.end_node.element_id],
                properties=_native(clean_properties(dict(value))),
            )
        if isinstance(value, neo4j_graph.Path):
            return Path(
                tuple(self._convert(n) for n in value.nodes),
                tuple(self._convert(r) for r in value.relationships),
            )
        if isinstance(value, list | tuple):
            return [self._convert(v) for v in value]
        if isinstance(value, dict):
            return {k: self._convert(v) for k, v in value.items()}
        return _native(value)


def _native(value: Any) -> Any:
    """neo4j.time values become datetime values, like LadybugDB's."""
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_native(v) for v in value]
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def _reason(error: BaseException) -> str:
    """Why a connection failed, in a few words: the socket's error, else the driver's last line."""
    lines = str(error).strip().splitlines()
    return _socket_error(error) or (lines[-1] if lines else type(error).__name__)


def _socket_error(error: BaseException) -> str | None:
    """The operating system's words for the failure under `error`, if one is in its causes."""
    cause: BaseException | None = error
    for _ in range(10):  # a chain of causes is short; this bounds a cyclic one
        if cause is None:
            return None
        if isinstance(cause, TimeoutError):
            return "timed out"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror[:1].lower() + cause.strerror[1:]
        cause = cause.__cause__ or cause.__context__
    return None


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
