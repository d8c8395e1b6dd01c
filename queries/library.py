"""Saved queries: finding `.cypher` files and reading their headers.

A saved query is one `.cypher` file whose first lines are a header of plain Cypher `//`
comments, so the file pastes straight into Neo4j Browser:

    // name: accountable-for-finding
    // title: Who was accountable for a finding
    // description: The bodies and services a finding concerns, the posts accountable for
    //   them, and the people who held those posts on the inspection's dates.
    // param finding: string, example "finding/2017-insufficient-scrutiny" -- the finding's id
    // param on: date, default null, example "2017-02-16" -- a date to look at instead
    // view: chain

    MATCH ...

The header is every line from the top of the file that starts with `//`; the first other line
(a blank line or Cypher) ends it, and comments after that are free text. In the header:

- `// KEY: VALUE` with KEY one of name, title, description, param NAME, view; each at most
  once (`param` once per NAME). `name` and `title` are required; `name` is kebab-case and
  equal to the file name without `.cypher`.
- `//` then two or more spaces continues the description or the doc of the last param.
- `// param NAME: TYPE[, default VALUE][, example VALUE][ -- doc]`. TYPE is string, int,
  float, bool, date, list of string, list of int or list of float. VALUEs are JSON (`"text"`,
  `3`, `2.5`, `true`, `["a", "b"]`, `null`); a date is a JSON string `"YYYY-MM-DD"`. Only a
  default may be null. A parameter without a default is required and needs an example.
  Every parameter must be used as `$NAME` in the query, and every `$NAME` declared.
- The query after the header is one statement that the statement gate (graph/gate.py) lets
  through in read mode: read clauses only, no files, procedures or second statement.
- `// view: COLUMN[, COLUMN...]`: the returned columns a graph view draws.
- A query may have a text for one engine beside the portable one, where that engine's planner
  or dialect answers faster: `ENGINE/NAME.cypher` in the same folder (ENGINE: `neo4j` or
  `ladybug`, the store's `name`), plain Cypher under the same statement gate, taking the same
  parameters and returning the same columns and rows (the golden tests run every query on both
  stores). The store that matches runs it; `query show` prints the portable text. In an
  engine's text, `` :`{NAME}` `` is a label slot (queries/labels.py): the label of the entity
  that the required entity parameter NAME resolved to, so that the planner starts from one
  table (LadybugDB) or one label's index (Neo4j); without one, the portable text runs.
- `// order: EARLIER before LATER`: two parameters (dates, or entities with a date) that
  must come in that order; given the other way round the query is refused, not answered
  (queries/runner.py `check_order`): "what changed between" two inspections swapped would
  otherwise report every improvement as a worsening.
- `// param facts_only: bool, default false`: a query that follows links it does not return
  declares it and leaves out what rests on an element marked `inferred` when it is true;
  `oversight --facts-only` sets it (queries/runner.py `run`), besides dropping every row
  that holds an inferred element, which every query gets.

Folders are searched in order: the bundled folder (this package), the folders in the
OVERSIGHT_QUERIES environment variable (os.pathsep-separated), then folders given by the
caller (`--queries-dir`); a query in a later folder overrides one of the same name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from oversight.graph import gate
from oversight.graph.errors import OversightError, UsageProblem
from oversight.graph.inputs import ValueRefused, raw_decode, read_file
from oversight.graph.schema import schema
from oversight.queries.labels import Slot, SlotError, fill, find_slots

BUNDLED_DIR = Path(str(resources.files("oversight.queries")))
ENV_VAR = "OVERSIGHT_QUERIES"
SUFFIX = ".cypher"
ENGINES = ("neo4j", "ladybug")  # folders of engine-specific texts (Store.name)
MAX_BYTES = 1024 * 1024  # a saved query

# `entity`: an id, a name or an alias, resolved to an id before the query runs (graph/resolve.py);
# `entity Finding` or `entity Body|Service` keeps the choice to those labels.
SCALAR_TYPES = ("string", "int", "float", "bool", "date", "entity")
LIST_TYPES = ("list of string", "list of int", "list of float")
TYPES = SCALAR_TYPES + LIST_TYPES

_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_KEY_LINE = re.compile(r"// (name|title|description|view|order|param ([^:\s]*)):(?: (.*))?\Z")
_ORDER = re.compile(r"([A-Za-z_]\w*) before ([A-Za-z_]\w*)\Z")
_CONTINUATION = re.compile(r"//\s{2,}(\S.*)\Z")
_ANY_KEY = re.compile(r"// ?([A-Za-z_][\w -]*?):")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

# Parameter names LadybugDB 0.14 parses as keywords (`$on` is a syntax error there).
_RESERVED = frozenset(
    {
        *("all", "and", "any", "asc", "case", "create", "desc", "distinct", "else", "end"),
        *("ends", "exists", "false", "group", "in", "none", "not", "null", "on", "optional"),
        *("or", "order", "primary", "profile", "shortest", "single", "starts", "table"),
        *("then", "true", "union", "unwind", "when", "where", "with", "xor"),
    }
)


class QueryError(OversightError):
    """A saved query that cannot be found, read, bound or run: one line for the user."""


class UnknownQuery(QueryError, UsageProblem):
    """No saved query has the name given on the command line."""


class HeaderError(QueryError):
    """A malformed header; the message starts with `file:line:`."""


class _Missing:
    """No default or no example was given (None is a real default: null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = MISSING
    example: Any = MISSING
    doc: str = ""
    line: int = 0
    labels: tuple[str, ...] = ()  # an entity parameter's labels (none: any entity)

    @property
    def required(self) -> bool:
        return self.default is MISSING

    @property
    def type_text(self) -> str:
        """The type as the header writes it: `entity Finding`, `list of string`."""
        return " ".join([self.type, "|".join(self.labels)]) if self.labels else self.type

    def describe(self) -> str:
        """`name: type (required), e.g. "x"` -- how error messages and `query list` show it."""
        text = f"{self.name}: {self.type_text}"
        text += " (required)" if self.required else f" = {_show(self.default)}"
        if self.example is not MISSING:
            text += f", e.g. {_show(self.example)}"
        return text


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    view: tuple[str, ...]
    text: str  # the whole file, header included: what runs and what `show` prints
    path: Path
    bundled: bool = field(default=False, compare=False)
    order: tuple[str, str] | None = None  # (earlier, later): parameters that must come in order
    variants: Mapping[str, str] = field(default_factory=dict, compare=False)  # engine -> text
    slots: Mapping[str, tuple[Slot, ...]] = field(default_factory=dict, compare=False)

    def text_for(self, engine: str, labels: Mapping[str, str] | None = None) -> str:
        """What runs on a store of this engine (`Store.name`): its own text, or the portable one.

        `labels`: the label of each entity parameter's entity, for the text's label slots; an
        engine text with slots runs only when every slot has a schema label."""
        text = self.variants.get(engine)
        if text is None:
            return self.text
        slots = self.slots.get(engine, ())
        if not slots:
            return text
        filled = fill(text, slots, labels or {}, schema().label_names)
        return self.text if filled is None else filled

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def signature(self) -> str:
        return "; ".join(p.describe() for p in self.params)


# --- discovery -----------------------------------------------------------------------------


def query_dirs(extra: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """The folders searched, lowest precedence first: bundled, OVERSIGHT_QUERIES, `extra`."""
    env = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    dirs = [BUNDLED_DIR]
    for raw in [*env, *extra]:
        path = Path(raw).expanduser()
        if not path.is_dir():
            raise QueryError(f"{path}: no such queries folder")
        dirs.append(path)
    return dirs


def load_library(extra: Iterable[str | os.PathLike[str]] = ()) -> dict[str, SavedQuery]:
    """Every saved query by name; a later folder's query overrides an earlier one's."""
    library: dict[str, SavedQuery] = {}
    for folder in query_dirs(extra):
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            query = read_query(path, bundled=folder == BUNDLED_DIR)
            library[query.name] = query
    return library


def list_queries(extra: Iterable[str | os.PathLike[str]] = ()) -> list[SavedQuery]:
    """The saved queries, by name."""
    return sorted(load_library(extra).values(), key=lambda q: q.name)


def get_query(name: str, extra: Iterable[str | os.PathLike[str]] = ()) -> SavedQuery:
    library = load_library(extra)
    if name not in library:
        known = ", ".join(sorted(library)) or "none"
        raise UnknownQuery(f"no saved query named '{name}'; known: {known}")
    return library[name]


# --- parsing -------------------------------------------------------------------------------


def read_query(path: Path, *, bundled: bool = False) -> SavedQuery:
    try:
        text = read_file(path, MAX_BYTES, within=path.parent).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"{path}: cannot read: {error}") from error
    query = parse_query(text, path, bundled=bundled)
    variants, slots = {}, {}
    for engine in ENGINES:
        variant = path.parent / engine / path.name
        if variant.is_file():
            variants[engine], slots[engine] = _read_variant(variant, path, query)
    if not variants:
        return query
    return dataclasses.replace(query, variants=variants, slots=slots)


def _read_variant(variant: Path, path: Path, query: SavedQuery) -> tuple[str, tuple[Slot, ...]]:
    """An engine's own text for `query` and its label slots: gated, and taking exactly the
    query's parameters."""
    try:
        text = read_file(variant, MAX_BYTES, within=path.parent).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"{variant}: cannot read: {error}") from error
    declared = {p.name: {"line": 1} for p in query.params}
    _check_body(variant, text, 0, declared)
    entities = [p.name for p in query.params if p.type == "entity" and p.required]
    try:
        return text, find_slots(text, entities)
    except SlotError as error:
        raise _error(variant, error.line, str(error)) from None


