"""Which store to open: the Neo4j server when a URI is given, else the embedded file.

Apart from graph/store.py so that the interface does not import the stores that implement it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from oversight.graph.store import Store, StoreError

DEFAULT_DB = "oversight.lbug"


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
