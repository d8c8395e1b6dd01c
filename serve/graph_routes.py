"""The home page, name search, entity and source pages, and the read-only Cypher box."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from oversight.graph.resolve import resolve
from oversight.graph.store import Store
from oversight.serve import reads
from oversight.serve.app import Settings, failure, page
from oversight.serve.cells import parts
from oversight.serve.errors import Unavailable, message_of, status_of
from oversight.serve.highlight import mark
from oversight.serve.params import example_fields, query_url
from oversight.serve.search import suggest
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

SOURCES = (
    "MATCH (s:Source) RETURN s.id AS id, s.title AS title, s.kind AS kind, "
    "s.publisher AS publisher ORDER BY id"
)
MAX_QUERY = 10_000  # characters of Cypher in the box


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def index(request: Request) -> Response:
    settings = _settings(request)
    try:
        counts = settings.cached("counts", lambda store: store.counts())
        sources = settings.cached("sources", lambda store: store.read(SOURCES).records())
    except Exception as error:
        return failure(request, error)
    queries = sorted(settings.library.values(), key=lambda q: q.name)
    nodes = {k: v for k, v in counts["nodes"].items() if v}
    rels = {k: v for k, v in counts["relationships"].items() if v}
    return page(
        request,
        "index.html",
        {"queries": queries, "nodes": nodes, "relationships": rels, "sources": sources},
    )


def search(request: Request) -> Response:
    """`/search?q=TEXT[&label=A,B]`: up to ten {id, label, name} suggestions, as JSON."""
    settings = _settings(request)
    text = request.query_params.get("q", "")[:200]
    labels = tuple(x for x in request.query_params.get("label", "").split(",") if x)
    try:
        return JSONResponse(suggest(settings.names(), text, labels))
    except Exception as error:
        return failure(request, error, "json")


def find_entity(request: Request) -> Response:
    """`/entity?q=NAME`: the search box's target; the resolver picks the one entity it names
    (as `oversight explore NAME` does), or says why it cannot."""
    settings = _settings(request)
    text = request.query_params.get("q", "")
    try:
        match = settings.pool.run(lambda store: resolve(store, text))
    except Exception as error:
        return failure(request, error, lookup=True)
    return RedirectResponse("/entity/" + quote(match.id, safe="/"), status_code=303)


def entity(request: Request) -> Response:
    settings = _settings(request)
    id_ = request.path_params["id"]
    try:
        view = settings.pool.run(lambda store: reads.entity(store, id_))
    except Exception as error:
        return failure(request, error)
    return page(
        request,
        "entity.html",
        {
            "view": view,
            "properties": reads.node_properties(view.node),
            "queries": _queries_taking(settings, view.node.id, view.node.label),
            "known": settings.ids(),
        },
    )


def _queries_taking(settings: Settings, id_: str, label: str) -> list[dict[str, str]]:
    """Saved queries with an entity parameter this node may fill, each linked to run on it
    (the other parameters keep their examples)."""
    found = []
    for saved in sorted(settings.library.values(), key=lambda q: q.name):
        for param in saved.params:
            if param.type == "entity" and (not param.labels or label in param.labels):
                fields = {**example_fields(saved), param.name: id_}
                url = query_url(saved, fields, run=True)
                found.append(
                    {"title": saved.title, "name": saved.name, "param": param.name, "url": url}
                )
    return found


def source(request: Request) -> Response:
    """A source's passages, each quote citing it marked; `?quote=TEXT` picks one to jump to."""
    settings = _settings(request)
    id_ = request.path_params["id"]
    chosen = request.query_params.get("quote")
    try:
        view = settings.pool.run(lambda store: reads.source(store, id_))
    except Exception as error:
        return failure(request, error)
    # The chosen quote first: where quotes overlap, the first keeps the characters (its mark).
    texts = sorted({q["quote"] for q in view.quotes} - {chosen})
    texts = [chosen, *texts] if chosen else texts
    chosen_index = 0 if chosen else None
    found: set[int] = set()
    passages = []
    for passage in view.passages:
        pieces, hit = mark(passage["text"] or "", texts)
        found |= hit
        passages.append({**passage, "pieces": pieces})
    first_chosen = next(
        (p["passage"] for p in passages if any(x.quote == chosen_index for x in p["pieces"])),
        None,
    )
    by_quote: dict[str, list[dict[str, Any]]] = {}
    for q in view.quotes:
        by_quote.setdefault(q["quote"], []).append(q)
    return page(
        request,
        "source.html",
        {
            "view": view,
            "properties": reads.node_properties(view.node),
            "passages": passages,
            "chosen": chosen_index,
            "chosen_text": chosen,
            "chosen_found": chosen_index in found,
            "first_chosen": first_chosen,
            "quotes": [(i, t, by_quote.get(t, []), i in found) for i, t in enumerate(texts)],
        },
    )


def cypher(request: Request) -> Response:
    """`/cypher?q=...`: one read-only statement through the statement gate, no parameters."""
    settings = _settings(request)
    text = request.query_params.get("q", "")
    context: dict[str, Any] = {"text": text, "ran": False}
    try:
        if not settings.cypher:
            raise Unavailable("the Cypher box is off: the server was started with --no-cypher")
        if text.strip():
            context.update(_run_cypher(settings, text))
    except Exception as error:
        status = status_of(error, user_cypher=True)
        if status in (404, 500):
            return failure(request, error, user_cypher=True)
        context["error"] = message_of(error)  # the box stays, with the statement in it
        return page(request, "cypher.html", context, status)
    return page(request, "cypher.html", context)


def _run_cypher(settings: Settings, text: str) -> dict[str, Any]:
    from oversight.graph.gate import StatementRefused, tokenize

    if len(text) > MAX_QUERY:
        raise StatementRefused("the statement", f"is longer than {MAX_QUERY} characters")
    used = sorted({t.text for t in tokenize(text) if t.kind == "param"})
    if used:
        names = ", ".join(f"${n}" for n in used)
        raise StatementRefused(names, "has no value here: the box takes no parameters")

    def read(store: Store):
        return store.read(text)

    result = settings.pool.run(read)
    known = settings.ids()
    rows = [[parts(v, known) for v in row] for row in result.rows[: settings.max_rows]]
    return {
        "ran": True,
        "columns": result.columns,
        "rows": rows,
        "total": len(result.rows),
        "limit": settings.max_rows,
    }
