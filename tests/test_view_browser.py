"""Views in a real browser, without the harness's help: the page's own Content-Security-Policy
keeps it offline, and a real mouse click on a node shows that node's evidence panel.

The other view tests (tests/test_views.py) abort every request in the harness; here the
harness routes nothing, and a real HTTP server on 127.0.0.1 counts what reaches it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browser import open_page

CSP = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')
# Runs inline, as the page's own scripts do (the policy allows inline scripts and nothing
# else): a fetch and an image, both to the local server.
PROBE = """<script>
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.effectiveDirective + " " + e.blockedURI);
});
window.__fetch = "pending";
fetch("%(url)s/fetch", {mode: "no-cors"}).then(
  function () { window.__fetch = "sent"; }, function () { window.__fetch = "refused"; });
window.__image = "pending";
var image = new Image();
image.onload = function () { window.__image = "loaded"; };
image.onerror = function () { window.__image = "failed"; };
image.src = "%(url)s/image.png";
</script>
</body>"""


class Listener:
    """An HTTP server on 127.0.0.1 that records every request path and answers 204."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.arrived = threading.Event()
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.paths.append(self.path)
                listener.arrived.set()
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def listener() -> Iterator[Listener]:
    served = Listener()
    served.thread.start()
    try:
        yield served
    finally:
        served.server.shutdown()
        served.server.server_close()


@pytest.fixture
def view(loaded_db: Path, tmp_path: Path) -> Path:
    """A view of Debbie Jones and the posts she held, written by the real command."""
    out = tmp_path / "view.html"
    query = "MATCH (p:Person {id: 'person/debbie-jones'})-[h:HOLDS]->(o:Post) RETURN p, h, o"
    proc = subprocess.run(
        [sys.executable, "-m", "oversight", "--db", str(loaded_db), "cypher", query,
         "--format", "html", "-o", str(out)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return out


def probed(view: Path, listener: Listener, keep_policy: bool) -> Path:
    html = view.read_text(encoding="utf-8")
    assert len(CSP.findall(html)) == 1
    if not keep_policy:
        html = CSP.sub("", html)
    html = html.replace("</body>", PROBE % {"url": listener.url})
    page = view.with_name(("kept" if keep_policy else "removed") + "-policy.html")
    page.write_text(html, encoding="utf-8")
    return page


def test_the_pages_own_policy_blocks_requests(view: Path, listener: Listener) -> None:
    with open_page(probed(view, listener, keep_policy=True), route=False) as visit:
        page = visit.page
        page.wait_for_function("window.__fetch !== 'pending' && window.__image !== 'pending'")
        assert page.evaluate("[window.__fetch, window.__image]") == ["refused", "failed"]
        violations = page.evaluate("window.__violations")
        assert f"connect-src {listener.url}/fetch" in violations
        assert f"img-src {listener.url}/image.png" in violations
        refusals = [m for m in visit.console if "Content Security Policy" in m]
        assert any(f"{listener.url}/fetch" in m and "Refused to connect" in m for m in refusals)
        assert page.evaluate("network.body.data.nodes.length") > 1  # the view itself works
    assert listener.paths == []  # nothing reached the server
    failed = {url: why for url, why in visit.failed if url.startswith(listener.url)}
    assert failed == {f"{listener.url}/image.png": "csp"}  # blocked by the policy, never sent


def test_without_the_policy_the_same_requests_arrive(view: Path, listener: Listener) -> None:
    """The converse: the policy, not the harness or the browser, is what blocks them."""
    with open_page(probed(view, listener, keep_policy=False), route=False) as visit:
        page = visit.page
        page.wait_for_function("window.__fetch !== 'pending' && window.__image !== 'pending'")
        assert page.evaluate("window.__fetch") == "sent"
        assert page.evaluate("window.__violations") == []
    assert listener.arrived.wait(timeout=10)
    assert sorted(listener.paths) == ["/fetch", "/image.png"]


def click_on(page: object, node: str) -> None:
    """A real mouse click at the node's place on the canvas."""
    box = page.query_selector("#graph canvas").bounding_box()
    spot = page.evaluate(f"network.canvasToDOM(network.getPositions([{node!r}])[{node!r}])")
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])


def test_a_click_on_a_node_shows_its_evidence_panel(view: Path) -> None:
    with open_page(view) as visit:
        page = visit.page
        assert "Debbie Jones" not in page.inner_text("#details")
        click_on(page, "person/debbie-jones")
        page.wait_for_function("document.querySelector('#details .id') !== null")
        details = page.inner_text("#details")
        assert page.inner_text("#details .id") == "person/debbie-jones"
        assert "Debbie Jones" in details
        assert "took up an interim position in July 2015" in details  # its evidence
        assert page.evaluate("network.getSelectedNodes()") == ["person/debbie-jones"]
        click_on(page, "post/director-of-childrens-services")
        page.wait_for_function(
            "document.querySelector('#details .id').textContent"
            " === 'post/director-of-childrens-services'"
        )
        assert "Director of Children's Services" in page.inner_text("#details")
        assert "Debbie Jones" not in page.inner_text("#details h2, #details table")
        assert visit.errors == [] and visit.blocked == []