def parse_query(text: str, path: Path, *, bundled: bool = False) -> SavedQuery:
    """Parse a saved query's header and check it against its Cypher; HeaderError if malformed."""
    lines = text.splitlines()
    fields: dict[str, tuple[str, int]] = {}
    params: dict[str, dict[str, Any]] = {}
    last: str | None = None  # what a continuation line continues: "description" or a param
    end = 0
    for number, line in enumerate(lines, start=1):
        if not line.startswith("//"):
            break
        end = number
        line = line.rstrip()
        if line == "//":
            last = None
            continue
        key = _KEY_LINE.match(line)
        if key is None:
            more = _CONTINUATION.match(line)
            if more is None:
                unknown = _ANY_KEY.match(line)
                if unknown:
                    raise _error(path, number, f"unknown key {unknown.group(1)!r}")
                raise _error(
                    path, number, f"not a header line: {line!r} (expected `// key: value`)"
                )
            if last is None:
                raise _error(path, number, "continuation line without a description or param")
            _continue(fields, params, last, more.group(1))
            continue
        what, param_name, value = key.group(1), key.group(2), (key.group(3) or "").strip()
        if param_name is not None:
            if not _IDENT.match(param_name):
                raise _error(path, number, f"bad parameter name {param_name!r}")
            if param_name.lower() in _RESERVED:
                raise _error(
                    path, number, f"param {param_name}: a Cypher keyword; choose another name"
                )
            if param_name in params:
                raise _error(path, number, f"duplicate param {param_name!r}")
            params[param_name] = _parse_param(path, number, param_name, value)
            last = param_name
            continue
        if what in fields:
            raise _error(path, number, f"duplicate key {what!r}")
        if not value:
            raise _error(path, number, f"empty {what!r}")
        fields[what] = (value, number)
        last = "description" if what == "description" else None
    if end == 0:
        raise _error(path, 1, "no header: a saved query starts with `// name: ...`")
    for required in ("name", "title"):
        if required not in fields:
            raise _error(path, max(end, 1), f"missing `// {required}: ...` in the header")
    name, name_line = fields["name"]
    if not _NAME.match(name):
        raise _error(path, name_line, f"name {name!r} is not kebab-case (a-z, 0-9, -)")
    if path.suffix == SUFFIX and name != path.stem:
        raise _error(path, name_line, f"name {name!r} differs from the file name {path.name!r}")
    view: tuple[str, ...] = ()
    if "view" in fields:
        value, number = fields["view"]
        view = tuple(c.strip() for c in value.split(","))
        for column in view:
            if not _IDENT.match(column):
                raise _error(path, number, f"view column {column!r} is not a column name")
    order = _parse_order(path, fields, params)
    body = "\n".join(lines[end:])
    if not body.strip():
        raise _error(path, max(end, 1), "the header is not followed by a query")
    _check_body(path, body, end, params)
    return SavedQuery(
        name=name,
        title=fields["title"][0],
        description=fields.get("description", ("", 0))[0],
        params=tuple(Param(**spec) for spec in params.values()),
        view=view,
        text=text,
        path=path,
        bundled=bundled,
        order=order,
    )


