"""Views and exports on the command line: `render`, `explore`, `export`."""

from __future__ import annotations

from pathlib import Path

import click

from oversight.cli import RAW, Context, emit_view, pass_context, print_files

EXPORT_FORMATS = ("graphml", "gexf", "json", "cytoscape", "neo4j-csv")
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
    from oversight.queries.runner import example_values, parse_text_values, run, view_result

    saved = get_query(name, ctx.queries_dirs)
    values = example_values(saved) if example else {}
    values.update(parse_text_values(saved, params))
    with ctx.store(read_only=True) as store:
        result = view_result(saved, run(store, saved, values))
        emit_view(
            store,
            result,
            output,
            title=saved.title,
            query=saved.name,
            parameters=values,
            layout=layout,
            limit=limit,
        )


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
    from oversight.visualise.explore import explore as neighbourhood
    from oversight.visualise.explore import resolve

    with ctx.store(read_only=True) as store:
        match = resolve(store, entity)
        result = neighbourhood(store, match.id, depth, types)
        emit_view(
            store,
            result,
            output,
            title=f"{match.name}: neighbourhood",
            query="explore",
            parameters={"entity": match.id, "depth": depth, **({"types": types} if types else {})},
            layout=layout,
            limit=limit,
        )


@click.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File (a folder for neo4j-csv) [default: oversight.<format> / neo4j-import/].",
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
    """Export the whole graph, or saved queries' results, for Gephi, Cytoscape or neo4j-admin."""
    from oversight.graph.result import Result
    from oversight.visualise.export import export as write
    from oversight.visualise.export import neo4j_admin_command, whole_graph

    default = Path("neo4j-import") if fmt == "neo4j-csv" else Path(f"oversight.{fmt}")
    output = output or default
    with ctx.store(read_only=True) as store:
        if not query_names:
            result = whole_graph(store)
        else:
            from oversight.queries.library import get_query
            from oversight.queries.runner import example_values, parse_text_values, run

            result = Result(columns=[], rows=[])
            for name in query_names:
                saved = get_query(name, ctx.queries_dirs)
                values = example_values(saved) if example else {}
                values.update(parse_text_values(saved, params))
                part = run(store, saved, values)
                result.nodes.update(part.nodes)
                result.relationships.update(part.relationships)
    files = write(result, fmt, output, raw=raw)
    print_files(files, len(result.nodes), len(result.relationships))
    if fmt == "neo4j-csv":
        click.echo("import with:\n" + neo4j_admin_command(files))
