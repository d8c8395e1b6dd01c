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
from oversight.queries.runner import parameter_ids, view_result

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

    from oversight.visualise.draw import NothingToDraw
    from oversight.visualise.html import ViewSpec
    from oversight.visualise.page import view_page as page_of

    # As the written file, but a node's panel links to its entity page.
    spec = ViewSpec(saved.title, saved.name, dict(values), entity_url="/entity/")
    also = () if saved.view else parameter_ids(store, saved, values)
    try:
        page, _ = page_of(
            store,
            view_result(saved, result),
            spec,
            also=also,
            focused=bool(saved.view),
            facts_only=facts_only,
        )
    except NothingToDraw as nothing:
        return NOTHING_PAGE.format(escape(str(nothing)))
    return page
