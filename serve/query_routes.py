"""`/queries/NAME`: a saved query's form, its answer as a table and a graph, and downloads.

`/queries/NAME.json` and `.csv` give what `oversight query run NAME -p ... --format json`
(or csv) prints for the same values; `.view.html` is the page `--format html` writes for the
same answer (serve/view.py), which the query page shows in a sandboxed frame.
"""

from __future__ import annotations

from typing import Any

from oversight.graph.result import Result
from oversight.graph.store import Store
from oversight.queries.library import SavedQuery, UnknownQuery
from oversight.queries.runner import run
from oversight.serve.app import Settings, failure, page
from oversight.serve.cells import parts
from oversight.serve.params import RUN, form_fields, query_url, values_from_url
from oversight.visualise.rows import as_csv, as_json, without
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

SUFFIXES = (".view.html", ".json", ".csv")


def saved_query(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    name, suffix = _split(request.path_params["name"])
    # The view page's policy allows no stylesheet from the server: its errors are plain text.
    kind = {".json": "json", ".csv": "text", ".view.html": "text"}.get(suffix, "html")
    fields = dict(request.query_params)
    try:
        saved = _find(settings, name)
        values = values_from_url(saved, fields)
        if suffix in (".json", ".csv"):
            return _download(settings, saved, values, suffix)
        if suffix == ".view.html":
            return _view(settings, saved, values)
        return _page(request, settings, saved, values, fields)
    except Exception as error:
        return failure(request, error, kind)


def _split(name: str) -> tuple[str, str]:
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def _find(settings: Settings, name: str) -> SavedQuery:
    if name not in settings.library:
        known = ", ".join(sorted(settings.library)) or "none"
        raise UnknownQuery(f"no saved query named '{name}'; known: {known}")
    return settings.library[name]


def _run(
    settings: Settings, store: Store, saved: SavedQuery, values: dict[str, Any]
) -> tuple[Result, list[str]]:
    """Run as `oversight query run` does; the notes are what the CLI says on stderr."""
    notes: list[str] = []
    result = run(store, saved, dict(values), say=notes.append, facts_only=settings.facts_only)
    return result, notes


def _download(
    settings: Settings, saved: SavedQuery, values: dict[str, Any], suffix: str
) -> Response:
    result, _ = settings.pool.run(lambda store: _run(settings, store, saved, values))
    headers = {}
    total = len(result.rows)
    if total > settings.max_export_rows:
        result = Result(result.columns, result.rows[: settings.max_export_rows])
        headers["X-Oversight-Rows"] = f"first {settings.max_export_rows} of {total}"
    filename = f"{saved.name}{suffix}"
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    if suffix == ".json":
        return Response(as_json(result), media_type="application/json", headers=headers)
    if saved.view:  # the CLI's CSV leaves out the graph view's columns
        result = without(result, saved.view)
    return Response(as_csv(result), media_type="text/csv; charset=utf-8", headers=headers)


def _view(settings: Settings, saved: SavedQuery, values: dict[str, Any]) -> Response:
    from oversight.serve.view import view_page

    def draw(store: Store) -> str:
        result, _ = _run(settings, store, saved, values)
        return view_page(store, saved, values, result, facts_only=settings.facts_only)

    return HTMLResponse(settings.pool.run(draw))


def _page(
    request: Request,
    settings: Settings,
    saved: SavedQuery,
    values: dict[str, Any],
    fields: dict[str, str],
) -> Response:
    ran = RUN in fields
    context: dict[str, Any] = {
        "query": saved,
        "fields": form_fields(saved, fields, prefill=not ran),
        "ran": ran,
    }
    if ran:
        result, notes = settings.pool.run(lambda store: _run(settings, store, saved, values))
        # Whether it draws is the view's to say (it looks names up): any answer gets a frame.
        drawable = bool(result.rows or result.nodes)
        table = without(result, saved.view) if saved.view else result
        known = settings.ids()
        context.update(
            notes=notes,
            columns=table.columns,
            rows=[[parts(v, known) for v in row] for row in table.rows[: settings.max_rows]],
            total=len(table.rows),
            limit=settings.max_rows,
            drawable=drawable,
            json_url=query_url(saved, fields, ".json"),
            csv_url=query_url(saved, fields, ".csv"),
            view_url=query_url(saved, fields, ".view.html"),
        )
    return page(request, "query.html", context)
