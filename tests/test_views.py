"""HTML views: self-contained, offline, safe, and drawn in a real browser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from browser import FOCUSED, NON_BLANK, open_page
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.result import Node, Relationship, Result
from oversight.visualise.html import ViewError, ViewSpec, write_view

PAYLOAD = '<img src=x onerror="window.__pwned = 1">'
SCRIPT = "</script><script>window.__pwned = 2</script>"


def oversight(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oversight", "--db", str(db), *args], capture_output=True, text=True
    )


def hostile_result() -> Result:
    people = [
        Node("person/evil", "Person", {"name": PAYLOAD, "description": SCRIPT}),
        Node("post/x", "Post", {"name": "A post & <b>bold</b>"}),
    ]
    holds = Relationship(
        "person/evil|HOLDS|post/x",
        "HOLDS",
        "person/evil",
        "post/x",
        {"cite_sources": ["source/s"], "cite_quotes": [PAYLOAD]},
    )
    result = Result(columns=["p"], rows=[])
    for item in (*people, holds):
        result.collect(item)
    return result


def test_payloads_in_data_show_as_text_and_run_nothing(tmp_path: Path) -> None:
    page_path = tmp_path / "hostile.html"
    evidence = {
        "person/evil": [
            {
                "source": "source/s",
                "title": SCRIPT,
                "quote": PAYLOAD,
                "url": "javascript:window.__pwned=3",
                "ref": None,
            }
        ]
    }
    write_view(hostile_result(), page_path, ViewSpec(PAYLOAD, query=SCRIPT), evidence)
    html = page_path.read_text(encoding="utf-8")
    assert "<img src=x" not in html and "</script><script>window.__pwned" not in html
    with open_page(page_path) as visit:
        page = visit.page
        page.evaluate(FOCUSED, "person/evil")  # the focus animation has ended
        box = page.query_selector("#graph").bounding_box()
        spot = page.evaluate(
            "network.canvasToDOM(network.getPositions(['person/evil'])['person/evil'])"
        )
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
        page.wait_for_selector(".vis-tooltip", state="visible", timeout=3000)
        assert PAYLOAD in page.inner_text(".vis-tooltip")
        assert page.query_selector(".vis-tooltip img") is None
        assert page.evaluate("window.__pwned") is None
        details = page.inner_text("#details")
        assert PAYLOAD in details
        assert SCRIPT in details
        assert page.query_selector("#details img") is None
        assert page.inner_text("h1") == PAYLOAD
        assert visit.errors == []
        assert visit.blocked == []


def test_demo_view_offline_in_chromium(loaded_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    query = (
        "MATCH (i:Inspection {id: 'inspection/ofsted-2017'})-[found:FOUND]->(f:Finding)"
        "-[c:CONCERNS]->(x) WHERE c.stance = 'criticised' RETURN i, found, f, c, x"
    )
    proc = oversight(loaded_db, "cypher", query, "--format", "html", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    with EmbeddedStore(loaded_db, read_only=True) as store:
        result = store.read(query)
    with open_page(out) as visit:
        page = visit.page
        assert page.evaluate("network.body.data.nodes.length") == len(result.nodes)
        assert page.evaluate("network.body.data.edges.length") == len(result.relationships)
        assert page.evaluate(NON_BLANK) > 2000
        shot = page.screenshot(path=str(tmp_path / "view.png"))
        assert len(shot) > 30_000  # a blank page compresses to a few kB
        assert visit.blocked == []
        assert all(url.startswith("file://") for url in visit.requests)
        assert visit.errors == []


def test_explore_debbie_jones_shows_posts_findings_and_citations(
    loaded_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "view.html"
    proc = oversight(loaded_db, "explore", "Debbie Jones", "--depth", "2", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    with open_page(out) as visit:
        page = visit.page
        ids = set(page.evaluate("network.body.data.nodes.getIds()"))
        assert {"person/debbie-jones", "post/director-of-childrens-services"} <= ids
        assert "finding/2017-insufficient-scrutiny" in ids
        page.evaluate("focusNode('Debbie Jones')")
        details = page.inner_text("#details")
        assert "took up an interim position in July 2015" in details
        assert "Ofsted condemns Tower Hamlets" in details
        assert visit.errors == [] and visit.blocked == []


def test_search_box_focuses_a_node(loaded_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    assert oversight(loaded_db, "explore", "person/debbie-jones", "-o", str(out)).returncode == 0
    with open_page(out) as visit:
        page = visit.page
        page.fill("#search", "Director of Children")
        page.press("#search", "Enter")
        assert page.evaluate("network.getSelectedNodes()") == [
            "post/director-of-childrens-services"
        ]
        page.fill("#search", "no such thing at all")
        page.press("#search", "Enter")
        assert page.inner_text("#notfound") == "no match"


def test_hierarchical_layout(loaded_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "chain.html"
    proc = oversight(
        loaded_db,
        "explore",
        "service/mash",
        "--types",
        "PART_OF,ACCOUNTABLE_FOR",
        "--depth",
        "3",
        "--layout",
        "hierarchical",
        "-o",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    with open_page(out) as visit:
        assert visit.page.evaluate("network.body.data.nodes.length") >= 3
        assert visit.page.evaluate(NON_BLANK) > 500
        assert visit.errors == []


def test_too_large_a_view_is_refused(tmp_path: Path) -> None:
    result = Result(columns=[], rows=[])
    for i in range(30):
        result.collect(Node(f"person/p{i}", "Person", {"name": f"P{i}"}))
    with pytest.raises(ViewError, match="30 nodes, more than the view limit of 20"):
        write_view(result, tmp_path / "big.html", ViewSpec("big", limit=20))
    assert not (tmp_path / "big.html").exists()


def test_explore_ambiguous_and_unknown_names(loaded_db: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.html")
    proc = oversight(loaded_db, "explore", "Debbi Jones", "-o", out)  # one close name: taken
    assert proc.returncode == 0, proc.stderr
    assert "'Debbi Jones': person/debbie-jones (Debbie Jones), close to the name" in proc.stderr
    proc = oversight(loaded_db, "explore", "Debra Jonas", "-o", out)  # not close enough
    assert proc.returncode == 1
    assert "did you mean 'Debbie Jones' (person/debbie-jones)" in proc.stderr
    proc = oversight(loaded_db, "explore", "Tower Hamlets", "-o", out)
    assert proc.returncode == 1
    assert "body/tower-hamlets-council" in proc.stderr and "give one of these ids" in proc.stderr
    proc = oversight(
        loaded_db, "explore", "person/debbie-jones", "--types", "HOLDS,HACKS", "-o", out
    )
    assert proc.returncode == 2  # the command line is wrong
    assert "unknown relationship type HACKS" in proc.stderr


def test_notebook_view_renders_inside_its_iframe(loaded: EmbeddedStore, tmp_path: Path) -> None:
    from oversight.queries import run_query
    from oversight.visualise.notebook import show

    result = run_query(loaded, "oversight-chain", entity="service/mash")
    cell = tmp_path / "cell.html"
    cell.write_text(f"<!doctype html><body>{show(loaded, result)._repr_html_()}</body>")
    with open_page(cell, ready=None) as visit:
        frame = visit.page.frames[1]
        frame.wait_for_function("window.network && network.body.data.nodes.length > 0")
        assert frame.evaluate("network.body.data.nodes.length") == len(result.nodes) > 0
        assert visit.errors == [] and visit.blocked == []
