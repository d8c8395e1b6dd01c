"""The view page as text (visualise/html.py): what it holds, escaped, without a browser.

tests/test_views.py and tests/test_view_browser.py open pages in Chromium; these read the
page and its data directly, fast enough to run against every mutant (tools/mutation/).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from oversight.graph.result import Node, Relationship, Result
from oversight.graph.schema import schema
from oversight.visualise.html import (
    DEFAULT_LIMIT,
    ViewError,
    ViewSpec,
    _safe_json,
    _vis_js,
    build_view_data,
    check_size,
    render_page,
    write_view,
)

PAYLOAD = '<img src=x onerror="alert(1)">'
SCRIPT = "</script><script>alert(2)</script>"
POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def result_of(*items: Node | Relationship) -> Result:
    result = Result(columns=["x"], rows=[])
    for item in items:
        result.collect(item)
    return result


EVIL = Node("person/evil", "Person", {"name": PAYLOAD, "description": SCRIPT, "aliases": []})
POST = Node("post/x", "Post", {"name": "A post & co", "kind": "", "basis": None})
NAMELESS = Node("service/unnamed", "Service", {})
HOLDS = Relationship(
    "person/evil|HOLDS|post/x",
    "HOLDS",
    "person/evil",
    "post/x",
    {
        "capacity": "interim",
        "start_date": dt.date(2015, 7, 1),
        "cite_sources": ["source/s"],
        "cite_quotes": ["took up an interim position"],
        "cite_refs": ["p80"],
    },
)
HOLDS_AGAIN = Relationship(  # a second tenure: the same two nodes, another edge
    "person/evil|HOLDS|post/x|2016-03-01", "HOLDS", "person/evil", "post/x", {"capacity": "perm"}
)
BACK = Relationship("post/x|REPORTS_TO|person/evil", "REPORTS_TO", "post/x", "person/evil", {})
ALIEN = Node("alien/1", "Alien", {"name": "Not in the schema"})
EVIDENCE = {
    "person/evil": [{"source": "source/s", "quote": PAYLOAD, "title": SCRIPT}],
    HOLDS.id: [{"source": "source/s", "quote": "took up an interim position", "ref": "p80"}],
}


def data_of(page: str) -> dict:
    """The page's data, read back from its script."""
    found = re.findall(r"^  var data = (.*);$", page, flags=re.MULTILINE)
    assert len(found) == 1
    return json.loads(found[0])


