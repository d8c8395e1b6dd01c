"""A result's rows as text: table cells, JSON and CSV, the one writer that the command line
(oversight/output.py) and the server (serve/) share, so that the same question gives the same
bytes on either."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from oversight.graph.result import Result, json_ready, plain
from oversight.visualise.export import spreadsheet_safe


def cell(value: Any) -> str:
    """A value as a table cell: a node as (Label name), a relationship as [TYPE a -> b]."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, dict):
        if "label" in value and "id" in value:
            return f"({value['label']} {value.get('name') or value['id']})"
        if "type" in value and "start" in value:
            return f"[{value['type']} {value['start']} -> {value['end']}]"
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "; ".join(cell(v) for v in value)
    return str(value)


def as_json(result: Result) -> str:
    """Valid JSON: NaN and infinities are written as null."""
    records = json_ready(result.records())
    return json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def as_csv(result: Result, *, raw: bool = False) -> str:
    """CSV whose text cells cannot run as spreadsheet formulas, unless `raw`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_cell(c, raw) for c in result.columns])
    writer.writerows([_csv_cell(v, raw) for v in row] for row in result.rows)
    return buffer.getvalue()


def _csv_cell(value: Any, raw: bool) -> str:
    """A number (-3, 2.5) is written as it is; text is made safe (see spreadsheet_safe)."""
    if raw or isinstance(value, int | float):  # bool is an int: True, False
        return cell(value)
    return spreadsheet_safe(cell(value))


def without(result: Result, columns: tuple[str, ...]) -> Result:
    """The result without the given columns (a graph view's), as tables and CSV show it."""
    keep = [i for i, c in enumerate(result.columns) if c not in columns]
    return Result(
        columns=[result.columns[i] for i in keep],
        rows=[tuple(row[i] for i in keep) for row in result.rows],
        nodes=result.nodes,
        relationships=result.relationships,
    )
