"""Writing query results as a table, CSV or JSON (the HTML view lives in visualise/)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from oversight.graph.result import Result, json_ready, plain
from oversight.visualise.export import spreadsheet_safe


def _cell(value: Any) -> str:
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
        return "; ".join(_cell(v) for v in value)
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
        return _cell(value)
    return spreadsheet_safe(_cell(value))


def print_table(result: Result, title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in result.columns:
        table.add_column(column, overflow="fold")
    for row in result.rows:
        table.add_row(*(_escape(_cell(v)) for v in row))
    console = Console()
    console.print(table)
    console.print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}", style="dim")


def _escape(text: str) -> str:
    """Rich markup and terminal control characters from the data shown as plain text."""
    from rich.markup import escape

    return escape("".join(c if c.isprintable() or c == "\n" else repr(c)[1:-1] for c in text))
