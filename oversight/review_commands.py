"""`oversight review`: the review sheet of a dataset's claims (registered lazily in cli.py)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("review.html"),
    show_default=True,
    help="The HTML file to write.",
)
def review(paths: tuple[Path, ...], output: Path) -> None:
    """Write a review sheet: every claim with its value, its quotes in their passages, the
    checks it passed, and what is unchecked or inferred.

    One self-contained HTML file (no network; every string from the data shown as text) of
    the dataset folders or files PATHS (default: the bundled dataset), filterable by kind and
    by status: failed, unchecked, inferred. It reads the dataset files, not a store.
    """
    from oversight.loaders.dataset import BUNDLED, read_dataset
    from oversight.loaders.review import review as claims_of
    from oversight.visualise.review import write_review

    dataset = read_dataset(paths or (BUNDLED,))
    found = claims_of(dataset)
    write_review(found, output)
    click.echo(
        f"wrote {output} ({len(found.claims)} claims, {found.failures} failed "
        f"check{'' if found.failures == 1 else 's'})"
    )