def _parse_order(
    path: Path, fields: dict[str, tuple[str, int]], params: dict[str, dict[str, Any]]
) -> tuple[str, str] | None:
    if "order" not in fields:
        return None
    value, number = fields["order"]
    found = _ORDER.match(value)
    if found is None:
        raise _error(path, number, f"order {value!r}: expected `EARLIER before LATER`")
    for name in found.groups():
        spec = params.get(name)
        if spec is None:
            raise _error(path, number, f"order: no param {name!r}")
        if spec["type"] not in ("date", "entity"):
            raise _error(
                path, number, f"order: param {name!r} is {spec['type']}, not a date or entity"
            )
    return found.group(1), found.group(2)


def _continue(
    fields: dict[str, tuple[str, int]], params: dict[str, dict[str, Any]], last: str, more: str
) -> None:
    if last == "description":
        value, number = fields["description"]
        fields["description"] = (f"{value} {more}", number)
    else:
        spec = params[last]
        spec["doc"] = f"{spec['doc']} {more}".strip()


def _parse_param(path: Path, number: int, name: str, spec: str) -> dict[str, Any]:
    """`TYPE[, default V][, example V][ -- doc]` into Param fields."""
    type_match = re.match(r"(list of \w+|entity(?:\s+[A-Za-z]\w*(?:\|[A-Za-z]\w*)*)?|\w+)\s*", spec)
    type_ = type_match.group(1) if type_match else spec.split(",")[0].strip()
    labels: tuple[str, ...] = ()
    if type_.startswith("entity "):
        type_, _, named = type_.partition(" ")
        labels = tuple(named.split("|"))
        unknown = [label for label in labels if label not in schema().label_names]
        if unknown:
            raise _error(
                path,
                number,
                f"param {name}: unknown label {', '.join(map(repr, unknown))} "
                f"(one of {', '.join(schema().label_names)})",
            )
    if type_ not in TYPES:
        raise _error(
            path, number, f"param {name}: unknown type {type_!r} (one of {', '.join(TYPES)})"
        )
    result: dict[str, Any] = {
        "name": name,
        "type": type_,
        "doc": "",
        "line": number,
        "labels": labels,
    }
    pos = type_match.end() if type_match else len(spec)
    while pos < len(spec):
        rest = spec[pos:]
        if rest.startswith("--"):
            result["doc"] = rest[2:].strip()
            break
        option = re.match(r",\s*(default|example)\s+", rest)
        if option is None:
            raise _error(
                path,
                number,
                f"param {name}: expected `, default V`, `, example V` or "
                f"`-- doc`, found {rest.strip()!r}",
            )
        key = option.group(1)
        if key in result:
            raise _error(path, number, f"param {name}: {key} given twice")
        start = pos + option.end()
        try:
            value, stop = raw_decode(spec, start)
        except ValueRefused as error:
            raise _error(path, number, f"param {name}: {key} {error.message}") from None
        except json.JSONDecodeError:
            raise _error(
                path,
                number,
                f"param {name}: {key} is not a JSON value: {spec[start:].split(' --')[0]!r}",
            ) from None
        if value is None and key == "example":
            raise _error(path, number, f"param {name}: an example cannot be null")
        if value is not None:
            try:
                value = coerce(type_, value)
            except ValueError as error:
                raise _error(path, number, f"param {name}: {key} {error}") from None
        result[key] = value
        pos = stop
        while pos < len(spec) and spec[pos] == " ":
            pos += 1
    if "default" not in result and "example" not in result:
        raise _error(path, number, f"param {name}: a required parameter needs an example")
    return result


