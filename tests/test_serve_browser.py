"""`oversight serve` in Debian's Chromium: a real server process, a person's walk through it.

The server is started as a user would start it (`--port 0`: any free loopback port) and the
test waits for the URL line it prints. Every request the page makes is recorded; one that
leaves the server's origin fails the test, as does any console error.
"""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from browser import ARGS, CHROMIUM, need_chromium
from oversight.graph.embedded import EmbeddedStore
from oversight.loaders.dataset import BUNDLED, graph_rows
from oversight.loaders.documents.load import load_documents

START_TIMEOUT = 60.0
URL_LINE = re.compile(r"serving (http://127\.0\.0\.1:\d+/) ")
GRAPH_DRAWN = "window.network && network.body.data.nodes.length > 0"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, bundled) -> Iterator[str]:
    """A running `oversight serve` on the bundled dataset and its texts; yields its URL."""
    need_chromium()
    db = tmp_path_factory.mktemp("serve-browser") / "oversight.lbug"
    with EmbeddedStore(db) as store:
        store.load(*graph_rows(bundled))
        load_documents(store, [BUNDLED / "texts"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "oversight", "--db", str(db), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    try:
        url = _wait_for_url(proc, lines)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        stderr = proc.stderr.read() if proc.stderr else ""
        assert "Traceback" not in stderr, stderr


def _wait_for_url(proc: subprocess.Popen[str], lines: queue.Queue[str]) -> str:
    while True:
        try:
            line = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            pytest.fail(f"oversight serve printed no URL in {START_TIMEOUT:g} s")
        found = URL_LINE.search(line)
        if found:
            return found.group(1)
        if proc.poll() is not None:
            pytest.fail(f"oversight serve exited {proc.returncode}: {proc.stderr.read()}")


@pytest.fixture
def browser_page(server: str):
    """A page whose every request is recorded; any that leaves the server is aborted."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        seen: dict[str, list[str]] = {"requests": [], "outside": [], "errors": []}

        def route(r) -> None:
            url = r.request.url
            seen["requests"].append(url)
            if url.startswith(server) or url.startswith("about:"):
                r.continue_()
            else:
                seen["outside"].append(url)
                r.abort()

        def console(message) -> None:
            if message.type == "error":
                seen["errors"].append(f"{message.text} at {message.location}")

        context.route("**/*", route)
        page.on("console", console)
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        yield page, seen
        browser.close()


def test_a_person_walks_from_a_name_to_a_highlighted_quote(server: str, browser_page) -> None:
    page, seen = browser_page
    page.goto(server)
    page.get_by_role("link", name="The shortest connection between two entities").click()
    page.wait_for_url("**/queries/shortest-connection")

    # Type part of a person's name; suggestions come from /search into the datalist.
    field = page.locator("#p-to_id")
    field.fill("")
    field.press_sequentially("Debbie", delay=40)
    page.locator("#dl-to_id option").first.wait_for(state="attached")
    options = page.eval_on_selector_all("#dl-to_id option", "os => os.map(o => [o.value, o.label])")
    assert ["person/debbie-jones", "Debbie Jones (Person)"] in options
    _choose(page, field, "person/debbie-jones")
    assert field.input_value() == "person/debbie-jones"

    # Run it: the table and the graph of the same answer.
    with page.expect_navigation():
        page.get_by_role("button", name="Run").click()
    assert "run=1" in page.url and "to_id=person%2Fdebbie-jones" in page.url
    rows = page.locator("table.result tbody tr")
    assert rows.count() >= 1
    assert "Debbie Jones" in rows.first.inner_text()
    frame = page.frame_locator("#graph")
    frame.locator("#graph canvas, canvas").first.wait_for()
    view = next(f for f in page.frames if ".view.html" in f.url)
    view.wait_for_function(GRAPH_DRAWN)
    assert view.evaluate("network.body.data.nodes.length") >= 3

    # Double-click a node that has hidden neighbours: they unfold in the graph.
    before = view.evaluate("network.body.data.nodes.length")
    node = view.evaluate(
        "network.body.data.nodes.getIds().find(function (id) { return hiddenCount(id) > 0; })"
    )
    assert node, "some node of the answer should have neighbours to unfold"
    hidden = view.evaluate(f"hiddenCount({node!r})")
    page.mouse.dblclick(*_node_spot(page, view, node))
    view.wait_for_function(f"() => network.body.data.nodes.length === {before + hidden}")

    # The URL reproduces the screen; there, a real click on a node offers its entity page.
    again = page.context.new_page()
    again.goto(page.url)
    assert again.locator("table.result tbody tr").count() == rows.count()
    again.frame_locator("#graph").locator("canvas").first.wait_for()
    frame = next(f for f in again.frames if ".view.html" in f.url)
    frame.wait_for_function(GRAPH_DRAWN)
    again.mouse.click(*_node_spot(again, frame, "person/debbie-jones"))
    link = frame.locator("a.entity-page")
    link.wait_for()
    with again.expect_navigation():
        link.click()
    assert again.url.endswith("/entity/person/debbie-jones")
    assert again.locator("h1").inner_text().startswith("Debbie Jones")
    again.close()

    # Open an entity page from the table, then follow one of its quotes to its source.
    with page.expect_navigation():
        rows.first.get_by_role("link", name="Debbie Jones").first.click()
    assert page.url.endswith("/entity/person/debbie-jones")
    assert page.locator("h1").inner_text().startswith("Debbie Jones")
    quote = page.locator("a.quote").first
    quoted = quote.inner_text().strip("“”")
    with page.expect_navigation():
        quote.click()
    assert "/sources/source/" in page.url and page.url.endswith("#quote")
    mark = page.locator("mark.chosen#quote")
    assert mark.is_visible()
    marked = " ".join(page.locator("mark.chosen").all_inner_texts()).casefold()
    assert quoted.split()[0].casefold() in marked
    assert page.evaluate("document.getElementById('quote').getBoundingClientRect().top") < 900

    assert seen["outside"] == []
    assert all(u.startswith(server) or u.startswith("about:") for u in seen["requests"])
    assert seen["errors"] == []


def _choose(page, field, value: str) -> None:
    """Pick `value` from the field's suggestions as a person does: arrow down to it.

    Headless Chromium draws no datalist popup to arrow through (and Enter would submit the
    form as typed); the option is then taken as a click on it takes it.
    """
    field.focus()
    field.press("ArrowDown")
    if field.input_value() != value:
        page.eval_on_selector(
            "#" + field.get_attribute("id"),
            """(input, value) => {
              const option = [...input.list.options].find((o) => o.value === value);
              input.value = option.value;
              input.dispatchEvent(new Event("input", {bubbles: true}));
            }""",
            value,
        )


def _node_spot(page, frame, node: str) -> tuple[float, float]:
    """Where `node` is on the screen: the frame's place in the page, the canvas's place in
    the frame, and the node's place on the canvas (moved to the middle at scale 1 first)."""
    frame.evaluate(f"network.moveTo({{position: network.getPosition({node!r}), scale: 1}})")
    outer = page.locator("#graph").bounding_box()
    inner = frame.evaluate(
        "(function () { var r = document.getElementById('graph').getBoundingClientRect();"
        " return {x: r.x, y: r.y}; })()"
    )
    spot = frame.evaluate(f"network.canvasToDOM(network.getPosition({node!r}))")
    return outer["x"] + inner["x"] + spot["x"], outer["y"] + inner["y"] + spot["y"]
