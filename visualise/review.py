"""The review sheet: one self-contained HTML page of every claim and the words behind it.

Like the graph views (visualise/html.py) it opens from file:// with no network: a
Content-Security-Policy forbids every request, the only script is inline, and every string
from the data goes through Jinja2's autoescaping into text, never into markup.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from oversight.graph.schema import schema
from oversight.loaders.review import Claim, Review
from oversight.visualise.html import ViewError

_ORDER = {name: n for n, name in enumerate((*schema().label_names, *schema().reltype_names))}


def ordered(claims: list[Claim]) -> list[Claim]:
    """Failed claims first, then by label or type as the schema declares them, then by id."""
    return sorted(claims, key=lambda c: (not c.failed, _ORDER.get(c.kind, 99), c.id))


def render_review(found: Review, title: str = "Review of the claims") -> str:
    from jinja2 import Template

    claims = ordered(found.claims)
    kinds = sorted({c.kind for c in claims}, key=lambda k: _ORDER.get(k, 99))
    template = Template(
        (resources.files("oversight.visualise.templates") / "review.html").read_text(
            encoding="utf-8"
        ),
        autoescape=True,
    )
    return template.render(
        title=title,
        claims=claims,
        kinds=kinds,
        summary=found.summary,
        failures=found.failures,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_review(found: Review, path: Path, title: str = "Review of the claims") -> Path:
    """Write the sheet to `path`; ViewError when it cannot be written."""
    page = render_review(found, title)
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as error:
        raise ViewError(f"{path}: cannot write: {error.strerror or error}") from error
    return path