def _check_body(path: Path, body: str, offset: int, params: Mapping[str, Any]) -> None:
    """The statement gate's read-only check, every `$name` declared, every param used.

    `offset` is the number of header lines: line 1 of `body` is line offset + 1 of the file.
    """
    try:
        gate.check(body)
        tokens = gate.tokenize(body)
    except gate.StatementRefused as refused:
        raise _refused(path, offset, refused) from None
    used: dict[str, int] = {}
    for token in tokens:
        if token.kind == "param":
            used.setdefault(token.text, offset + token.line)
            if token.text not in params:
                raise _error(
                    path, offset + token.line, f"${token.text} is used but not declared as a param"
                )
    for name, spec in params.items():
        if name not in used:
            raise _error(path, spec["line"], f"param {name} is declared but ${name} is not used")


def _refused(path: Path, offset: int, refused: gate.StatementRefused) -> HeaderError:
    """The gate's refusal at its line in the file: `file:line: ...`."""
    if refused.line is None:
        return _error(path, offset + 1, f"statement refused: {refused.what} {refused.reason}")
    line = offset + refused.line
    if refused.writes:
        return _error(path, line, f"{refused.what} changes the graph; saved queries only read")
    where = f"at column {refused.column}"
    return _error(path, line, f"statement refused: {refused.what} {where} {refused.reason}")


