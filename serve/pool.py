"""Read-only stores shared by request threads, each query bounded in time.

A LadybugDB connection runs one transaction at a time, so the embedded store is opened once
per worker; the Neo4j store opens a session per read and is shared. A query that runs past
the time limit is interrupted where the engine allows it, and the page says it was stopped.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from oversight.graph.errors import OversightError
from oversight.graph.store import Store

T = TypeVar("T")


class Stopped(OversightError):
    """A request's query ran past the time limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"stopped after {seconds:g} s: the query took too long; narrow it")
        self.seconds = seconds


class StorePool:
    """`size` leases on read-only stores; `run` does work on one within `timeout` seconds."""

    def __init__(self, stores: list[Store], timeout: float, *, shared: bool = False) -> None:
        self.timeout = timeout
        self._owned = list({id(s): s for s in stores}.values())
        self._free: queue.Queue[Store] = queue.Queue()
        for store in stores:
            self._free.put(store)
        self._executor = ThreadPoolExecutor(len(stores), thread_name_prefix="oversight-query")
        self._busy: dict[int, Store] = {}  # future id -> the store it holds
        self._lock = threading.Lock()
        self.shared = shared

    @classmethod
    def open(cls, first: Store, size: int, timeout: float) -> StorePool:
        """The pool around an opened store: more embedded stores on the same file, or the one
        Neo4j store shared (its reads are thread-safe)."""
        from oversight.graph.embedded import EmbeddedStore

        if isinstance(first, EmbeddedStore):
            more = [EmbeddedStore(first.path, read_only=True) for _ in range(size - 1)]
            return cls([first, *more], timeout)
        first.read_timeout = timeout  # Neo4j: the server ends a read past the limit
        return cls([first] * size, timeout, shared=True)

    def run(self, work: Callable[[Store], T], timeout: float | None = None) -> T:
        """`work(store)` on a free store; Stopped when it (with its wait) takes too long."""
        limit = self.timeout if timeout is None else timeout
        marker = object()
        future = self._executor.submit(self._leased, work, id(marker))
        try:
            return future.result(limit)
        except FutureTimeout:
            future.cancel()  # still waiting for a store: it never starts
            self._interrupt(id(marker))
            raise Stopped(limit) from None

    def _leased(self, work: Callable[[Store], T], key: int) -> T:
        with self._lease(key) as store:
            return work(store)

    @contextlib.contextmanager
    def _lease(self, key: int) -> Iterator[Store]:
        store = self._free.get()
        with self._lock:
            self._busy[key] = store
        try:
            yield store
        finally:
            with self._lock:
                self._busy.pop(key, None)
            self._free.put(store)

    def _interrupt(self, key: int) -> None:
        """Ask the engine to abandon the query (Store.interrupt); a shared Neo4j store is
        not interrupted (other pages use it): its reads carry the limit to the server."""
        with self._lock:
            store = self._busy.get(key)
        if store is not None and not self.shared:
            with contextlib.suppress(Exception):
                store.interrupt()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        for store in self._owned:
            with contextlib.suppress(Exception):
                store.close()
