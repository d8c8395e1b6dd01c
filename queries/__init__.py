"""Saved, parameterised Cypher queries that answer investigators' questions on either store.

    from oversight.graph.stores import open_store
    from oversight.queries import run_query, list_queries

    with open_store("oversight.lbug", read_only=True) as store:
        rows = run_query(store, "accountable-for-finding",
                         finding="finding/2017-insufficient-scrutiny").records()

The queries are the `.cypher` files of this folder (and of user folders: OVERSIGHT_QUERIES or
`queries_dirs`); see queries/library.py for the header format.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from oversight.queries.library import (
    HeaderError,
    Param,
    QueryError,
    SavedQuery,
    get_query,
    list_queries,
)
from oversight.queries.runner import ParameterError, run

if TYPE_CHECKING:
    from oversight.graph.result import Result
    from oversight.graph.store import Store

__all__ = [
    "HeaderError",
    "Param",
    "ParameterError",
    "QueryError",
    "SavedQuery",
    "get_query",
    "list_queries",
    "run_query",
]


def run_query(
    store: Store,
    query: str | SavedQuery,
    /,
    *,
    queries_dirs: Iterable[str | os.PathLike[str]] = (),
    **params: Any,
) -> Result:
    """Run a saved query (by name, or a SavedQuery) with keyword parameters, read-only.

    `facts_only=True` leaves inferences out (queries/runner.py `run`): rows holding an
    inferred element are dropped, and a query that declares `facts_only` gets it.
    Raises QueryError (ParameterError for missing, unknown or ill-typed parameters).
    """
    saved = query if isinstance(query, SavedQuery) else get_query(query, queries_dirs)
    facts_only = bool(params.pop("facts_only", False))
    return run(store, saved, params, facts_only=facts_only)
