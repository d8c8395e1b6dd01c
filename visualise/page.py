"""A result's whole view page, made the one way the command line and the server share.

The steps: draw what the result names (visualise/draw.py `drawable`, or a saved query's
`view:` columns as they are), refuse more than the limit, carry the hidden halo of
neighbours, look up the citations of everything in either, and render the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from oversight.graph.result import Result, without_inferred
from oversight.visualise.citations import citations
from oversight.visualise.draw import NOTHING, NothingToDraw, drawable, halo
from oversight.visualise.html import ViewSpec, build_view_data, check_size, render_page

if TYPE_CHECKING:
    from oversight.graph.store import Store


def view_page(
    store: Store,
    result: Result,
    spec: ViewSpec,
    *,
    also: Iterable[str] = (),
    focused: bool = False,
    facts_only: bool = False,
) -> tuple[str, Result]:
    """The page, and the result it draws. `also`: ids to draw besides (a query's entity
    parameters); `focused`: a result already cut to what it should draw (`view:` columns).
    NothingToDraw rather than a blank page; ViewError past `spec.limit`."""
    if focused and not result.nodes:
        raise NothingToDraw(NOTHING)
    if not focused:
        result = drawable(store, result, also, facts_only=facts_only)
    check_size(result, spec.limit)
    around = halo(store, result)
    if facts_only:
        around = without_inferred(around)
    both = Result([], [], {**result.nodes, **around.nodes}, {**result.relationships})
    both.relationships.update(around.relationships)
    data = build_view_data(result, citations(store, both), spec.root, around)
    return render_page(data, spec), result
