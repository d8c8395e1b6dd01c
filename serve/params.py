"""A saved query's parameters as URL fields and form inputs.

The URL carries each value as the command line's `-p NAME=VALUE` text, so a page and
`oversight query run NAME -p ...` read the same value the same way (queries/runner.py
`parse_text_values`). An empty field means "not given": the header's default applies.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from oversight.queries.library import MISSING, Param, SavedQuery
from oversight.queries.runner import parse_text_values

RUN = "run"  # the form's submit field: present when the page should run the query


def values_from_url(query: SavedQuery, fields: Mapping[str, str]) -> dict[str, Any]:
    """The typed values of the non-empty URL fields (ParameterError for a wrong one)."""
    pairs = [f"{name}={text}" for name, text in fields.items() if name != RUN and text != ""]
    return parse_text_values(query, pairs)


def as_text(value: Any) -> str:
    """A header value (default or example) as the field text that reads back to it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return json.dumps([v.isoformat() if isinstance(v, dt.date) else v for v in value])
    return str(value)


def example_fields(query: SavedQuery) -> dict[str, str]:
    """The URL fields of `oversight query run NAME --example`."""
    return {
        p.name: as_text(p.example if p.example is not MISSING else p.default)
        for p in query.params
        if p.example is not MISSING or not p.required
    }


def query_url(
    query: SavedQuery, fields: Mapping[str, str], suffix: str = "", *, run: bool = False
) -> str:
    """`/queries/NAME[suffix]?...` with the non-empty fields, in the header's order (`run`:
    the page runs the query on arrival)."""
    kept = [(p.name, fields[p.name]) for p in query.params if fields.get(p.name)]
    kept += [(RUN, "1")] if run else []
    return f"/queries/{query.name}{suffix}" + (f"?{urlencode(kept)}" if kept else "")


@dataclass(frozen=True)
class Field:
    """One form input: what it is called, what it holds, and how the browser should help."""

    param: Param
    value: str
    input_type: str  # text, number, date, or bool (a choice of true and false)
    placeholder: str
    entity: bool

    @property
    def labels(self) -> str:
        return ",".join(self.param.labels)


def form_fields(query: SavedQuery, fields: Mapping[str, str], prefill: bool) -> list[Field]:
    """The form's inputs: the URL's values, or (on a first visit) the examples and defaults."""
    start = example_fields(query) if prefill else {}
    out = []
    for param in query.params:
        value = fields.get(param.name, start.get(param.name, ""))
        default = "" if param.required else as_text(param.default)
        kind = {"date": "date", "int": "number", "float": "number", "bool": "bool"}.get(
            param.type, "text"
        )
        hint = f"default {default}" if default else ("required" if param.required else "null")
        out.append(Field(param, value, kind, hint, param.type == "entity"))
    return out
