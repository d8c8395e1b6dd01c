"""What every command shares: the store the root options chose, common options, and output.

Apart from cli.py so that the command modules (imported lazily by cli.py) depend on this and
cli.py on them, never in a circle.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from oversight.graph.store import Store

FORMATS = ("table", "csv", "json", "html")


class Context:
    def __init__(self, db: str | None, neo4j: str | None, debug: bool) -> None:
        self.db, self.neo4j, self.debug = db, neo4j, debug
        self.queries_dirs: tuple[Path, ...] = ()
        self.facts_only = False  # --facts-only: leave out what is marked `inferred`

    def embedded_file(self) -> Path | None:
        """The embedded store's file, or None when the store is a Neo4j server."""
        from oversight.graph.stores import chosen_file, chosen_uri

        return None if chosen_uri(self.neo4j) else Path(chosen_file(self.db))

    def store(self, *, read_only: bool = False) -> Store:
        from oversight.graph.stores import open_store

        ask = _ask_password if sys.stdin.isatty() else None
        return open_store(self.db, self.neo4j, read_only=read_only, ask_password=ask)


def _ask_password() -> str:
    """A hidden prompt on stderr, so that JSON or CSV on stdout stays clean."""
    return click.prompt("Neo4j password", hide_input=True, err=True)


pass_context = click.make_pass_decorator(Context)


QUERIES_DIR = click.option(
    "--queries-dir",
    "queries_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Also read saved queries from DIR (repeatable; after OVERSIGHT_QUERIES, which is "
    "os.pathsep-separated); a query there overrides a bundled one of the same name.",
)


def PARAMS(reads: str) -> Any:  # a decorator factory, named like RAW
    """`--param/-p NAME=VALUE`, repeatable; `reads` says how the value is read."""
    return click.option(
        "--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help=f"A parameter, {reads}"
    )


def OUTPUT(command: Any) -> Any:  # a decorator, named like RAW
    """`--format` and `-o`: how a result is written and where (query run and cypher)."""
    command = click.option(
        "-o", "--output", type=click.Path(path_type=Path), help="Write to a file."
    )(command)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        help="Default: from -o's suffix (.csv, .json, .html), else a table.",
    )(command)


RAW = click.option(
    "--raw",
    is_flag=True,
    help="CSV: write cells as they are. Without it, a text cell that starts with =, +, -, @, "
    "tab or CR gets a leading ' so that a spreadsheet shows it as text instead of running it "
    "as a formula (OWASP's advice); numbers stay numbers.",
)


def emit(
    result: Any,
    fmt: str | None,
    output: Path | None,
    *,
    title: str,
    subtitle: str,
    store: Store,
    raw: bool = False,
) -> None:
    """Print or write a result as a table, CSV, JSON or HTML (the store gives its evidence).

    CSV (and a table written to a file, which is CSV) is spreadsheet-safe unless `raw`.
    """
    from oversight import output as out

    fmt = fmt or infer_format(output)
    if fmt == "html":
        if output is None:
            raise click.UsageError("--format html needs -o FILE.html")
        emit_view(store, result, output, title=title, query=subtitle)
        return
    if fmt == "table" and output is None:
        out.print_table(result)
        return
    text = out.as_json(result) if fmt == "json" else out.as_csv(result, raw=raw)
    if output:
        write_text(output, text)
    else:
        click.echo(text, nl=False)


def emit_view(
    store: Store,
    result: Any,
    output: Path,
    *,
    title: str,
    query: str,
    parameters: dict[str, Any] | None = None,
    layout: str = "force",
    limit: int = 1500,
    also: Iterable[str] = (),
    focused: bool = False,
    root: str | None = None,
    facts_only: bool = False,
) -> None:
    """Write the HTML view of a result, with the citations of everything it shows.

    The view draws every entity the result names (visualise/draw.py), `also` the given ids
    (a query's entity parameters); a `focused` result (a saved query's `view:` columns) is
    drawn as it is. A result with nothing to draw is an error, never a blank page.
    """
    from oversight.visualise.html import ViewSpec, write_page
    from oversight.visualise.page import view_page

    spec = ViewSpec(title, query, dict(parameters or {}), layout, limit, root=root)
    page, result = view_page(store, result, spec, also=also, focused=focused, facts_only=facts_only)
    write_page(page, output)
    print_files([output], len(result.nodes), len(result.relationships))


def emit_saved_view(
    ctx: Context,
    store: Store,
    saved: Any,
    values: dict[str, Any],
    result: Any,
    output: Path,
    *,
    layout: str = "force",
    limit: int = 1500,
) -> None:
    """A saved query's answer as a view (`render`, `query run --format html`): its `view:`
    columns as they are, or everything it and its entity parameters name."""
    from oversight.queries.runner import parameter_ids, view_result

    emit_view(
        store,
        view_result(saved, result),
        output,
        title=saved.title,
        query=saved.name,
        parameters=values,
        layout=layout,
        limit=limit,
        also=parameter_ids(store, saved, values),
        focused=bool(saved.view),
        facts_only=ctx.facts_only,
    )


def print_files(files: list[Path], nodes: int, relationships: int) -> None:
    names = ", ".join(str(f) for f in files)
    if len(files) > 3:
        names = f"{len(files)} files in {files[0].parent}"
    click.echo(f"wrote {names} ({nodes} nodes, {relationships} relationships)")


def write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"{path}: cannot write: {error.strerror}") from error


def infer_format(output: Path | None) -> str:
    """`-o x.json` means JSON: the suffix says what the user wants when --format does not."""
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in ("csv", "json", "html") else "table"


def say(text: str) -> None:
    """What a reader should know beside the rows (a name taken for an id, an empty answer)."""
    click.echo(text, err=True)


def where(ctx: Context) -> str:
    """The store as messages show it: a Neo4j URI without its secrets, else the file."""
    from oversight.graph.stores import chosen_file, chosen_uri, shown_uri

    uri = chosen_uri(ctx.neo4j)
    return shown_uri(uri) if uri else chosen_file(ctx.db)
