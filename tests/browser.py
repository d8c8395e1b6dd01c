"""Opening generated pages in Debian's headless Chromium, with the network blocked.

By default the harness aborts every request but the page's own; `route=False` leaves the
network to the browser and the page's own Content-Security-Policy (tests/test_view_browser.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
READY = "window.network && network.body.data.nodes.length >= 0"
# The layout has settled (the template turns physics off once stabilised; the hierarchical
# layout never turns it on) and a frame has been drawn since: what a person would see.
SETTLED = "window.network && network.physics.physicsEnabled === false"
DRAWN = """() => new Promise((drawn) => {
  network.once("afterDrawing", () => drawn(true));
  network.redraw();
})"""
# focusNode(text) in the page, resolved when its animation has ended (vis: animationFinished).
FOCUSED = """(text) => new Promise((done) => {
  network.once("animationFinished", () => done(true));
  if (!focusNode(text)) { done(false); }
})"""


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it with apt-get)")


@dataclass
class Visit:
    page: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)  # every console message, any level
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, why) of failed requests


@contextmanager
def open_page(path: Path, ready: str | None = READY, route: bool = True) -> Iterator[Visit]:
    """The page at `path`, loaded from file:// with every other request aborted and recorded
    (route=False: nothing aborted by the harness; requests are still recorded)."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        visit = Visit(page)
        own = path.resolve().as_uri()

        def abort_others(r) -> None:
            visit.requests.append(r.request.url)
            if r.request.url == own:
                r.continue_()
            else:
                visit.blocked.append(r.request.url)
                r.abort()

        def console(message) -> None:
            visit.console.append(message.text)
            if message.type == "error":
                visit.errors.append(message.text)

        if route:
            page.route("**/*", abort_others)
        page.on("request", lambda req: visit.requests.append(req.url))
        page.on("console", console)
        page.on("pageerror", lambda e: visit.errors.append(str(e)))
        page.on("requestfailed", lambda req: visit.failed.append((req.url, req.failure or "")))
        page.goto(own)
        if ready:
            page.wait_for_function(ready)
            if ready == READY:
                page.wait_for_function(SETTLED)
                page.evaluate(DRAWN)
        try:
            yield visit
        finally:
            browser.close()


NON_BLANK = """() => {
  const canvas = document.querySelector('#graph canvas');
  const ctx = canvas.getContext('2d');
  const {data} = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let painted = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) painted++;
  }
  return painted;
}"""
