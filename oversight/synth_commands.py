"""`oversight synth`: England-sized synthetic datasets in the curated format.

Registered on the main group in oversight/cli.py. Needs no store; the generator is
loaders/synth.py (imported inside the command so that `oversight --help` stays fast).
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("synth")
@click.option(
    "--authorities",
    "-n",
    type=click.IntRange(1, 9999),
    required=True,
    help="How many local authorities (England has 153).",
)
@click.option(
    "--years",
    type=click.IntRange(1, 30),
    default=7,
    show_default=True,
    help="Years covered from 2013 (7: to the end of 2019).",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same bytes.")
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write (created if needed; files of the same names are overwritten).",
)
def synth(authorities: int, years: int, seed: int, out: Path) -> None:
    """Write a synthetic dataset: per authority its council, posts and their holders, bodies,
    teams, inspections, monitoring visits, findings with lineage, figures, statements and
    sources, with every source's text under OUT/texts/. Names are plainly fictional.

    Then: `oversight verify OUT` and `oversight load OUT`.
    """
    from oversight.loaders.synth import write_dataset

    try:
        written = write_dataset(out, authorities, years, seed)
    except OSError as error:
        raise click.ClickException(f"{out}: cannot write: {error.strerror or error}") from error
    click.echo(
        f"wrote {written.records} records in {written.files} files and {written.texts} "
        f"source texts to {out}"
    )
