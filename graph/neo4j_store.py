"""The server store: Neo4j 5 through the official driver, for teams sharing one graph."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j import graph as neo4j_graph

from graph import statements
from graph.result import Node, Path, Relationship, Result, clean_properties
from graph.schema import Schema
from graph.store import Store, StoreError


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
    ) -> None:
        super().__init__(model)
        self.uri = uri
        self.database = database
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
            self._driver.verify_connectivity()
        except neo4j_errors.AuthError as error:
            raise StoreError(
                f"{uri}: Neo4j refused the user name or password (NEO4J_USERNAME, NEO4J_PASSWORD)"
            ) from error
        except (neo4j_errors.ServiceUnavailable, ValueError, OSError) as error:
            raise StoreError(f"{uri}: cannot reach Neo4j: {_first_line(error)}") from error

    def close(self) -> None:
        self._driver.close()

    def apply_schema(self) -> None:
        with self._session() as session:
            for text in statements.neo4j_schema(self.schema):
                self._guard(lambda text=text: session.run(text).consume())

    def _run_in_write_transaction(self, work: Iterable[tuple[str, dict[str, Any]]]) -> None:
        batches = list(work)  # a retried transaction must see every batch again
        with self._session() as session:

            def run_all(tx: neo4j.ManagedTransaction) -> None:
                for text, params in batches:
                    tx.run(text, params).consume()

            self._guard(lambda: session.execute_write(run_all))

    def read(self, query: str, parameters: Mapping[str, Any] | None = None) -> Result:
        return self._query(query, parameters, neo4j.READ_ACCESS)

    def write(self, query: str, parameters: Mapping[str, Any] | None = None) -> Result:
        return self._query(query, parameters, neo4j.WRITE_ACCESS)

    def _session(self, access: str = neo4j.WRITE_ACCESS) -> neo4j.Session:
        return self._driver.session(database=self.database, default_access_mode=access)

    def _query(self, query: str, parameters: Mapping[str, Any] | None, access: str) -> Result:
        def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[list[Any]]]:
            cursor = tx.run(query, dict(parameters or {}))
            return list(cursor.keys()), [list(record.values()) for record in cursor]

        with self._session(access) as session:
            run = session.execute_read if access == neo4j.READ_ACCESS else session.execute_write
            columns, rows = self._guard(lambda: run(work))
            return _Normaliser(self, session).result(columns, rows)

    def _guard(self, work: Any) -> Any:
        try:
            return work()
        except neo4j_errors.ClientError as error:
            if "write" in (error.message or "").lower() and "read" in (error.message or "").lower():
                raise StoreError(
                    "this query writes; reads are read-only (use --write to change the graph)"
                ) from error
            raise StoreError(_first_line(error.message or error)) from error
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as error:
            raise StoreError(
                f"{self.uri}: lost the connection to Neo4j: {_first_line(error)}"
            ) from error


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
            records = self.session.execute_read(
                lambda tx: list(tx.run(statements.NEO4J_ENDPOINTS, {"ids": missing}))
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


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
