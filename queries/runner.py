"""Binding a saved query's parameters and running it, read-only, on either store.

Values always travel as Cypher parameters, never inside the query text. Dates are passed as
`datetime.date` (both drivers send them as Cypher DATE values), so a query compares
`h.start_date <= $on` directly; in Neo4j Browser set one with `:param on => date('2017-02-16')`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from oversight.graph.errors import UsageProblem
from oversight.graph.inputs import ValueRefused, check_value, int64, loads
from oversight.graph.resolve import Match, ResolveError, resolve
from oversight.graph.result import Result, without_inferred
from oversight.graph.schema import schema
from oversight.graph.store import StoreError
from oversight.queries.library import MISSING, QueryError, SavedQuery, a, coerce

if TYPE_CHECKING:
    from oversight.graph.store import Store


class ParameterError(QueryError, UsageProblem):
    """Missing, unknown or ill-typed parameters; the message lists the expected ones."""


def bind(query: SavedQuery, values: Mapping[str, Any]) -> dict[str, Any]:
    """Check values against the header: every parameter gets a value of its type.

    Omitted parameters take their default; None is accepted only where the default is null.
    """
    unknown = sorted(set(values) - {p.name for p in query.params})
    if unknown:
        raise _parameter_error(query, f"unknown parameter{_s(unknown)} {_names(unknown)}")
    missing = [p.name for p in query.params if p.required and p.name not in values]
    if missing:
        raise _parameter_error(query, f"missing parameter{_s(missing)} {_names(missing)}")
    bound: dict[str, Any] = {}
    for param in query.params:
        value = values.get(param.name, param.default)
        if value is None:
            if param.default is not None:
                raise _parameter_error(query, f"parameter '{param.name}' may not be null")
            bound[param.name] = None
            continue
        try:
            check_value(value)  # first: coerce's messages walk the value recursively
        except ValueRefused as error:
            raise _parameter_error(query, f"parameter '{param.name}': {error.message}") from None
        try:
            bound[param.name] = coerce(param.type, value)
        except ValueError as error:
            raise _parameter_error(query, f"parameter '{param.name}' {error}") from None
    return bound


def example_values(query: SavedQuery) -> dict[str, Any]:
    """The header's example values (the default where a parameter has no example)."""
    return {
        p.name: p.example if p.example is not MISSING else p.default
        for p in query.params
        if p.example is not MISSING or not p.required
    }


def parse_text_values(query: SavedQuery, pairs: Iterable[str]) -> dict[str, Any]:
    """`NAME=VALUE` texts from the command line, read according to each parameter's type.

    string: the text as is; int, float: a number; bool: true or false; date: YYYY-MM-DD;
    list of ...: a JSON array, or items separated by commas. `null` (any type) is null.
    """
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise _parameter_error(query, f"'{pair}' is not NAME=VALUE")
        if name in values:
            raise _parameter_error(query, f"parameter '{name}' given twice")
        param = query.param(name)
        if param is None:
            raise _parameter_error(query, f"unknown parameter '{name}'")
        values[name] = _from_text(query, param.name, param.type, text)
    return values


def _from_text(query: SavedQuery, name: str, type_: str, text: str) -> Any:
    if text == "null":
        return None
    try:
        if type_ in ("string", "date", "entity"):
            return text
        if type_ == "int":
            return int64(text)
        if type_ == "float":
            return _finite(float(text))
        if type_ == "bool":
            lowered = text.strip().lower()
            if lowered not in ("true", "false"):
                raise ValueError(text)
            return lowered == "true"
        if text.lstrip().startswith("["):
            return loads(text)
        item = type_.removeprefix("list of ")
        return [_from_text(query, name, item, part.strip()) for part in text.split(",")]
    except ValueRefused as error:
        raise _parameter_error(query, f"parameter '{name}': {error.message}") from None
    except ValueError:  # json.JSONDecodeError is a ValueError too
        problem = f"parameter '{name}': {_clip(text)!r} is not {a(type_)}"
        raise _parameter_error(query, problem) from None


def _finite(value: float) -> float:
    """nan and inf are floats to Python, not numbers a query can compare."""
    if not math.isfinite(value):
        raise ValueError(value)
    return value


def _clip(text: str, size: int = 60) -> str:
    """A value as messages quote it: a 10,000-character one is not repeated in full."""
    return text if len(text) <= size else f"{text[:size]}… ({len(text)} characters)"


