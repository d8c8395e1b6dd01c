"""`oversight query`: list, show and run the saved queries of queries/ (and user folders).

Registered on the main group in oversight/cli.py. The store comes from the root group's
Context object (`ctx.store(read_only=True)`), as for every other command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from oversight.context import OUTPUT, PARAMS, QUERIES_DIR, RAW, say

if TYPE_CHECKING:
    from oversight.context import Context
    from oversight.queries.library import SavedQuery


@click.group("query")
@QUERIES_DIR
@click.pass_context
def query(ctx: click.Context, queries_dirs: tuple[Path, ...]) -> None:
    """Saved, parameterised queries that answer investigators' questions."""
    ctx.meta["oversight.queries_dirs"] = queries_dirs


def _dirs() -> tuple[Path, ...]:
    """`oversight --queries-dir` folders, then `oversight query --queries-dir` ones."""
    ctx = click.get_current_context()
    global_dirs = getattr(ctx.find_root().obj, "queries_dirs", ())
    return (*global_dirs, *ctx.meta.get("oversight.queries_dirs", ()))


def _get(name: str) -> SavedQuery:
    from oversight.queries.library import get_query

    return get_query(name, _dirs())


@query.command("list")
def list_command() -> None:
    """List the saved queries with their parameters."""
    from oversight.output import _escape, print_cells
    from oversight.queries.library import list_queries

    saved_queries = list_queries(_dirs())
    columns = ["name", "title", "parameters"]
    everywhere = not all(q.bundled for q in saved_queries)
    if everywhere:
        columns.append("from")
    rows = []
    for saved in saved_queries:
        cells = [
            saved.name,
            _escape(saved.title),
            _escape("\n".join(p.describe() for p in saved.params)),
        ]
        if everywhere:
            cells.append("bundled" if saved.bundled else _escape(str(saved.path.parent)))
        rows.append(cells)
    print_cells(columns, rows, title="saved queries")


@query.command("show")
@click.argument("name")
def show_command(name: str) -> None:
    """Print a saved query: its header and its Cypher, ready to paste into Neo4j Browser."""
    saved = _get(name)
    click.echo(saved.text, nl=not saved.text.endswith("\n"))


@query.command("run")
@click.argument("name")
@PARAMS(
    "read by its declared type: text, number, true/false, YYYY-MM-DD, a list as a JSON array "
    "or comma-separated; `null` for none."
)
@click.option("--example", is_flag=True, help="Use the header's example values (--param wins).")
@OUTPUT
@RAW
@click.pass_obj
def run_command(
    obj: Context,
    name: str,
    params: tuple[str, ...],
    example: bool,
    fmt: str | None,
    output: Path | None,
    raw: bool,
) -> None:
    """Run saved query NAME, read-only.

    Table and CSV output leave out the columns the header's `view` names for the graph
    view; JSON has every column; HTML draws the view columns.
    """
    from oversight.context import emit, emit_saved_view, infer_format
    from oversight.queries.runner import example_values, parse_text_values, run

    fmt = fmt or infer_format(output)
    saved = _get(name)
    values = example_values(saved) if example else {}
    values.update(parse_text_values(saved, params))
    with obj.store(read_only=True) as store:
        result = run(store, saved, values, say=say, facts_only=obj.facts_only)
        if fmt == "html":
            if output is None:
                raise click.UsageError("--format html needs -o FILE.html")
            emit_saved_view(obj, store, saved, values, result, output)
            return
        if fmt in ("table", "csv") and saved.view:
            from oversight.visualise.rows import without

            result = without(result, saved.view)
        # The HTML view looks up the citations of what it shows: the store is still open.
        emit(result, fmt, output, title=saved.title, subtitle=saved.text, store=store, raw=raw)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
