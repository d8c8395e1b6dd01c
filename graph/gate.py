"""The statement gate: what a user's Cypher may do, decided before any store sees it.

STUB: to be replaced by the allowlist gate (issue #11).
"""

from __future__ import annotations

from oversight.graph.errors import OversightError


class StatementRefused(OversightError):
    """A statement outside what the gate allows; the message says what and where."""


def check(text: str, *, write: bool = False) -> None:
    """Refuse `text` unless it is one statement of allowed clauses (write: graph updates too)."""