def run(
    store: Store,
    query: SavedQuery,
    values: Mapping[str, Any] | None = None,
    *,
    say: Callable[[str], None] | None = None,
    facts_only: bool = False,
) -> Result:
    """Bind the values, resolve entity parameters, run in the store's read-only transaction.

    `say` hears what a reader should know beside the rows: which entity a name was taken to
    mean, and that an answer is empty although every entity it asked about exists.
    `facts_only` leaves inferences out: a query that declares the bool parameter
    `facts_only` gets true (unless given), and rows holding an inferred node or relationship
    are dropped (see `without_inferred`).
    """
    values = dict(values or {})
    if facts_only and query.param(FACTS_ONLY) is not None:
        values.setdefault(FACTS_ONLY, True)
    bound = bind(query, values)
    resolved = resolve_entities(store, query, bound, say)
    check_order(store, query, bound, resolved)
    try:
        labels = {name: match.label for name, match in resolved.items()}
        result = store.read(query.text_for(store.name, labels), bound)
    except StoreError as error:  # name the file: the fault may be in the saved query
        raise StoreError(f"{query.path}: {error}") from error
    if facts_only:
        result = without_inferred(result)
    if say and resolved and not result.rows:
        about = ", ".join(f"{name}={match.describe()}" for name, match in resolved.items())
        say(f"no rows: {query.name} finds nothing for {about}")
    return result


FACTS_ONLY = "facts_only"  # the parameter a saved query declares to hear `--facts-only`


def check_order(
    store: Store, query: SavedQuery, bound: Mapping[str, Any], resolved: Mapping[str, Match]
) -> None:
    """Refuse values given in an impossible order (the header's `order: A before B`): an
    entity is placed by the first date its label declares that it has (an inspection's
    start, else its end, else its publication), a date by itself. A date known to the month
    or year is the span it covers, and only spans that cannot be in order are refused; where
    either has no date the order cannot be known and the query runs."""
    if query.order is None:
        return
    when = {name: _when(store, bound.get(name), resolved.get(name)) for name in query.order}
    earlier, later = query.order
    if when[earlier] is None or when[later] is None or when[earlier][0] <= when[later][1]:
        return
    raise ParameterError(
        f"query '{query.name}': {earlier} ({_placed(bound[earlier], when[earlier])}) comes "
        f"after {later} ({_placed(bound[later], when[later])}); {earlier} must be the earlier "
        "one: swap them"
    )


Span = tuple[dt.date, dt.date, str]  # first day, last day, as written


def _when(store: Store, value: Any, match: Match | None) -> Span | None:
    if match is None:
        return (value, value, value.isoformat()) if isinstance(value, dt.date) else None
    dates = [p for p in schema().label(match.label).properties if p.type == "DATE"]
    if not dates:
        return None
    columns = ", ".join(f"n.{p.stored}, n.{p.precision_column}" for p in dates)
    rows = store.read(
        f"MATCH (n:{match.label}) WHERE n.id = $id RETURN {columns}", {"id": match.id}
    ).rows
    row = rows[0] if rows else ()
    known = [(row[i], row[i + 1]) for i in range(0, len(row), 2) if row[i] is not None]
    return _span(*known[0]) if known else None


def _span(day: dt.date, precision: str | None) -> Span:
    if precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), f"{day.year}"
    if precision == "month":
        after = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return day.replace(day=1), after - dt.timedelta(days=1), f"{day:%Y-%m}"
    return day, day, day.isoformat()


def _placed(value: Any, span: Span) -> str:
    return span[2] if isinstance(value, dt.date) else f"{value}, {span[2]}"


def parameter_ids(store: Store, query: SavedQuery, values: Mapping[str, Any]) -> list[str]:
    """The ids a saved query's entity parameters resolve to: its view draws them too."""
    return [m.id for m in resolve_entities(store, query, bind(query, values)).values()]


def resolve_entities(
    store: Store,
    query: SavedQuery,
    bound: dict[str, Any],
    say: Callable[[str], None] | None = None,
) -> dict[str, Match]:
    """Replace each entity parameter's id, name or alias by the id it resolves to."""
    resolved: dict[str, Match] = {}
    for param in query.params:
        value = bound.get(param.name)
        if param.type != "entity" or value is None:
            continue
        try:
            match = resolve(store, value, param.labels)
        except ResolveError as error:
            raise ResolveError(f"query '{query.name}': parameter '{param.name}': {error}") from None
        if say and match.how != "id":
            say(f"{param.name}: '{value}' is {match.describe()}, {match.how}")
        bound[param.name] = match.id
        resolved[param.name] = match
    return resolved


def view_result(query: SavedQuery, result: Result) -> Result:
    """The result with only the graph elements of the header's `view` columns (all if none)."""
    if not query.view:
        return result
    missing = [c for c in query.view if c not in result.columns]
    if missing:
        raise QueryError(
            f"{query.path}: view column{_s(missing)} {_names(missing)} not among the "
            f"returned columns ({', '.join(result.columns)})"
        )
    view = Result(columns=result.columns, rows=result.rows)
    positions = [result.columns.index(c) for c in query.view]
    for row in result.rows:
        for position in positions:
            view.collect(row[position])
    # An edge is drawn only between nodes the view has; bring in the ends the columns named.
    for rel in list(view.relationships.values()):
        for end in (rel.start, rel.end):
            if end in result.nodes:
                view.nodes.setdefault(end, result.nodes[end])
    return view


def _parameter_error(query: SavedQuery, problem: str) -> ParameterError:
    expected = query.signature() or "none"
    return ParameterError(f"query '{query.name}': {problem}; expected parameters: {expected}")


def _names(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _s(items: list[str]) -> str:
    return "s" if len(items) != 1 else ""
