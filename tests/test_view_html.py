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


# --- the result table and passage marks, in-process (mutation testing reaches them here) ----

from oversight.graph.result import Path as GraphPath  # noqa: E402
from oversight.visualise.html import MAX_TABLE_ROWS, result_table  # noqa: E402

AMY = Node("person/amy", "Person", {"name": "Amy"})
NO_NAME = Node("post/x", "Post", {})
AMY_IN_POST = Relationship("person/amy|HOLDS|post/x", "HOLDS", "person/amy", "post/x", {})


def test_the_table_keeps_answers_and_leaves_out_columns_of_elements_only() -> None:
    rows = [
        (AMY, "a", None, [AMY, NO_NAME], GraphPath((AMY, NO_NAME), (AMY_IN_POST,)), AMY_IN_POST, 1),
        (None, "b", None, [], None, "text", 2.5),
    ]
    result = Result(["who", "word", "nothing", "people", "route", "link", "n"], rows)
    table = result_table(result)
    # `who` holds only nodes (and a null): drawn, not tabled; `nothing` is all null: kept;
    # `link` mixes a relationship and text: kept.
    # `route` holds only a path (and a null): drawn too.
    assert table["columns"] == ["word", "nothing", "people", "link", "n"]
    assert table["total"] == 2
    first = dict(zip(table["columns"], table["rows"][0], strict=True))
    second = dict(zip(table["columns"], table["rows"][1], strict=True))
    assert first["word"] == "a" and first["nothing"] is None and first["n"] == 1
    assert first["people"] == ["Amy", "post/x"]  # a node by its name, else its id
    assert first["link"] == "HOLDS"  # a relationship by its type
    assert second["link"] == "text" and second["people"] == [] and second["n"] == 2.5


def test_a_path_in_a_table_reads_as_its_names_in_order() -> None:
    route = GraphPath((AMY, NO_NAME), (AMY_IN_POST,))
    table = result_table(Result(["route", "n"], [(route, 1), ("not a path", 2)]))
    assert table["columns"] == ["route", "n"]
    assert table["rows"][0] == ["Amy → post/x", 1]
    assert table["rows"][1] == ["not a path", 2]


def test_a_long_answer_keeps_its_first_rows_and_says_how_many() -> None:
    rows = [(n,) for n in range(MAX_TABLE_ROWS + 5)]
    table = result_table(Result(["n"], rows))
    assert len(table["rows"]) == MAX_TABLE_ROWS and table["total"] == MAX_TABLE_ROWS + 5
    assert table["rows"][0] == [0] and table["rows"][-1] == [MAX_TABLE_ROWS - 1]


P1 = Node("passage/p1", "Passage", {"text": "The DCS and the MASH met.", "ordinal": 1})
HUB = Node("service/mash", "Service", {"name": "Multi-Agency Safeguarding Hub"})
DIRECTOR = Node("post/dcs", "Post", {"name": "Director of Children's Services"})


def mention(end: Node, surface: str | None, kind: str = "MENTIONS") -> Relationship:
    return Relationship(f"passage/p1|{kind}|{end.id}", kind, P1.id, end.id, {"surface": surface})


def test_a_passage_marks_every_mention_and_a_mention_its_own() -> None:
    mash, dcs = mention(HUB, "MASH"), mention(DIRECTOR, "DCS")
    data = build_view_data(result_of(P1, HUB, DIRECTOR, mash, dcs))
    text = "The DCS and the MASH met."
    assert data["details"][P1.id]["passage"] == {"text": text, "marks": ["DCS", "MASH"]}
    assert data["details"][mash.id]["passage"] == {"text": text, "marks": ["MASH"]}
    assert data["details"][dcs.id]["passage"] == {"text": text, "marks": ["DCS"]}
    assert "passage" not in data["details"][HUB.id]


def test_only_mentions_with_words_mark_a_passage() -> None:
    silent, other = mention(HUB, None), mention(DIRECTOR, "DCS", kind="ABOUT")
    data = build_view_data(result_of(P1, HUB, DIRECTOR, silent, other))
    assert "passage" not in data["details"][P1.id]
    assert "passage" not in data["details"][silent.id]
    assert "passage" not in data["details"][other.id]


def test_a_mention_in_the_halo_marks_the_passage_shown() -> None:
    mash = mention(HUB, "MASH")
    shown = result_of(P1)
    around = Result([], [], {HUB.id: HUB}, {mash.id: mash})
    data = build_view_data(shown, around=around)
    assert data["details"][P1.id]["passage"]["marks"] == ["MASH"]


