"""Prepared statements kept per connection, so that a read asked again is not planned again.

LadybugDB parses, binds and plans a statement every time `Connection.execute` is given its
text: 2 to 18 ms for the saved queries at N=153, up to a fifth of their time. A server
(`oversight serve`) or a session running the same query with new values pays that once.

The key is the text and the types of the values, not the values: LIMIT, SKIP and every
comparison take each run's values. LadybugDB 0.14.1 binds a statement to the values it was
prepared with (one prepared without a `$day` rejects a date later) and binds again when a
value's type changes; keying on the types as well keeps a kept plan from resting on that.
(tests/test_plans.py holds both.)
Statements belong to one connection and die with it: the store clears the cache before it
closes or replaces its connection.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import real_ladybug as lb

SIZE = 64  # statements kept; the saved queries are 18, and ad-hoc texts come and go


def signature(value: Any) -> Any:
    """The shape of a value as binding sees it: its type, and its items' types."""
    if isinstance(value, list | tuple):
        return ("list", frozenset(signature(item) for item in value))
    if isinstance(value, Mapping):
        return ("map", tuple(sorted((str(k), signature(v)) for k, v in value.items())))
    if isinstance(value, dt.datetime):  # before date: a datetime is a date too
        return ("datetime", value.tzinfo is not None)
    return type(value).__name__


class PlanCache:
    """The statements one connection has prepared, the least recently used dropped first."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._statements: OrderedDict[tuple[str, Any], lb.PreparedStatement] = OrderedDict()
        self._conn: lb.Connection | None = None  # the connection they were prepared on

    def __len__(self) -> int:
        return len(self._statements)

    def prepared(
        self, conn: lb.Connection, text: str, params: Mapping[str, Any]
    ) -> lb.PreparedStatement | None:
        """The statement for this text and these values' types, or None if it does not
        prepare (the caller runs the text as it is, so its error reads as it always has)."""
        if conn is not self._conn:  # a write replaced the connection: its plans are gone
            self.clear()
            self._conn = conn
        key = (text, signature(params))
        statement = self._statements.get(key)
        if statement is not None:
            self._statements.move_to_end(key)
            return statement
        statement = lb.PreparedStatement(conn, text, dict(params))
        if not statement.is_success():
            return None
        self._statements[key] = statement
        if len(self._statements) > self.size:
            self._statements.popitem(last=False)
        return statement

    def clear(self) -> None:
        """Drop every statement; done before their connection closes."""
        self._statements.clear()
        self._conn = None
