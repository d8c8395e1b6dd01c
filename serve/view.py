"""The graph view of a saved query's answer: the page `oversight query run NAME --format html`
writes, made from visualise/'s public functions in the same steps.

A query with `view:` columns draws them as they are; any other draws every entity its answer
names, and its entity parameters (visualise/draw.py `drawable`). The hidden halo of
neighbours and the citations of everything shown come along, as in the written file.
"""

from __future__ import annotations

from typing import Any

from oversight.graph.result import Result
from oversight.graph.store import Store
from oversight.queries.library import SavedQuery
from oversight.queries.runner import bind, resolve_entities, view_result, without_inferred

NOTHING_PAGE = (
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>nothing to draw</title>'
    "<p>{}</p></html>"
)


def view_page(
    store: Store,
    saved: SavedQuery,
    values: dict[str, Any],
    result: Result,
    *,
    facts_only: bool = False,
) -> str:
    """The whole HTML page; a short page saying so when the answer names nothing to draw."""
    from html import escape

    from oversight.visualise.citations import citations
    from oversight.visualise.draw import NOTHING, NothingToDraw, drawable, halo
    from oversight.visualise.html import ViewSpec, build_view_data, check_size, render_page

    shown = view_result(saved, result)
    spec = ViewSpec(saved.title, saved.name, dict(values), entity_url="/entity/")
    try:
        if saved.view and not shown.nodes:
            raise NothingToDraw(NOTHING)
        if not saved.view:
            also = [m.id for m in resolve_entities(store, saved, bind(saved, values)).values()]
            shown = drawable(store, shown, also, facts_only=facts_only)
    except NothingToDraw as nothing:
        return NOTHING_PAGE.format(escape(str(nothing)))
    check_size(shown, spec.limit)
    around = halo(store, shown)
    if facts_only:
        around = without_inferred(around)
    both = Result([], [], {**shown.nodes, **around.nodes}, {**shown.relationships})
    both.relationships.update(around.relationships)
    data = build_view_data(shown, citations(store, both), spec.root, around)
    return render_page(data, spec)
