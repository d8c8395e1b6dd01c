"""Views and exports on the command line: `render`, `explore`, `export`."""

from __future__ import annotations

from pathlib import Path

import click

from oversight.context import (
    RAW,
    Context,
    emit_saved_view,
    emit_view,
    pass_context,
    print_files,
    say,
)

EXPORT_FORMATS = ("graphml", "gexf", "json", "cytoscape", "neo4j-csv", "ftm")
_LIMIT = click.option(
    "--limit",
    type=click.IntRange(1),
    default=1500,
    show_default=True,
    help="Refuse to draw more nodes than this.",
)
_LAYOUT = click.option(
    "--layout", type=click.Choice(["force", "hierarchical"]), default="force", show_default=True
)


@click.command()
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE")
@click.option("--example", is_flag=True, help="Use the example values from the query's header.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@_LAYOUT
@_LIMIT
@pass_context
def render(
    ctx: Context,
    name: str,
    params: tuple[str, ...],
    example: bool,
    output: Path,
    layout: str,
    limit: int,
) -> None:
    """Draw saved query NAME as one self-contained HTML file."""
    from oversight.queries.library import get_query
    from oversight.queries.runner import example_values, parse_text_values, run

    saved = get_query(name, ctx.queries_dirs)
    values = example_values(saved) if example else {}
    values.update(parse_text_values(saved, params))
    with ctx.store(read_only=True) as store:
        result = run(store, saved, values, say=say, facts_only=ctx.facts_only)
        emit_saved_view(ctx, store, saved, values, result, output, layout=layout, limit=limit)


@click.command()
@click.argument("entity")
@click.option("--depth", type=click.IntRange(1, 4), default=1, show_default=True)
@click.option(
    "--types", metavar="T,...", help="Relationship types to follow (default: all but CITED_IN)."
)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@_LAYOUT
@_LIMIT
@pass_context
def explore(
    ctx: Context,
    entity: str,
    depth: int,
    types: str | None,
    output: Path,
    layout: str,
    limit: int,
) -> None:
    """Draw the neighbourhood of ENTITY (an id, a name or an alias)."""
    from oversight.graph.resolve import resolve
    from oversight.visualise.explore import explore as neighbourhood

    with ctx.store(read_only=True) as store:
        match = resolve(store, entity)
        if match.how not in ("id", "name"):
            click.echo(f"'{entity}': {match.describe()}, {match.how}", err=True)
        result = neighbourhood(store, match.id, depth, types)
        if ctx.facts_only:
            from oversight.graph.result import without_inferred

            result = without_inferred(result)
        emit_view(
            store,
            result,
            output,
            title=f"{match.name}: neighbourhood",
            query="explore",
            parameters={"entity": match.id, "depth": depth, **({"types": types} if types else {})},
            layout=layout,
            limit=limit,
            root=match.id,
            facts_only=ctx.facts_only,
        )


@click.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File (a folder for neo4j-csv) [default: oversight.<format> / neo4j-import/ / "
    "oversight.ftm.json].",
)
@click.option(
    "--query",
    "query_names",
    multiple=True,
    metavar="NAME",
    help="Export a saved query's result instead of the whole graph (repeatable).",
)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE")
@click.option("--example", is_flag=True, help="Run the queries with their example values.")
@RAW
@pass_context
def export(
    ctx: Context,
    fmt: str,
    output: Path | None,
    query_names: tuple[str, ...],
    params: tuple[str, ...],
    example: bool,
    raw: bool,
) -> None:
    """Export the graph, or saved queries' results, for Gephi, Cytoscape, neo4j-admin or Aleph.

    `--format ftm` writes FollowTheMoney entities, one JSON object a line (docs/ftm.md).
    """
    from oversight.graph.result import Result
    from oversight.visualise.export import export as write
    from oversight.visualise.export import neo4j_admin_command, whole_graph

    defaults = {"neo4j-csv": Path("neo4j-import"), "ftm": Path("oversight.ftm.json")}
    default = defaults.get(fmt, Path(f"oversight.{fmt}"))
    output = output or default
    with ctx.store(read_only=True) as store:
        if not query_names:
            result = whole_graph(store)
            if ctx.facts_only:
                from oversight.graph.result import without_inferred

                result = without_inferred(result)
        else:
            from oversight.queries.library import get_query
            from oversight.queries.runner import (
                example_values,
                parameter_ids,
                parse_text_values,
                run,
            )
            from oversight.visualise.draw import NothingToDraw, drawable

            result = Result(columns=[], rows=[])
            for name in query_names:
                saved = get_query(name, ctx.queries_dirs)
                values = example_values(saved) if example else {}
                values.update(parse_text_values(saved, params))
                part = run(store, saved, values, say=say, facts_only=ctx.facts_only)
                if not part.nodes:  # a result of names and ids: export what it names
                    ids = parameter_ids(store, saved, values)
                    try:
                        part = drawable(store, part, ids, facts_only=ctx.facts_only)
                    except NothingToDraw as error:
                        say(f"{name}: {error}")
                result.nodes.update(part.nodes)
                result.relationships.update(part.relationships)
        if fmt == "ftm":
            from oversight.visualise.ftm import complete, write_ftm

            written = write_ftm(complete(store, result) if query_names else result, output)
    if fmt == "ftm":
        click.echo(
            f"wrote {output} ({written} FtM entities from {len(result.nodes)} nodes, "
            f"{len(result.relationships)} relationships)\ncheck with: ftm validate -i {output} "
            f"-o /dev/null\nload into Aleph with: alephclient write-entities -f FOREIGN_ID "
            f"-i {output}"
        )
        return
    files = write(result, fmt, output, raw=raw)
    print_files(files, len(result.nodes), len(result.relationships))
    if fmt == "neo4j-csv":
        click.echo("import with:\n" + neo4j_admin_command(files))
