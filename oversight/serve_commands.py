"""`oversight serve`: the graph as linked pages in a browser (registered lazily in cli.py).

Starlette and uvicorn are imported here, inside the command, so that `oversight --help` and
every other command start without them.
"""

from __future__ import annotations

import socket
import threading
import time

import click

from oversight.context import Context, pass_context

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="0: any free."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the home page in a browser.")
@click.option("--no-cypher", is_flag=True, help="Leave out the ad-hoc Cypher box (/cypher).")
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 600),
    help="Seconds a page's queries may take before they are stopped.",
)
@click.option(
    "--workers",
    default=4,
    show_default=True,
    type=click.IntRange(1, 32),
    help="Queries that run at once (each embedded worker opens the file read-only).",
)
@pass_context
def serve(
    ctx: Context,
    host: str,
    port: int,
    open_browser: bool,
    no_cypher: bool,
    timeout: float,
    workers: int,
) -> None:
    """Serve the graph read-only on http://127.0.0.1:8001/: saved queries as forms, tables and
    graphs, entity and source pages, name search (docs/serve.md).

    The embedded file is opened read-only, so `oversight load` may run beside the server; the
    server goes on showing the graph as it was when it started. Ctrl-C stops it.
    """
    import logging

    import uvicorn

    from oversight.context import where as _where
    from oversight.serve.app import LOOPBACK_HOSTS, Settings, create_app
    from oversight.serve.pool import StorePool

    if host not in LOOPBACK:
        click.echo(
            f"warning: listening on {host}: anyone who can reach this address can read the "
            "whole graph (there is no login); keep to 127.0.0.1 unless you mean it",
            err=True,
        )
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    sock = _listen(host, port)  # before the store: a busy port is one line, not a log
    pool = StorePool.open(ctx.store(read_only=True), workers, timeout)
    try:
        settings = Settings(
            pool=pool,
            where=_where(ctx),
            queries_dirs=ctx.queries_dirs,
            facts_only=ctx.facts_only,
            cypher=not no_cypher,
            allowed_hosts=LOOPBACK_HOSTS if host in LOOPBACK else ("*",),
        )
        app = create_app(settings)
        config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", access_log=False, lifespan="off"
        )
        server = uvicorn.Server(config)
        threading.Thread(target=_announce, args=(server, host, open_browser), daemon=True).start()
        server.run(sockets=[sock])
    finally:
        pool.close()
        sock.close()


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, or a one-line error (a port in use, an address not ours)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as error:
        why = error.strerror or str(error)
        raise click.ClickException(f"cannot listen on {host} port {port}: {why}") from None
    sock.listen(128)
    return sock


def _announce(server: object, host: str, open_browser: bool) -> None:
    """Print the URL once the socket listens (tests and scripts wait for this line)."""
    while not getattr(server, "started", False):
        if getattr(server, "should_exit", False):
            return
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    where = server.config.app.state.settings.where  # type: ignore[attr-defined]
    click.echo(f"serving {url} read-only from {where}; Ctrl-C stops")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
