"""The `oversight` command line: wires graph/, loaders/, queries/ and visualise/ together.

Imports of the heavy libraries (the stores, neo4j, pyvis, networkx) happen inside commands so
that `oversight --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from oversight.context import (
    FORMATS,
    QUERIES_DIR,
    RAW,
    Context,
    emit,
    pass_context,
)

if TYPE_CHECKING:
    from oversight.graph.result import Result
    from oversight.graph.store import Store

# Commands in their own modules, imported only when run: `oversight --help` lists them from
# this table (tests/test_cli.py checks each line against the command's own help).
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "query": (
        "oversight.query_commands:query",
        "Saved, parameterised queries that answer investigators' questions.",
    ),
    "render": (
        "oversight.view_commands:render",
        "Draw saved query NAME as one self-contained HTML file.",
    ),
    "explore": (
        "oversight.view_commands:explore",
        "Draw the neighbourhood of ENTITY (an id, a name or an alias).",
    ),
    "export": (
        "oversight.view_commands:export",
        "Export the graph, or saved queries' results, for Gephi, Cytoscape, neo4j-admin or Aleph.",
    ),
    "load-documents": (
        "oversight.document_commands:load_documents",
        "Load documents (.txt, .md, .html, .pdf; files or folders) as passages that mention",
    ),
    "candidates": (
        "oversight.document_commands:candidates",
        "Names in loaded documents that match no known entity: people and bodies that may",
    ),
    "synth": (
        "oversight.synth_commands:synth",
        "Write a synthetic dataset: per authority its council, posts and their holders, bodies,",
    ),
    "serve": (
        "oversight.serve_commands:serve",
        "Serve the graph read-only on http://127.0.0.1:8001/: saved queries as forms, tables and",
    ),
    "review": (
        "oversight.review_commands:review",
        "Write a review sheet: every claim with its value, its quotes in their passages, the",
    ),
}


class LazyGroup(click.Group):
    """A group whose commands in LAZY_COMMANDS are imported only when one of them runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS and name not in self.commands:
            import importlib

            module, attribute = LAZY_COMMANDS[name][0].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click does it, but lazy commands' help comes from the table, unimported."""
        from click.utils import make_default_short_help

        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            if name in LAZY_COMMANDS and name not in self.commands:
                rows.append((name, make_default_short_help(LAZY_COMMANDS[name][1], limit)))
            else:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="OVERSIGHT_DB",
    metavar="PATH",
    help="Embedded database file [default: ./oversight.lbug; env OVERSIGHT_DB].",
)
@click.option(
    "--neo4j",
    metavar="URI",
    help="Use the Neo4j server at URI (env NEO4J_URI; NEO4J_USERNAME, NEO4J_PASSWORD, "
    "NEO4J_DATABASE).",
)
@QUERIES_DIR
@click.option(
    "--facts-only",
    is_flag=True,
    envvar="OVERSIGHT_FACTS_ONLY",
    help="Leave inferences out: drop every result row that holds a node or relationship "
    "marked `inferred` (query run, cypher, render, explore, export), and set `facts_only` "
    "in saved queries that declare it [env OVERSIGHT_FACTS_ONLY].",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.version_option(package_name="oversight")
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    neo4j: str | None,
    queries_dirs: tuple[Path, ...],
    facts_only: bool,
    debug: bool,
) -> None:
    """Public reporting on a failing public service, as a graph investigators can question."""
    ctx.obj = Context(db, neo4j, debug)
    ctx.obj.queries_dirs = queries_dirs
    ctx.obj.facts_only = facts_only


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Empty the store first (in the same transaction).")
@click.option("-v", "--verbose", is_flag=True, help="Say what each phase did, on stderr.")
@click.option("--report", is_flag=True, help="With `load documents`: the links per document.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["dataset", "ftm"]),
    default="dataset",
    show_default=True,
    help="ftm: one FILE of FollowTheMoney entities (JSON lines); see docs/ftm.md.",
)
@pass_context
def load(
    ctx: Context, paths: tuple[Path, ...], replace: bool, verbose: bool, report: bool, fmt: str
) -> None:
    """Load dataset folders or files (default: the bundled Tower Hamlets dataset).

    Every file is validated before anything is written; the load is one transaction, so an
    error, Ctrl-C or a killed process leaves the store as it was. `oversight load documents
    PATH...` is `oversight load-documents PATH...`.
    """
    from rich.progress import Progress

    if fmt == "ftm":
        from oversight.ftm_commands import load_ftm

        load_ftm(ctx, paths, replace=replace, where=_where(ctx))
        return
    if paths and paths[0] == Path("documents") and not paths[0].exists():
        from oversight.document_commands import load_documents

        if len(paths) == 1:
            raise click.UsageError("load documents needs PATH...")
        click.get_current_context().invoke(load_documents, paths=paths[1:], report=report)
        return

    from oversight.loaders.dataset import BUNDLED, graph_rows, read_dataset

    def say(text: str) -> None:
        if verbose:
            click.echo(text, err=True)

    dataset = read_dataset(paths or (BUNDLED,), lines=False)  # an error is read again with lines
    nodes, rels = graph_rows(dataset)
    total = sum(map(len, nodes.values())) + sum(map(len, rels.values()))
    say(f"validated {len(dataset.nodes)} records and {total - len(dataset.nodes)} relationships")
    with ctx.store() as store, Progress(transient=True, disable=verbose) as bar:
        task = bar.add_task("loading", total=total)
        say(f"writing to {_where(ctx)} in one transaction")
        store.load(nodes, rels, replace=replace, progress=lambda n: bar.advance(task, n))
        say("committed")
    click.echo(
        f"loaded {len(dataset.nodes)} nodes and {total - len(dataset.nodes)} relationships "
        f"into {_where(ctx)}"
    )


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_context
def stats(ctx: Context, fmt: str) -> None:
    """Count nodes per label and relationships per type."""
    with ctx.store(read_only=True) as store:
        counts = store.counts()
    if fmt == "json":
        import json

        click.echo(json.dumps(counts, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for kind, title in (("nodes", "label"), ("relationships", "type")):
        table = Table(title=f"{kind} in {_where(ctx)}")
        table.add_column(title)
        table.add_column("count", justify="right")
        for name, count in counts[kind].items():
            table.add_row(name, str(count))
        table.add_row("total", str(sum(counts[kind].values())), style="bold")
        console.print(table)


@cli.command()
def schema() -> None:
    """Print the data model as Markdown."""
    from oversight.graph.describe import schema_markdown

    click.echo(schema_markdown(), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--strict",
    is_flag=True,
    help="Also fail on an inference a machine can see that is not marked `inferred:` (a "
    "lineage link whose words share no subject with the finding it follows up; a reporting "
    "line whose quotes do not name both posts).",
)
def verify(paths: tuple[Path, ...], strict: bool) -> None:
    """Check every quote is in its source and says what its claim records.

    Each failed check is one `file:line: ...` line: a quote not in its source, or one that
    does not hold the value, unit, grade, date, name or alias recorded, or is too short to
    say anything. A summary follows: checks run per kind, claims no machine can check per
    kind, and inferences marked.
    """
    from oversight.loaders.dataset import BUNDLED, read_dataset
    from oversight.loaders.verify import verification

    dataset = read_dataset(paths or (BUNDLED,))
    found = verification(dataset)
    failures = found.failures + (found.suspects if strict else [])
    for failure in failures:
        click.echo(str(failure))
    for line in found.summary(dataset):
        click.echo(line)
    if failures:
        first = failures[0]
        raise click.ClickException(
            f"{first}"
            if len(failures) == 1
            else f"{len(failures)} checks failed, listed above; the first: {first}"
        )
    cites = sum(1 for _ in dataset.citations())
    click.echo(
        f"ok: {len(dataset.nodes)} nodes, {len(dataset.relationships)} relationships, "
        f"{cites} citations checked against their sources and their claims"
    )


@cli.command()
@click.argument("query")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter; the value is read as JSON when it parses, else as text.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Default: from -o's suffix (.csv, .json, .html), else a table.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file.")
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
@RAW
@pass_context
def cypher(
    ctx: Context,
    query: str,
    params: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    write: bool,
    raw: bool,
) -> None:
    """Run an ad-hoc Cypher QUERY (read-only unless --write)."""
    parameters = dict(_parse_param(p) for p in params)
    _check_bound(query, parameters)
    with ctx.store(read_only=not write) as store:
        result = _run_cypher(store, query, parameters, write)
        if ctx.facts_only:
            from oversight.graph.result import without_inferred

            result = without_inferred(result)
        emit(result, fmt, output, title="oversight cypher", subtitle=query, store=store, raw=raw)


def _run_cypher(store: Store, query: str, parameters: dict[str, Any], write: bool) -> Result:
    """The statement, with the command line's way out when a read turns out to write (the
    gate itself names no flag: the server shows its words too)."""
    from oversight.graph.gate import StatementRefused

    try:
        return store.write(query, parameters) if write else store.read(query, parameters)
    except StatementRefused as refused:
        if not refused.writes or write:
            raise
        reason = f"{refused.reason} (use --write to change the graph)"
        raise StatementRefused(
            refused.what, reason, refused.line, refused.column, writes=True
        ) from None


def _check_bound(query: str, parameters: dict[str, Any]) -> None:
    """A $parameter with no value would be null on one engine and an error on the other: an
    answer that silently matches nothing, or everything. Say so instead."""
    from oversight.graph.gate import tokenize

    used = {t.text for t in tokenize(query) if t.kind == "param"}
    unbound = sorted(used - set(parameters))
    if unbound:
        names = ", ".join(f"${name}" for name in unbound)
        hint = " ".join(f"-p {name}=VALUE" for name in unbound)
        raise click.UsageError(f"unbound parameter {names}: give a value with {hint}")


def _parse_param(text: str) -> tuple[str, Any]:
    """NAME=VALUE: JSON within bounds (graph/inputs.py), or the text when it is not JSON."""
    import json

    from oversight.graph.inputs import ValueRefused, loads

    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise click.BadParameter(f"'{text:.60}' is not NAME=VALUE", param_hint="--param")
    try:
        return name, loads(value)
    except ValueRefused as error:
        raise click.BadParameter(f"'{name}': {error.message}", param_hint="--param") from None
    except json.JSONDecodeError:
        return name, value


def _where(ctx: Context) -> str:
    """The store as messages show it: a Neo4j URI without its secrets, else the file."""
    import os

    uri = ctx.neo4j or os.environ.get("NEO4J_URI")
    if uri:
        from oversight.graph.stores import shown_uri

        return shown_uri(uri)
    return str(ctx.db or os.environ.get("OVERSIGHT_DB") or "oversight.lbug")


class OutputFailed(Exception):
    """Standard output could not be written: a full disk, /dev/full, a closed pipe."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.errno = error.errno


class _Stdout:
    """sys.stdout whose failed writes raise OutputFailed, which main() reports in one line.

    click.echo and rich both write to sys.stdout; everything else is passed through.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as error:
            raise OutputFailed(error) from error

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise OutputFailed(error) from error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _discard_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so the interpreter's last flush succeeds."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main() -> None:
    """Entry point: user mistakes and failures are one line on stderr, with an exit code.

    2: the command line is wrong; 1: the input, data or store failed; 130: interrupted.
    Tracebacks only with --debug, or for bugs.
    """
    import errno

    debug = "--debug" in sys.argv
    if sys.stdout is not None and not isinstance(sys.stdout, _Stdout):
        sys.stdout = _Stdout(sys.stdout)
    try:
        cli.main(standalone_mode=False, prog_name="oversight")
        sys.stdout.flush()
    except OutputFailed as failed:
        _discard_stdout()
        if failed.errno == errno.EPIPE:  # `oversight ... | head`: the reader has all it wants
            sys.exit(141)
        if debug:
            raise
        click.echo(f"error: standard output: cannot write: {failed}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("error: interrupted; any unfinished write was rolled back", err=True)
        sys.exit(130)
    except click.UsageError as error:
        if debug:
            raise
        hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
        click.echo(f"error: {_one_line(error.format_message())}{hint}", err=True)
        sys.exit(2)
    except click.ClickException as error:
        if debug:
            raise
        click.echo(f"error: {_one_line(error.format_message())}", err=True)
        sys.exit(error.exit_code)
    except Exception as error:
        from oversight.graph.errors import OversightError

        if debug or not isinstance(error, OversightError):
            raise
        click.echo(f"error: {_one_line(str(error))}", err=True)
        sys.exit(error.exit_code)


def _one_line(text: str) -> str:
    """A message as one line, control characters shown as escapes (they came from input)."""
    flat = " ".join(text.split())
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in flat)
