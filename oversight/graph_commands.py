"""Commands that fill and read the graph: load, counts, the data model, quote checks and
ad-hoc Cypher.

Apart from cli.py so that `oversight --help` neither compiles nor runs them (cli.py lists them
from its table).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from oversight.context import OUTPUT, PARAMS, RAW, Context, emit, pass_context, where

if TYPE_CHECKING:
    from oversight.graph.result import Result
    from oversight.graph.store import Store


@click.command()
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

        load_ftm(ctx, paths, replace=replace, where=where(ctx))
        return
    if paths and paths[0] == Path("documents") and not paths[0].exists():
        from oversight.document_commands import load_documents

        if len(paths) == 1:
            raise click.UsageError("load documents needs PATH...")
        click.get_current_context().invoke(load_documents, paths=paths[1:], report=report)
        return

    from oversight.loaders.child_read import dataset_rows
    from oversight.loaders.dataset import BUNDLED

    def say(text: str) -> None:
        if verbose:
            click.echo(text, err=True)

    db = ctx.embedded_file()
    # A big dataset is read in a child process: its records never share memory with the write.
    with dataset_rows(list(paths or (BUNDLED,)), db.parent if db else None) as rows:
        records = rows.records
        total = sum(map(len, rows.nodes.values())) + sum(map(len, rows.relationships.values()))
        if rows.child:
            say(f"read in a child process ({rows.child}), now gone with the records' memory")
        say(f"validated {records} records and {total - records} relationships")
        with ctx.store() as store, Progress(transient=True, disable=verbose) as bar:
            task = bar.add_task("loading", total=total)
            say(f"writing to {where(ctx)} in one transaction")
            store.load(
                rows.nodes,
                rows.relationships,
                replace=replace,
                progress=lambda n: bar.advance(task, n),
            )
            say("committed")
    click.echo(f"loaded {records} nodes and {total - records} relationships into {where(ctx)}")


@click.command()
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
        table = Table(title=f"{kind} in {where(ctx)}")
        table.add_column(title)
        table.add_column("count", justify="right")
        for name, count in counts[kind].items():
            table.add_row(name, str(count))
        table.add_row("total", str(sum(counts[kind].values())), style="bold")
        console.print(table)


@click.command()
def schema() -> None:
    """Print the data model as Markdown."""
    from oversight.graph.describe import schema_markdown

    click.echo(schema_markdown(), nl=False)


@click.command()
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


@click.command()
@click.argument("query")
@PARAMS("read as JSON when it parses, else as text.")
@OUTPUT
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
