"""The `oversight` command line: wires graph/, loaders/, queries/ and visualise/ together.

`oversight --help` imports click and this module, and context.py for the root options, and
nothing else of ours: every command lives in its own module, imported when it runs, and the
help lists them from LAZY_COMMANDS. The heavy libraries (the stores, neo4j, pyvis,
networkx, rich, pydantic, yaml) are imported inside the commands that use them
(tests/test_cli.py checks both).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from oversight import __version__
from oversight.context import QUERIES_DIR, Context

# Commands in their own modules, imported only when run: `oversight --help` lists them from
# this table (tests/test_cli.py checks each line against the command's own help).
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "load": (
        "oversight.graph_commands:load",
        "Load dataset folders or files (default: the bundled Tower Hamlets dataset).",
    ),
    "stats": (
        "oversight.graph_commands:stats",
        "Count nodes per label and relationships per type.",
    ),
    "schema": ("oversight.graph_commands:schema", "Print the data model as Markdown."),
    "verify": (
        "oversight.graph_commands:verify",
        "Check every quote is in its source and says what its claim records.",
    ),
    "cypher": (
        "oversight.graph_commands:cypher",
        "Run an ad-hoc Cypher QUERY (read-only unless --write).",
    ),
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
@click.version_option(__version__, prog_name="oversight")  # not from package metadata
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
