"""Views inline in Jupyter: an object whose `_repr_html_` is the view in a sandboxed iframe.

No IPython import is needed: Jupyter asks any object for `_repr_html_`. The page goes into
the iframe's `srcdoc`, escaped, so the notebook's own page never runs the view's script.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from oversight.graph.result import Result
from oversight.graph.store import Store
from oversight.visualise.citations import citations
from oversight.visualise.draw import drawable, halo
from oversight.visualise.html import (
    DEFAULT_LIMIT,
    ViewSpec,
    build_view_data,
    check_size,
    render_page,
)


@dataclass(frozen=True)
class View:
    page: str
    height: int = 640

    def _repr_html_(self) -> str:
        return (
            f'<iframe sandbox="allow-scripts" style="width: 100%; height: {self.height}px; '
            f'border: 1px solid #ddd" srcdoc="{html.escape(self.page, quote=True)}"></iframe>'
        )

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_text(self.page, encoding="utf-8")
        return target


def show(
    store: Store, result: Result, title: str = "oversight", *, limit: int = DEFAULT_LIMIT
) -> View:
    """The interactive view of a result, with the evidence behind what it shows: every
    entity it names (visualise/draw.py) and, hidden until unfolded, their neighbours."""
    result = drawable(store, result)
    check_size(result, limit)
    around = halo(store, result)
    both = Result([], [], {**result.nodes, **around.nodes}, dict(result.relationships))
    both.relationships.update(around.relationships)
    data = build_view_data(result, citations(store, both), around=around)
    return View(render_page(data, ViewSpec(title)))