def script_value(page: str, name: str) -> object:
    """A `var NAME = ...;` the page's script starts from, read back as JSON."""
    found = re.search(rf"^\s*var {name} = (.*?);", page, re.MULTILINE)
    assert found, name
    return json.loads(found.group(1))


def test_the_legend_names_kinds_in_the_halo_and_kinds_outside_the_schema() -> None:
    hidden = Node("body/b", "Body", {"name": "B"})
    stranger = Node("thing/t", "Thing", {"name": "T"})
    shown = result_of(AMY, stranger)
    around = Result([], [], {hidden.id: hidden}, {})
    link = Relationship("person/amy|MEMBER_OF|body/b", "MEMBER_OF", AMY.id, hidden.id, {})
    around.relationships[link.id] = link
    page = render_page(build_view_data(shown, around=around), ViewSpec("t"))
    labels = re.findall(r'data-label="([^"]+)"', page)
    assert labels == ["Person", "Body", "Thing"]  # the schema's order, then the others
    thing = re.search(r'data-label="Thing"[^>]*>(.*?)</button>', page).group(1)
    assert 'fill="#999999"' in thing and "<circle" in thing  # a grey dot: no look of its own


def test_the_page_carries_positions_the_root_and_the_entity_page_address() -> None:
    data = build_view_data(result_of(AMY, NO_NAME, AMY_IN_POST), root=AMY.id)
    page = render_page(data, ViewSpec("t", entity_url="/entity/"))
    positions = script_value(page, "positions")
    assert set(positions) == {AMY.id, NO_NAME.id} and positions[AMY.id] != positions[NO_NAME.id]
    assert script_value(page, "entityPages") == "/entity/"
    assert "where the exploration started" in page
    plain_page = render_page(build_view_data(result_of(AMY)), ViewSpec("t"))
    assert script_value(plain_page, "entityPages") == ""
    assert "where the exploration started" not in plain_page
    hierarchical = script_value(
        render_page(data, ViewSpec("t", layout="hierarchical")), "positions"
    )
    assert hierarchical != positions  # the layout asked for, not the default


def test_write_view_draws_the_root_and_carries_the_halo(tmp_path: Path) -> None:
    hidden = Node("body/b", "Body", {"name": "B"})
    link = Relationship("person/amy|MEMBER_OF|body/b", "MEMBER_OF", AMY.id, hidden.id, {})
    around = Result([], [], {hidden.id: hidden}, {link.id: link})
    out = write_view(result_of(AMY), tmp_path / "v.html", ViewSpec("t", root=AMY.id), around=around)
    data = script_value(out.read_text(encoding="utf-8"), "data")
    assert [n["id"] for n in data["halo"]["nodes"]] == ["body/b"]
    assert [n.get("root") for n in data["nodes"]] == [True]


def test_a_passage_in_the_halo_is_marked_too_and_may_have_no_text() -> None:
    """The halo's passages unfold with their marks; a passage with no text marks nothing
    into an empty text, and a relationship of another type before a mention stops nothing."""
    quiet = Node("passage/p2", "Passage", {"ordinal": 2})
    about = Relationship("passage/p1|ABOUT|post/dcs", "ABOUT", P1.id, DIRECTOR.id, {})
    said = mention(HUB, "MASH")
    empty = Relationship(
        "passage/p2|MENTIONS|service/mash", "MENTIONS", quiet.id, HUB.id, {"surface": "MASH"}
    )
    around = Result([], [], {P1.id: P1, quiet.id: quiet, DIRECTOR.id: DIRECTOR}, {})
    for rel in (about, said, empty):  # the other type first
        around.relationships[rel.id] = rel
    data = build_view_data(result_of(HUB), around=around)
    assert data["details"][P1.id]["passage"] == {"text": P1.properties["text"], "marks": ["MASH"]}
    assert data["details"][quiet.id]["passage"] == {"text": "", "marks": ["MASH"]}


def test_the_legend_says_what_edge_colours_mean_when_they_mean_something() -> None:
    finding = Node("finding/f", "Finding", {"name": "F"})
    concerns = Relationship(
        "finding/f|CONCERNS|post/x", "CONCERNS", finding.id, NO_NAME.id, {"stance": "criticised"}
    )
    coloured = render_page(build_view_data(result_of(finding, NO_NAME, concerns)), ViewSpec("t"))
    plain_page = render_page(build_view_data(result_of(AMY, NO_NAME, AMY_IN_POST)), ViewSpec("t"))
    assert coloured.count('<span class="key">') >= 3 and "criticises" in coloured
    assert '<span class="key">' not in plain_page
