"""Writing query results as a table, CSV or JSON (the HTML view lives in visualise/)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oversight.visualise.rows import as_csv, as_json, cell

if TYPE_CHECKING:
    from oversight.graph.result import Result

__all__ = ["as_csv", "as_json", "print_cells", "print_table"]


def print_table(result: Result, title: str | None = None) -> None:
    """Rows as a table, then how many there are."""
    cells = [[_escape(cell(v)) for v in row] for row in result.rows]
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
