"""The Starlette application: settings, routes, templates and the error pages.

Handlers are plain functions (Starlette runs them in its thread pool); every store access
goes through the settings' StorePool, which bounds it in time. Only GET is routed: nothing
here changes the graph or any other state.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from oversight.graph.store import Store
from oversight.queries.library import SavedQuery, load_library
from oversight.serve.errors import message_of, status_of
from oversight.serve.pool import StorePool
from oversight.serve.search import Entry, read_names
from oversight.serve.security import SecurityHeaders
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

log = logging.getLogger("oversight.serve")

MAX_ROWS = 500  # rows in an HTML table
MAX_EXPORT_ROWS = 10_000  # rows in a JSON or CSV download
TIMEOUT = 10.0  # seconds a request's store work may take
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


@dataclass
class Settings:
    """What the server was started with; `cache` holds what a read-only store never changes."""

    pool: StorePool
    where: str
    queries_dirs: tuple[Path, ...] = ()
    facts_only: bool = False
    cypher: bool = True
    max_rows: int = MAX_ROWS
    max_export_rows: int = MAX_EXPORT_ROWS
    # Host headers answered: a loopback server refuses other names, so that a web page whose
    # name was rebound to 127.0.0.1 (DNS rebinding) cannot read the graph through a browser.
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    library: dict[str, SavedQuery] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def cached(self, key: str, read: Callable[[Store], Any]) -> Any:
        """`read(store)` once per server: names, counts and sources of a read-only store."""
        with self._lock:
            if key not in self.cache:
                self.cache[key] = self.pool.run(read)
            return self.cache[key]

    def names(self) -> list[Entry]:
        return self.cached("names", read_names)

    def ids(self) -> dict[str, str]:
        """Text a table cell may hold -> the entity it names: every id, and each name that
        only one entity has (a cell linking to the wrong namesake would mislead)."""
        with self._lock:
            known = self.cache.get("ids")
        if known is None:
            names: dict[str, list[str]] = {}
            for entry in self.names():
                names.setdefault(entry.name, []).append(entry.id)
            known = {n: ids[0] for n, ids in names.items() if len(ids) == 1}
            known.update({e.id: e.id for e in self.names()})
            with self._lock:
                self.cache["ids"] = known
        return known


def _templates() -> Jinja2Templates:
    folder = Path(str(resources.files("oversight.serve") / "templates"))
    templates = Jinja2Templates(directory=str(folder))  # autoescape on for .html
    templates.env.filters["entity_url"] = lambda id_: "/entity/" + quote(str(id_), safe="/")
    templates.env.filters["source_url"] = lambda id_: "/sources/" + quote(str(id_), safe="/")
    return templates


TEMPLATES = _templates()


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    settings: Settings = request.app.state.settings
    context = {"where": settings.where, "cypher_on": settings.cypher, **context}
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status)


def failure(request: Request, error: BaseException, kind: str = "html", **how: Any) -> Response:
    """The error as a page (or JSON, or text) with its status; a bug's traceback goes to
    the console only."""
    status = status_of(error, **how)
    if status == 500:
        log.error("%s %s failed", request.method, request.url.path, exc_info=error)
    message = message_of(error)
    if kind == "json":
        return JSONResponse({"error": message}, status_code=status)
    if kind == "text":
        return PlainTextResponse(f"error: {message}\n", status_code=status)
    return page(request, "error.html", {"message": message, "status": status}, status)


def _not_found(request: Request, exc: Exception) -> Response:
    from starlette.exceptions import HTTPException

    status = exc.status_code if isinstance(exc, HTTPException) else 500
    text = "no such page" if status == 404 else "method not allowed" if status == 405 else "error"
    return HTMLResponse(_plain_error(status, text), status_code=status)


def _plain_error(status: int, text: str) -> str:
    return (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>error</title>'
        '<link rel="stylesheet" href="/static/app.css">'
        f'<main><h1>{status}</h1><p class="error">error: {text}</p><p><a href="/">home</a></main>'
    )


def create_app(settings: Settings) -> Starlette:
    """The application over an opened pool; the caller closes the pool when it stops."""
    from oversight.serve import graph_routes, query_routes

    if not settings.library:
        settings.library = load_library(settings.queries_dirs)
    routes = [
        Route("/", graph_routes.index),
        Route("/search", graph_routes.search),
        Route("/entity", graph_routes.find_entity),
        Route("/entity/{id:path}", graph_routes.entity),
        Route("/sources/{id:path}", graph_routes.source),
        Route("/cypher", graph_routes.cypher),
        Route("/queries/{name}", query_routes.saved_query),
        # Browsers ask for it on every first visit; "no content" keeps their consoles clean.
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", StaticFiles(packages=[("oversight.serve", "static")]), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts)),
        ],
        exception_handlers={404: _not_found, 405: _not_found},
    )
    app.state.settings = settings
    return app