class Text(HTMLParser):
    """Elements and text as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._open:
            self.text[self._open[-1]] = self.text.get(self._open[-1], "") + data


def parsed(page: str) -> Text:
    parser = Text()
    parser.feed(page)
    return parser


def test_safe_json_cannot_close_its_script_and_reads_back() -> None:
    value = {"a": SCRIPT, "b": "x & y > z", "é": "ü", "day": dt.date(2017, 1, 23)}
    text = _safe_json(value)
    assert not set("<>&") & set(text)
    assert "\\u003c" in text and "\\u003e" in text and "\\u0026" in text
    assert json.loads(text) == {"a": SCRIPT, "b": "x & y > z", "é": "ü", "day": "2017-01-23"}
    assert "é" in text  # not \u00e9: the page is UTF-8
    assert _safe_json([float("nan"), float("inf"), 1.5]) == "[null, null, 1.5]"


def test_nodes_and_edges_take_their_look_from_the_schema() -> None:
    data = build_view_data(result_of(EVIL, POST, NAMELESS, HOLDS), EVIDENCE)
    nodes = {node["id"]: node for node in data["nodes"]}
    styles = {label.name: label for label in schema().labels}
    for node_id, label in (("person/evil", "Person"), ("post/x", "Post")):
        assert nodes[node_id]["color"] == styles[label].colour
        assert nodes[node_id]["shape"] == styles[label].shape
        assert nodes[node_id]["kind"] == label
    assert nodes["person/evil"]["label"] == PAYLOAD
    assert nodes["service/unnamed"]["label"] == "service/unnamed"  # no name: the id
    assert nodes["person/evil"]["title"] == f"Person · person/evil\nname: {PAYLOAD}"
    assert nodes["post/x"]["title"] == "Post · post/x\nname: A post & co"  # "" and None left out
    (edge,) = data["edges"]
    assert (edge["from"], edge["to"], edge["id"]) == ("person/evil", "post/x", HOLDS.id)
    assert edge["label"] == "interim 2015-07-01 →"  # a tenure says when
    assert edge["title"] == "HOLDS\nstart_date: 2015-07-01"


def test_a_label_outside_the_schema_is_grey_and_round() -> None:
    (node,) = build_view_data(result_of(ALIEN))["nodes"]
    assert (node["color"], node["shape"], node["kind"]) == ("#999999", "dot", "Alien")


def test_every_edge_is_drawn_also_between_the_same_two_nodes() -> None:
    data = build_view_data(result_of(EVIL, POST, HOLDS, HOLDS_AGAIN, BACK))
    edges = {(e["from"], e["to"], e["id"]) for e in data["edges"]}
    assert edges == {
        ("person/evil", "post/x", HOLDS.id),
        ("person/evil", "post/x", HOLDS_AGAIN.id),
        ("post/x", "person/evil", BACK.id),
    }


def test_the_details_panel_gets_properties_and_evidence() -> None:
    details = build_view_data(result_of(EVIL, POST, HOLDS), EVIDENCE)["details"]
    assert set(details) == {"person/evil", "post/x", HOLDS.id}
    evil = details["person/evil"]
    assert (evil["kind"], evil["id"]) == ("Person", "person/evil")
    assert evil["properties"] == [["description", SCRIPT], ["name", PAYLOAD]]
    assert evil["citations"] == EVIDENCE["person/evil"]
    assert details["post/x"]["citations"] == []
    assert details["post/x"]["properties"] == [["name", "A post & co"]]  # "" and None left out
    holds = details[HOLDS.id]
    assert (holds["kind"], holds["id"]) == ("HOLDS", HOLDS.id)
    assert holds["citations"] == EVIDENCE[HOLDS.id]
    again = build_view_data(result_of(EVIL, POST, HOLDS_AGAIN), EVIDENCE)["details"]
    assert again[HOLDS_AGAIN.id]["citations"] == []
    shown = dict(map(tuple, holds["properties"]))
    assert shown["capacity"] == "interim" and "start_date" in shown
    assert not {"cite_sources", "cite_quotes", "cite_refs", "type", "label"} & set(shown)


def test_the_page_holds_the_data_and_shows_every_string_as_text() -> None:
    data = build_view_data(result_of(EVIL, POST, HOLDS), EVIDENCE)
    spec = ViewSpec(PAYLOAD, query=SCRIPT, parameters={"who": PAYLOAD, "n": 2})
    page = render_page(data, spec)
    assert data_of(page) == json.loads(json.dumps(data, default=str))
    assert PAYLOAD not in page and "<script>alert" not in page
    html = parsed(page)
    assert html.text["title"] == PAYLOAD
    assert html.text["h1"] == PAYLOAD
    assert f"query: {SCRIPT} · parameters: who={PAYLOAD}, n=2" in page.replace("&lt;", "<").replace(
        "&gt;", ">"
    ).replace("&#34;", '"').replace("&amp;", "&")
    assert not any(tag == "img" for tag, _ in html.tags)
    metas = [attrs for tag, attrs in html.tags if tag == "meta"]
    assert {"http-equiv": "Content-Security-Policy", "content": POLICY} in metas
    assert sum(tag == "script" and not attrs for tag, attrs in html.tags) == 2  # vis, ours
    assert 'var layout = "force";' in page
    assert "2 nodes, 1 edges" in page
    assert re.search(r"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC by oversight", page)
    assert _vis_js() in page  # inlined, not linked
    assert not [tag for tag, attrs in html.tags if "src" in attrs or tag == "link"]


def test_the_legend_lists_the_labels_present() -> None:
    page = render_page(build_view_data(result_of(EVIL, POST, HOLDS)), ViewSpec("t"))
    legend = re.search(r'<div id="legend">(.*?)</div>', page).group(1)
    labels = re.findall(r'data-label="\w+"[^>]*>.*?</svg>(\w+)</button>', legend)
    assert labels == ["Person", "Post"]
    types = re.findall(r'data-type="\w+"[^>]*>.*?</svg>(\w+)</button>', legend)
    assert types == ["HOLDS"]
    styles = {label.name: label for label in schema().labels}
    assert f'fill="{styles["Person"].colour}"' in legend
    # The icons have the nodes' shapes: Person a dot, Post a diamond.
    icons = re.findall(r'<svg class="icon"[^>]*>(<\w+)', legend)
    assert icons[:2] == ["<circle", "<polygon"]


def test_the_time_of_generation_is_in_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: never the same hour as UTC
    time.tzset()
    try:
        assert time.localtime().tm_gmtoff == 14 * 3600  # the zone is known here
        page = render_page(build_view_data(result_of(POST)), ViewSpec("t"))
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    finally:
        monkeypatch.undo()
        time.tzset()
    stamp = re.search(r"generated (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", page).group(1)
    assert abs(now - dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M")) < dt.timedelta(minutes=2)


@pytest.mark.parametrize("layout", ["force", "hierarchical"])
def test_layouts(layout: str) -> None:
    page = render_page(build_view_data(result_of(POST)), ViewSpec("t", layout=layout))
    assert f"var layout = {json.dumps(layout)};" in page


def test_an_unknown_layout_is_refused() -> None:
    with pytest.raises(
        ViewError, match=r"^unknown layout 'circle' \(one of force, hierarchical\)$"
    ):
        render_page(build_view_data(result_of(POST)), ViewSpec("t", layout="circle"))


def test_the_size_limit(tmp_path: Path) -> None:
    nodes = [Node(f"person/p{i}", "Person", {"name": f"P{i}"}) for i in range(5)]
    check_size(result_of(*nodes), 5)  # at the limit: allowed
    with pytest.raises(ViewError) as refused:
        check_size(result_of(*nodes), 4)
    assert str(refused.value) == (
        "the result has 5 nodes, more than the view limit of 4: narrow the query or raise --limit"
    )
    assert ViewSpec("t").limit == DEFAULT_LIMIT == 1500
    with pytest.raises(ViewError):
        write_view(result_of(*nodes), tmp_path / "big.html", ViewSpec("t", limit=4))
    assert not (tmp_path / "big.html").exists()


def test_write_view_writes_one_file_or_says_why_not(tmp_path: Path) -> None:
    out = write_view(result_of(EVIL, POST, HOLDS), tmp_path / "v.html", ViewSpec("t"), EVIDENCE)
    assert out == tmp_path / "v.html"
    page = out.read_text(encoding="utf-8")
    assert data_of(page)["details"]["person/evil"]["citations"] == EVIDENCE["person/evil"]
    with pytest.raises(ViewError, match=r"nowhere/v\.html: cannot write: No such file"):
        write_view(result_of(POST), tmp_path / "nowhere" / "v.html", ViewSpec("t"))


def test_an_inferred_claim_is_drawn_dashed_and_says_why() -> None:
    why = "the letter names the post, not the person"
    guess = Node("person/guess", "Person", {"name": "Guess", "inferred": why})
    link = Relationship("person/guess|HOLDS|post/x", "HOLDS", "person/guess", "post/x", {})
    inferred_link = Relationship(
        "person/evil|HOLDS|post/x", "HOLDS", "person/evil", "post/x", {"inferred": why}
    )
    data = build_view_data(result_of(guess, EVIL, POST, link, inferred_link))
    nodes = {node["id"]: node for node in data["nodes"]}
    assert nodes["person/guess"]["shapeProperties"] == {"borderDashes": [5, 5]}
    assert "shapeProperties" not in nodes["person/evil"]
    assert nodes["person/guess"]["title"] == f"Person · person/guess\nname: Guess\ninferred: {why}"
    edges = {edge["id"]: edge for edge in data["edges"]}
    assert edges[inferred_link.id]["dashes"] is True
    assert "dashes" not in edges[link.id]
    details = data["details"]
    assert details["person/guess"]["inferred"] == why
    assert details["person/evil"]["inferred"] is None
    assert details[inferred_link.id]["inferred"] == why
    assert details[link.id]["inferred"] is None
    assert ["inferred", why] not in details["person/guess"]["properties"]
    legend = "dashed: inferred, not stated"
    assert legend in render_page(data, ViewSpec("t"))
    assert legend not in render_page(build_view_data(result_of(EVIL, POST, HOLDS)), ViewSpec("t"))


ZOE = Node("person/zoe", "Person", {"name": "Zoë Ångström"})
WRITE_ZOE = """
import sys
from pathlib import Path
from oversight.graph.result import Node, Result
from oversight.visualise.html import ViewSpec, write_view
result = Result(columns=["x"], rows=[])
result.collect(Node("person/zoe", "Person", {"name": "Zo\\u00eb \\u00c5ngstr\\u00f6m"}))
write_view(result, Path(sys.argv[1]), ViewSpec("t"))
"""


def test_the_page_is_utf8_whatever_the_locale(tmp_path: Path) -> None:
    """The template, vis-network and the page are read and written as UTF-8, not in the
    locale's encoding: under LANG=C (ASCII, no UTF-8 mode) the page is the same."""
    here = write_view(result_of(ZOE), tmp_path / "here.html", ViewSpec("t"))
    ascii_locale = os.environ | {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    run = subprocess.run(
        [sys.executable, "-c", WRITE_ZOE, str(tmp_path / "c.html")],
        env=ascii_locale,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "c.html").read_bytes().decode("utf-8")
    assert data_of(page) == data_of(here.read_text(encoding="utf-8"))
    assert "Zoë Ångström" in page
    assert _vis_js() in page
