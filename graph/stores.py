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
    uri = chosen_uri(neo4j_uri)
    if uri:
        from oversight.graph.neo4j_store import Neo4jStore

        password = os.environ.get("NEO4J_PASSWORD")
        if password is None:
            if ask_password is None:
                raise StoreError(
                    f"{shown_uri(uri)}: set NEO4J_PASSWORD to the Neo4j password "
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

    return EmbeddedStore(Path(chosen_file(db)), read_only=read_only)


def chosen_uri(neo4j_uri: str | None) -> str | None:
    """The Neo4j server open_store opens (the URI given, else NEO4J_URI), or None: the file."""
    return neo4j_uri or os.environ.get("NEO4J_URI") or None


def chosen_file(db: str | os.PathLike[str] | None) -> str:
    """The embedded file open_store opens when no URI is chosen: the one given, else
    OVERSIGHT_DB, else oversight.lbug."""
    return os.fspath(db or os.environ.get("OVERSIGHT_DB") or DEFAULT_DB)


def shown_uri(uri: str) -> str:
    """A URI as messages may show it: no user name or password, no query values, no fragment.

    `bolt://user:pw@host:7687/db?password=pw#x` is shown as `bolt://host:7687/db?password=***`.
    Everything up to the last `@` is taken for user info (a password may hold `/`, `?`, `#` or
    `@`); every query value is masked, since a URI's query may carry a token.
    """
    scheme, sep, rest = uri.partition("://")
    if not sep:
        scheme, rest = "", uri
    rest = rest.rpartition("@")[2]
    rest = rest.partition("#")[0]
    place, question, query = rest.partition("?")
    if question:
        masked = [
            f"{part.partition('=')[0]}=***" if part else ""
            for part in query.replace(";", "&").split("&")
        ]
        place += "?" + "&".join(masked)
    return f"{scheme}://{place}" if sep else place


def scrubbed(text: str, uri: str) -> str:
    """`text` (a driver's message) with the secret parts of `uri` masked wherever they appear."""
    rest = uri.partition("://")[2] or uri
    user_info, at, _ = rest.rpartition("@")
    query = rest.rpartition("@")[2].partition("?")[2]
    secrets = [user_info if at else "", query, *(p.partition("=")[2] for p in query.split("&"))]
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