# --- values --------------------------------------------------------------------------------


def coerce(type_: str, value: Any) -> Any:
    """A value checked against a parameter type; ValueError says what was wrong.

    Dates become `datetime.date` (from a date or `"YYYY-MM-DD"`); ints are accepted for float.
    Lists must not be empty: LadybugDB cannot type an empty list parameter.
    """
    if type_.startswith("list of "):
        if not isinstance(value, list | tuple):
            raise ValueError(f"must be {a(type_)}, not {_kind(value)}")
        if not value:
            raise ValueError(f"must be a non-empty {type_}")
        item_type = type_.removeprefix("list of ")
        items = []
        for item in value:
            try:
                items.append(coerce(item_type, item))
            except ValueError:
                raise ValueError(
                    f"must be {a(type_)}; {_show(item)} is not {a(item_type)}"
                ) from None
        return items
    if type_ in ("string", "entity") and isinstance(value, str):
        return value
    if type_ == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if type_ == "float" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if type_ == "bool" and isinstance(value, bool):
        return value
    if type_ == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str) and _DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"must be a date, {value!r} is not a valid day") from None
        raise ValueError(f'must be a date ("YYYY-MM-DD"), not {_show(value)}')
    raise ValueError(f"must be {a(type_)}, not {_kind(value)} {_show(value)}")


def a(type_: str) -> str:
    """The type with its article: `a string`, `an int`."""
    return f"an {type_}" if type_[0] in "aeiou" else f"a {type_}"


def _kind(value: Any) -> str:
    return {bool: "bool", int: "int", float: "float", str: "string"}.get(
        type(value), type(value).__name__
    )


def _show(value: Any) -> str:
    """A value as the header writes it (JSON; dates as ISO strings)."""
    if isinstance(value, dt.date):
        return json.dumps(value.isoformat())
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _error(path: Path, line: int, message: str) -> HeaderError:
    return HeaderError(f"{path}:{line}: {message}")
