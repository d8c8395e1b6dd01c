"""The Neo4j store when things go wrong: unreachable, wrong password, connection dropped.

Every failure is one line on stderr, from the CLI in a subprocess. A real Neo4j 5.26 (the
session's server, tests/conftest.py) gives the answers and refuses the wrong password; the
fake server (tests/fake_bolt.py, enough Bolt for the real driver, and it answers every query
with one row, [1]) is only for what a real server will not do on demand: never answer, or
drop the connection in the middle of a load or at its commit.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest
from fake_bolt import FakeBolt
from oversight.graph.neo4j_store import CONNECTION_TIMEOUT, MAX_RETRY_TIME, Neo4jStore
from oversight.graph.store import StoreError

PASSWORD = "s3cret-Pa55"
NODES = {"Person": [{"id": "person/a", "name": "Ann Example"}]}  # one batch: RUN, PULL


@pytest.fixture
def fake_neo4j() -> Iterator[Callable[..., FakeBolt]]:
    """Start fake servers (FakeBolt options); all of them stop when the test ends."""
    with contextlib.ExitStack() as servers:
        yield lambda **options: servers.enter_context(FakeBolt(**options))


def oversight(*args: str, password: str = PASSWORD) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "OVERSIGHT_"))}
    env |= {"NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": password}
    return subprocess.run(
        [sys.executable, "-m", "oversight", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def one_error_line(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


def store(uri: str, password: str = PASSWORD, **options: float) -> Neo4jStore:
    return Neo4jStore(uri, user="neo4j", password=password, **options)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again: nothing listens there


def test_the_fake_server_speaks_enough_bolt_for_a_load(fake_neo4j: Callable[..., FakeBolt]) -> None:
    """The driver gets through a load on the fake (its answers mean nothing: see the real one)."""
    server = fake_neo4j()
    for uri in (server.uri, server.uri.replace("bolt://", "neo4j://")):  # neo4j:// routes
        with store(uri) as opened:
            opened.load(NODES, {})
    assert server.received.count("BEGIN") == server.received.count("COMMIT") > 0
    assert {"HELLO", "LOGON", "ROUTE", "RUN", "PULL", "GOODBYE"} <= set(server.received)


def test_a_load_on_the_real_server_answers_truly(neo4j_server: dict[str, str]) -> None:
    """What the fake cannot say: the counts after a load, and a second load adding to them."""
    uri, password = neo4j_server["NEO4J_URI"], neo4j_server["NEO4J_PASSWORD"]
    for scheme in ("bolt://", "neo4j://"):  # neo4j:// routes
        with store(uri.replace("bolt://", scheme), password) as opened:
            opened.clear()
            opened.load(NODES, {})
            assert opened.counts()["nodes"]["Person"] == 1
            more = [{"id": f"person/{n}", "name": f"Person {n}"} for n in "bcd"]
            opened.load({"Person": more}, {})
            assert opened.counts()["nodes"]["Person"] == 4
            names = opened.read("MATCH (p:Person) RETURN p.name AS name ORDER BY name").rows
            assert names == [("Ann Example",), ("Person b",), ("Person c",), ("Person d",)]
            assert opened.counts()["nodes"]["Post"] == 0
    stats = oversight("--neo4j", uri, "stats", "--format", "json", password=password)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["nodes"]["Person"] == 4


def test_unreachable() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    line = one_error_line(oversight("--neo4j", uri, "stats"))
    assert line == f"error: {uri}: cannot reach Neo4j: connection refused"


def test_a_host_name_that_does_not_resolve_fails_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"^bolt://no-such-host\.invalid:7687: cannot reach Neo4j"):
        store("bolt://no-such-host.invalid:7687")
    # the driver's connection_timeout does not bound DNS: the resolver's own timeouts do
    assert time.monotonic() - started < 2 * CONNECTION_TIMEOUT


def test_a_server_that_never_answers_times_out(fake_neo4j: Callable[..., FakeBolt]) -> None:
    server = fake_neo4j(mute=True)
    started = time.monotonic()
    with pytest.raises(StoreError, match="cannot reach Neo4j: timed out"):
        store(server.uri, connection_timeout=0.5)
    assert time.monotonic() - started < 3  # the handshake waits 2 * connection_timeout


def test_not_a_neo4j_uri() -> None:
    with pytest.raises(StoreError, match=r"^http://127\.0\.0\.1:7474: not a Neo4j URI: URI sch"):
        store("http://127.0.0.1:7474")


@pytest.mark.parametrize("debug", [False, True])
def test_wrong_password(neo4j_server: dict[str, str], debug: bool) -> None:
    """The real server refuses it (two attempts in all: Neo4j locks a user out after three)."""
    uri = neo4j_server["NEO4J_URI"]
    if not neo4j_server["NEO4J_PASSWORD"]:
        pytest.skip("the Neo4j server at NEO4J_URI runs without authentication")
    run = oversight(*(["--debug"] if debug else []), "--neo4j", uri, "stats")
    assert PASSWORD not in run.stdout + run.stderr
    expected = f"{uri}: Neo4j refused the user name or password (NEO4J_USERNAME, NEO4J_PASSWORD)"
    if debug:  # a traceback, ending with our error
        assert run.returncode == 1
        assert run.stderr.splitlines()[-1] == f"oversight.graph.store.StoreError: {expected}"
    else:
        assert one_error_line(run) == f"error: {expected}"


def test_connection_dropped_mid_load(fake_neo4j: Callable[..., FakeBolt]) -> None:
    server = fake_neo4j(drop_after=3)  # BEGIN, RUN, PULL of the first batch; then it drops
    started = time.monotonic()
    line = one_error_line(oversight("--neo4j", server.uri, "load"))
    elapsed = time.monotonic() - started
    assert line == f"error: {server.uri}: lost the connection to Neo4j"
    # the driver retried the transaction on new connections for MAX_RETRY_TIME, not 30 s:
    # attempts at about 0, 1 and 3 s, then it gave up
    assert server.received.count("BEGIN") > 1
    assert "COMMIT" not in server.received
    assert elapsed < MAX_RETRY_TIME + 4


def test_connection_dropped_at_commit(fake_neo4j: Callable[..., FakeBolt]) -> None:
    # BEGIN, then RUN and PULL of the write lock, the one batch and the unlock
    # (graph/statements.py, neo4j_write_lock); it drops at COMMIT
    server = fake_neo4j(drop_after=7)
    with store(server.uri) as opened, pytest.raises(StoreError) as failure:
        opened.load(NODES, {})
    assert str(failure.value).startswith(
        f"{server.uri}: lost the connection to Neo4j while committing; the changes may or may not"
    )
    assert server.received.count("BEGIN") == 1  # the outcome is unknown: no retry


def test_one_dropped_connection_is_retried(fake_neo4j: Callable[..., FakeBolt]) -> None:
    server = fake_neo4j(drop_after=1, drops=1)
    with store(server.uri) as opened:
        opened.load({"Person": NODES["Person"] * 2}, {}, batch_size=1)
    assert server.received.count("BEGIN") == 2  # the whole transaction, again
    assert server.received.count("COMMIT") == 1
