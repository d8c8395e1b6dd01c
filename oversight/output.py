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
    """Rows as a table, then how many there are."""
    cells = [[_escape(_cell(v)) for v in row] for row in result.rows]
    print_cells([_escape(c) for c in result.columns], cells, title)
    from rich.console import Console

    Console().print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}", style="dim")


def print_cells(columns: list[str], cells: list[list[str]], title: str | None = None) -> None:
    """A table whose words are never broken nor cut: when the columns cannot each fit their
    longest word in the terminal's width, each row is printed as a record, one line per
    column (as psql's expanded display does). Cells are rich markup, already escaped."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    widths = _widths(columns, cells, console.width)
    if widths is not None:
        table = Table(title=title, show_lines=False)
        for column, width in zip(columns, widths, strict=True):
            table.add_column(column, overflow="fold", width=width)
        for row in cells:
            table.add_row(*row)
        console.print(table)
        return
    if title:
        console.print(title, style="italic")
    for number, row in enumerate(cells, start=1):
        record = Table(title=f"record {number}", title_justify="left", show_header=False)
        record.add_column(style="bold", no_wrap=True)
        record.add_column(overflow="fold")
        for column, value in zip(columns, row, strict=True):
            record.add_row(column, value)
        console.print(record)


def _widths(columns: list[str], cells: list[list[str]], width: int) -> list[int] | None:
    """Column widths that break no word within the terminal's width, or None if there are
    none: every column gets its longest word, and what is left goes to the columns whose
    text is longer, in proportion to what they lack. (rich's own sizing folds words when
    space is short.) 3 characters of border and padding a column, one at the end."""
    texts = [[column, *(row[i] for row in cells)] for i, column in enumerate(columns)]
    least = [max(len(w) for t in column for w in t.split() or [""]) for column in texts]
    most = [
        max(max(len(line) for line in t.splitlines() or [""]) for t in column) for column in texts
    ]
    spare = width - 1 - 3 * len(columns) - sum(least)
    if spare < 0:
        return None
    lack = [m - n for m, n in zip(most, least, strict=True)]
    if sum(lack) <= spare:
        return most
    return [n + spare * gap // sum(lack) for n, gap in zip(least, lack, strict=True)]


def _escape(text: str) -> str:
    """Rich markup and terminal control characters from the data shown as plain text."""
    from rich.markup import escape

    return escape("".join(c if c.isprintable() or c == "\n" else repr(c)[1:-1] for c in text))
