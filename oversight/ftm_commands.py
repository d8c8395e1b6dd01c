"""`oversight load --format ftm FILE`: FollowTheMoney entities into the store.

Called from `load` in oversight/cli.py; followthemoney is imported only here, when it runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from oversight.context import Context


def load_ftm(ctx: Context, paths: tuple[Path, ...], *, replace: bool, where: str) -> None:
    """Read and check FILE, then against the store, then write it in one transaction."""
    from rich.progress import Progress

    from oversight.loaders.ftm import link_ftm, parse_ftm, write_ftm

    if len(paths) != 1:
        raise click.UsageError("load --format ftm takes one FILE (FtM entities, JSON lines)")
    if replace:
        raise click.UsageError("--replace is for datasets; an FtM file adds to the store")
    parsed = parse_ftm(paths[0])  # every line checked before the store is opened
    with ctx.store() as store:
        imported = link_ftm(parsed, store)
        total = sum(map(len, imported.nodes.values()))
        total += sum(map(len, imported.relationships.values()))
        with Progress(transient=True) as bar:
            task = bar.add_task("loading", total=total)
            write_ftm(store, imported, progress=lambda n: bar.advance(task, n))
    for line in imported.summary():
        click.echo(line)
    click.echo(f"loaded into {where}")
