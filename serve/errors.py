"""Which HTTP status a failure gets, and its message as the command line prints it: one line.

A page never shows a traceback: a failure the user can act on is its one-line message with
the status that says whose fault it was; anything else is "internal error" on the page and
a traceback on the server's console.
"""

from __future__ import annotations

from oversight.graph.errors import OversightError, UsageProblem
from oversight.graph.gate import StatementRefused
from oversight.graph.inputs import ValueRefused
from oversight.graph.resolve import ResolveError
from oversight.graph.store import StoreError
from oversight.queries.library import UnknownQuery
from oversight.serve.pool import Stopped
from oversight.serve.reads import NotFound
from oversight.visualise.html import ViewError


class Unavailable(OversightError):
    """A route that this server was started without (`--no-cypher`)."""


def status_of(error: BaseException, *, user_cypher: bool = False, lookup: bool = False) -> int:
    """404 for what does not exist, 400 for a bad parameter or statement, 503 when stopped.

    A store error is the user's (400) when the statement was theirs (`/cypher`), the
    server's (500) when it was a saved query. A name that resolves to no entity is a bad
    parameter (400), or a page that does not exist when the name was the page (`lookup`).
    """
    if isinstance(error, UnknownQuery | NotFound | Unavailable):
        return 404
    if lookup and isinstance(error, ResolveError):
        return 404
    if isinstance(error, Stopped):
        return 503
    if isinstance(error, ViewError):
        return 422
    if isinstance(error, StoreError):
        return 400 if user_cypher else 500
    if isinstance(error, UsageProblem | ResolveError | StatementRefused | ValueRefused):
        return 400
    if isinstance(error, OversightError):
        return 400
    return 500


def message_of(error: BaseException) -> str:
    """The CLI's `error: ...` line without the prefix (oversight/cli.py `_one_line`)."""
    if isinstance(error, NotFound):
        text = f"no entity has the id '{error.args[0]}'"
    elif isinstance(error, ValueRefused):
        text = error.message
    elif isinstance(error, OversightError):
        text = str(error)
    else:
        return "internal error; the server's console has the details"
    flat = " ".join(text.split())
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in flat)
