"""`oversight load-documents` and `oversight candidates`: documents into passages and mentions.

Registered on the main group in oversight/cli.py. The store comes from the root group's Context
object (`click.pass_obj`), as for every other command. Heavy imports happen inside the commands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from oversight.context import where

if TYPE_CHECKING:
    from rich.console import Console

    from oversight.context import Context
    from oversight.loaders.documents.evaluate import Score


@click.command("load-documents")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--report",
    is_flag=True,
    help="Show, per document, the entities linked and the candidate new names; for sources "
    "the curated dataset cites, the precision and recall of the links against its citations.",
)
@click.pass_obj
def load_documents(ctx: Context, paths: tuple[Path, ...], report: bool) -> None:
    """Load documents (.txt, .md, .html, .pdf; files or folders) as passages that mention
    the known people, posts, bodies, services and inspections.

    Metadata comes from a sidecar FILE.yaml or a corpus.yaml in the folder. Loading a file
    again changes nothing; a changed file replaces its earlier version. One transaction.
    """
    from rich.progress import Progress

    from oversight.loaders.documents.load import (
        document_files,
        graph_rows,
        prepare,
        row_count,
        write_rows,
    )

    files = document_files(paths)
    with ctx.store() as store, Progress(transient=True) as bar:
        reading = bar.add_task("reading documents", total=len(files))
        documents, linker = prepare(store, files, on_document=lambda _: bar.advance(reading))
        changed = [d for d in documents if d.status != "unchanged"]
        rows = graph_rows(documents)
        writing = bar.add_task("writing", total=max(row_count(rows), 1), visible=bool(changed))
        written = write_rows(store, rows, progress=lambda n: bar.advance(writing, n))
        scores = []
        if report:
            from oversight.loaders.documents.report import evaluate

            scores = evaluate(store, documents, linker)
    if report:
        from rich.console import Console

        from oversight.loaders.documents.report import describe

        console = Console()
        for document in documents:
            _print_document(console, describe(document, linker))
        if scores:
            _print_scores(console, scores)
    counts = {s: sum(1 for d in documents if d.status == s) for s in ("new", "replaced")}
    unchanged = len(documents) - sum(counts.values())
    passages = sum(len(d.paragraphs) for d in changed)
    mentions = sum(len(r) for (kind, _, _), r in rows[1].items() if kind == "MENTIONS")
    click.echo(
        f"{len(documents)} document{'s' if len(documents) != 1 else ''}: {counts['new']} new, "
        f"{counts['replaced']} replaced, {unchanged} unchanged; wrote {passages} passages "
        f"with {mentions} mentions ({written} rows) into {where(ctx)}"
    )


@click.command("candidates")
@click.option("--source", metavar="ID", help="Only this source's passages (a `source/...` id).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def candidates(ctx: Context, source: str | None, fmt: str) -> None:
    """Names in loaded documents that match no known entity: people and bodies that may
    deserve a place in the dataset, strongest evidence first."""
    from oversight.loaders.documents.candidates import find_candidates, summarise
    from oversight.loaders.documents.linker import Known, Linker
    from oversight.loaders.documents.load import stored_passages

    rows: list[dict[str, Any]] = []
    with ctx.store(read_only=True) as store:
        passages = stored_passages(store, source)
        if source and not passages:
            raise click.ClickException(f"no passages loaded for '{source}'")
        linker = Linker(Known.from_store(store))
    for source_id, paragraphs in passages.items():
        texts = [p.text for p in paragraphs]
        where = [p.ref or f"¶{i}" for i, p in enumerate(paragraphs, start=1)]
        found = find_candidates(texts, linker.link(texts), linker)
        for summary in summarise(found):
            rows.append(
                {
                    "source": source_id,
                    "name": summary.text,
                    "kind": summary.kind,
                    "cues": summary.cues,
                    "count": summary.count,
                    "passages": [where[i] for i in summary.passages],
                    "context": summary.context,
                }
            )
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="candidate names", show_lines=False)
    for column in ("source", "name", "kind", "cues", "count", "passages", "context"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            _escape(row["source"]),
            _escape(row["name"]),
            row["kind"],
            ", ".join(row["cues"]),
            str(row["count"]),
            _escape(", ".join(row["passages"])),
            _escape(row["context"]),
        )
    console = Console()
    console.print(table)
    console.print(f"{len(rows)} candidate{'s' if len(rows) != 1 else ''}", style="dim")


# --- the report ----------------------------------------------------------------------------


def _print_document(console: Console, report: dict[str, Any]) -> None:
    from rich.table import Table

    date = f", {report['date']}" if report["date"] else ""
    console.rule(_escape(f"{report['title']}"))
    console.print(
        _escape(
            f"{report['file']} -> {report['source']} ({report['status']}{date}), "
            f"{report['passages']} passages"
        )
    )
    table = Table(title="linked", show_lines=False)
    for column in ("entity", "label", "how", "passages", "as written"):
        table.add_column(column, overflow="fold")
    for item in report["linked"]:
        table.add_row(
            _escape(f"{item['name']} ({item['entity']})"),
            item["label"],
            ", ".join(item["methods"]),
            _escape(_short(item["passages"])),
            _escape("; ".join(item["surfaces"][:3])),
        )
    console.print(table)
    if report["ambiguous"]:
        table = Table(title="ambiguous: not linked", show_lines=False)
        for column in ("as written", "passage", "could be"):
            table.add_column(column, overflow="fold")
        for item in report["ambiguous"]:
            table.add_row(
                _escape(item["surface"]),
                _escape(item["passage"]),
                _escape(", ".join(item["candidates"])),
            )
        console.print(table)
    if report["candidates"]:
        table = Table(title="candidate new names", show_lines=False)
        for column in ("name", "kind", "cues", "passages", "context"):
            table.add_column(column, overflow="fold")
        for item in report["candidates"]:
            table.add_row(
                _escape(item["name"]),
                item["kind"],
                ", ".join(item["cues"]),
                _escape(_short(item["passages"])),
                _escape(item["context"]),
            )
        console.print(table)
    if report["ofsted"]:
        _print_ofsted(console, report["ofsted"])


def _print_ofsted(console: Console, facts: dict[str, Any]) -> None:
    from rich.table import Table

    for visit in facts["visits"][:1]:
        console.print(f"visit: {visit['start']} to {visit['end']}")
    for inspector in facts["inspectors"]:
        lead = " (lead)" if inspector["lead"] else ""
        console.print(_escape(f"inspector: {inspector['name']}, {inspector['role']}{lead}"))
    for judgement in facts["judgements"]:
        console.print(_escape(f"judgement: {judgement['area']} - {judgement['grade']}"))
    if facts["measures"]:
        table = Table(title="candidate measures", show_lines=False)
        for column in ("value", "unit", "qualifier", "passage", "sentence"):
            table.add_column(column, overflow="fold")
        for measure in facts["measures"]:
            table.add_row(
                f"{measure['value']:g}",
                measure["unit"],
                measure["qualifier"] or "",
                _escape(measure["passage"]),
                _escape(measure["sentence"]),
            )
        console.print(table)


def _print_scores(console: Console, scores: list[Score]) -> None:
    from rich.table import Table

    from oversight.loaders.documents.evaluate import total

    table = Table(title="links against the curated citations", show_lines=False)
    for column in ("source", "gold", "found", "precision", "recall", "missed", "extra"):
        table.add_column(column, overflow="fold")
    for score in scores:
        table.add_row(
            _escape(score.source),
            str(len(score.gold)),
            str(len(score.found)),
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            _escape(", ".join(sorted(score.missed))),
            _escape(", ".join(sorted(score.extra))),
        )
    precision, recall = total(scores)
    table.add_row("total", "", "", f"{precision:.3f}", f"{recall:.3f}", "", "", style="bold")
    console.print(table)


def _short(items: list[str], limit: int = 8) -> str:
    return ", ".join(items[:limit]) + (f", … ({len(items)})" if len(items) > limit else "")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
