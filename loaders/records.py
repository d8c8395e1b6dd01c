"""Validation of one record's values against the schema (pydantic models built from it)."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Annotated, Any, Literal

from oversight.graph.schema import INFERRED, Property, RelType, Schema, schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


class PreciseDate(tuple[dt.date, str]):
    """A date with the precision it was written with: day, month or year."""


def parse_date(value: Any) -> PreciseDate:
    """`2015`, `2015-07` or `2015-07-01`; a month or year is stored as its first day."""
    if isinstance(value, PreciseDate):
        return value
    text = str(value).strip()
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    precision = "day" if day else "month" if month else "year"
    try:
        date = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise ValueError(f"'{text}' is not a real date ({error})") from error
    return PreciseDate((date, precision))


def _strict_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("expected text")
    return str(value)


_TYPES: dict[str, Any] = {
    "STRING": Annotated[str, BeforeValidator(_strict_text)],
    "STRING[]": list[Annotated[str, BeforeValidator(_strict_text)]],
    "INT64": Annotated[int, Field(ge=-(2**63), le=2**63 - 1)],  # what the stores hold
    "DOUBLE": float,
    "BOOL": bool,
    "DATE": Annotated[PreciseDate, BeforeValidator(parse_date)],
}


def _field(prop: Property) -> Any:
    kind = Literal[prop.choices] if prop.choices else _TYPES[prop.type]  # type: ignore[valid-type]
    return (kind | None, None)


# NaN and infinities are not measurements (and JSON output could not hold them).
_CONFIG = ConfigDict(
    extra="forbid", strict=False, arbitrary_types_allowed=True, allow_inf_nan=False
)


class Citation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: Annotated[str, BeforeValidator(_strict_text)]
    quote: Annotated[str, BeforeValidator(_strict_text)] | None = None
    ref: Annotated[str, BeforeValidator(_strict_text)] | None = None
    reports: Annotated[str, BeforeValidator(_strict_text)] | None = None
    opinion: bool = False


@cache
def node_model(label_name: str, model: Schema | None = None) -> type[BaseModel]:
    model = model or schema()
    label = model.label(label_name)
    fields = {
        p.name: _field(p) for p in model.node_properties(label) if p.name not in ("id", "basis")
    }
    return create_model(f"{label_name}Record", __config__=_CONFIG, **fields)


@cache
def rel_model(reltype: RelType) -> type[BaseModel]:
    """A relationship entry's properties: its type's own, and `inferred` where it is cited."""
    props = (*reltype.properties, *((INFERRED,) if reltype.cited else ()))
    fields = {p.name: _field(p) for p in props}
    return create_model(f"{reltype.name}Entry", __config__=_CONFIG, **fields)


def first_error(error: ValidationError) -> tuple[str | None, str]:
    """The first problem of a ValidationError: the key it is about and a short message."""
    detail = error.errors()[0]
    location = [str(part) for part in detail["loc"]]
    key = location[0] if location else None
    if detail["type"] == "extra_forbidden":
        return key, f"unknown property '{key}'"
    message = detail["msg"].removeprefix("Value error, ")
    where = ".".join(location)
    return key, f"{where}: {message}" if where else message


def stored_values(props: tuple[Property, ...], values: dict[str, Any]) -> dict[str, Any]:
    """Validated values under their stored column names; dates split into date and precision."""
    row: dict[str, Any] = {}
    for prop in props:
        value = values.get(prop.name)
        if prop.type == "DATE":
            row[prop.stored] = value[0] if value else None
            row[f"{prop.name}_precision"] = value[1] if value else None
        elif prop.name in values:
            row[prop.stored] = value
    return row
