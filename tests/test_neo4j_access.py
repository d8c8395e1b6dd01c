"""Reads on Neo4j run in READ access mode, on the real server (tests/conftest.py).

The statement gate refuses a write before it reaches the store; these go past the gate
(`_read`) to check the second line of defence: every session and transaction the read path
opens is a READ one, so the server itself refuses a write.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import neo4j
import pytest
from conftest import neo4j_store
from fingerprint import fingerprint
from oversight.graph.neo4j_store import Neo4jStore
from oversight.graph.store import StoreError

NODES = {"Person": [{"id": "person/a", "name": "Ann Example"}]}
RELS = {
    ("HOLDS", "Person", "Post"): [
        {"id": "person/a|HOLDS|post/p", "from_id": "person/a", "to_id": "post/p"}
    ]
}


@pytest.fixture
def server_store(neo4j_server: dict[str, str]) -> Iterator[Neo4jStore]:
    with neo4j_store(neo4j_server) as store:
        store.load({**NODES, "Post": [{"id": "post/p", "name": "P"}]}, RELS)
        yield store  # type: ignore[misc]


class Sessions:
    """Every session the store's driver opens, and how each transaction in it is run."""

    def __init__(self, store: Neo4jStore) -> None:
        self.opened: list[neo4j.Session] = []
        self.transactions: list[str] = []
        self._driver = store._driver
        self._session = self._driver.session

    def __enter__(self) -> Sessions:
        def session(**config: Any) -> neo4j.Session:
            opened = self._session(**config)
            self.opened.append(opened)
            for kind in ("execute_read", "execute_write"):
                real = getattr(opened, kind)

                def recorded(work: Any, *args: Any, _real: Any = real, _kind: str = kind) -> Any:
                    self.transactions.append(_kind)
                    return _real(work, *args)

                setattr(opened, kind, recorded)
            return opened

        self._driver.session = session  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        self._driver.session = self._session  # type: ignore[method-assign]

    def modes(self) -> set[str]:
        return {s._config.default_access_mode for s in self.opened}


def test_a_write_past_the_gate_is_refused_by_the_server(server_store: Neo4jStore) -> None:
    before = fingerprint(server_store)
    for text in (
        "CREATE (:Person {id: 'person/z', name: 'Z'})",
        "MATCH (p:Person) SET p.name = 'changed'",
        "MATCH (n) DETACH DELETE n",
        "CREATE INDEX person_oops IF NOT EXISTS FOR (n:Person) ON (n.aliases)",
    ):
        with pytest.raises(StoreError, match=r"^this query writes; reads are read-only"):
            server_store._read(text, None)
    assert fingerprint(server_store) == before


def test_every_read_session_and_transaction_is_read_access(server_store: Neo4jStore) -> None:
    with Sessions(server_store) as sessions:
        result = server_store.read(
            "MATCH (a:Person)-[h:HOLDS]->(b) RETURN h"  # endpoints looked up after: 2 reads
        )
        server_store.counts()
    assert [(r.start, r.end) for (r,) in result.rows] == [("person/a", "post/p")]
    assert sessions.opened and sessions.modes() == {neo4j.READ_ACCESS}
    assert set(sessions.transactions) == {"execute_read"}
    with Sessions(server_store) as sessions:
        server_store.write("MATCH (p:Person {id: 'person/a'}) SET p.name = 'Ann'")
    assert sessions.modes() == {neo4j.WRITE_ACCESS}
    assert sessions.transactions == ["execute_write"]
