"""Every bundled saved query draws: its HTML view shows nodes in a real browser, offline.

Most saved queries answer with names and ids, not graph elements; the view draws the
entities those name (visualise/draw.py). The pages are written once for the module and
opened in one headless Chromium with every request but the page's own aborted.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import ARGS, CHROMIUM, DRAWN, SETTLED, need_chromium
from click.testing import CliRunner
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.result import Result
from oversight.queries.library import list_queries
from oversight.visualise.draw import NOTHING, NothingToDraw, drawable, entity_ids

from oversight.cli import cli

OVERSIGHT = [sys.executable, "-m", "oversight"]
BUNDLED = sorted(q.name for q in list_queries(()) if q.bundled)
TITLES = {q.name: q.title for q in list_queries(())}


def invoke(db: Path, *args: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(cli, ["--db", str(db), *args])
    return outcome.exit_code, outcome.output


@pytest.fixture(scope="module")
def pages(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each bundled query's view, written once by `query run --example --format html`."""
    folder = tmp_path_factory.mktemp("query-views")
    written = {}
    for name in BUNDLED:
        out = folder / f"{name}.html"
        code, output = invoke(
            loaded_db, "query", "run", name, "--example", "--format", "html", "-o", str(out)
        )
        assert code == 0, output
        written[name] = out
    return written


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def test_the_bundle_has_seventeen_queries() -> None:
    assert len(BUNDLED) >= 17


@pytest.mark.parametrize("name", BUNDLED)
def test_every_saved_query_draws_offline(name: str, pages: dict[str, Path], browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    own = pages[name].resolve().as_uri()
    others: list[str] = []
    errors: list[str] = []

    def route(r) -> None:
        if r.request.url == own:
            r.continue_()
        else:
            others.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(own)
        page.wait_for_function(f"() => {SETTLED}")
        page.evaluate(DRAWN)
        assert page.evaluate("network.body.data.nodes.length") >= 1
        assert page.evaluate("Object.keys(network.getPositions()).length") >= 1
        header = page.inner_text("header")
        assert name in header and "MATCH" not in header  # the name, not the Cypher
        assert page.inner_text("h1") == TITLES[name]
        rows = page.evaluate("viewData.table ? viewData.table.rows.length : -1")
        if rows > 0:
            assert page.locator("#rows tbody tr").count() == rows
        assert others == []
        assert errors == []
    finally:
        page.close()


def test_the_table_sorts_by_a_header_click(pages: dict[str, Path], browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(pages["oversight-failures"].resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        column = page.evaluate("viewData.table.columns.indexOf('finding')")
        cells = f"#rows tbody tr td:nth-child({column + 1})"
        page.click(f"#rows th:nth-child({column + 1})")
        up = page.locator(cells).all_inner_texts()
        assert up == sorted(up, key=str.lower) or up == sorted(up)
        page.click(f"#rows th:nth-child({column + 1})")
        down = page.locator(cells).all_inner_texts()
        assert down == list(reversed(up)) and up != down
        page.click("#rows tbody tr:first-child")
        assert page.evaluate("network.getSelectedNodes().length") >= 1
    finally:
        page.close()


def test_ids_in_text_are_found_and_prose_is_not() -> None:
    found = list(
        entity_ids(
            [
                "person/debbie-jones",
                "finding/2017-x|CONCERNS|post/dcs",
                {"x": ["body/council"]},
                "Debbie Jones",
                "see person/debbie-jones here",
                "nothing/at-all",
            ]
        )
    )
    assert found == ["person/debbie-jones", "finding/2017-x", "post/dcs", "body/council"]


def test_nothing_to_draw_is_an_error_not_a_blank_page(loaded_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "blank.html"
    proc = subprocess.run(
        [
            *OVERSIGHT,
            "--db",
            str(loaded_db),
            "cypher",
            "RETURN 1",
            "--format",
            "html",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: {NOTHING}"
    assert not out.exists()
    with EmbeddedStore(loaded_db, read_only=True) as store, pytest.raises(NothingToDraw):
        drawable(store, Result(["name"], [("Nobody of that name",)]))


def test_a_result_of_names_draws_the_entities_of_those_names(loaded: EmbeddedStore) -> None:
    result = Result(["person", "post"], [("Debbie Jones", "Director of Children's Services")])
    drawn = drawable(loaded, result)
    assert set(drawn.nodes) == {"person/debbie-jones", "post/director-of-childrens-services"}
    assert any(r.type == "HOLDS" for r in drawn.relationships.values())


def test_ids_are_drawn_with_the_relationships_among_them(loaded: EmbeddedStore) -> None:
    result = Result(
        ["who", "post"], [("person/debbie-jones", "post/director-of-childrens-services")]
    )
    drawn = drawable(loaded, result)
    assert set(drawn.nodes) == {"person/debbie-jones", "post/director-of-childrens-services"}
    assert any(r.type == "HOLDS" for r in drawn.relationships.values())
    assert drawn.rows == result.rows  # the table stays the answer


def positions_of(browser, path: Path) -> dict[str, dict[str, float]]:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(path.resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        page.evaluate(DRAWN)
        return page.evaluate("network.getPositions()")
    finally:
        page.close()


def test_the_same_file_opens_with_the_same_positions(pages: dict[str, Path], browser) -> None:
    path = pages["accountability-for-inspection"]
    first = positions_of(browser, path)
    assert len(first) > 10
    assert positions_of(browser, path) == first
    assert page_positions(path) == {k: [v["x"], v["y"]] for k, v in first.items()}


def page_positions(path: Path) -> dict[str, list[float]]:
    import json
    import re

    text = re.search(r"var positions = (.*?);\n", path.read_text(encoding="utf-8")).group(1)
    return json.loads(text)


def test_layouts_are_computed_the_same_every_time() -> None:
    from oversight.visualise.layout import layout

    nodes = [f"n{i}" for i in range(40)]
    edges = [(f"n{i}", f"n{(i * 7) % 40}") for i in range(40)]
    assert layout(nodes, edges) == layout(list(reversed(nodes)), list(reversed(edges)))
    spots = layout(nodes, edges)
    assert len({spot for spot in spots.values()}) == 40  # no two nodes on one spot


def test_hierarchical_layout_reads_top_down() -> None:
    from oversight.visualise.layout import layout

    chain = [("council", "dcs"), ("dcs", "team"), ("team", "worker"), ("council", "mayor")]
    nodes = {n for edge in chain for n in edge}
    spots = layout(nodes, chain, "hierarchical")
    assert all(spots[a][1] < spots[b][1] for a, b in chain)
    assert spots["council"][1] == min(y for _, y in spots.values())


def test_edges_say_what_they_mean() -> None:
    from oversight.graph.result import Node, Relationship
    from oversight.visualise.html import STANCE_COLOURS, build_view_data

    f1 = Node("finding/a", "Finding", {"name": "A"})
    f2 = Node("finding/b", "Finding", {"name": "B"})
    post = Node("post/dcs", "Post", {"name": "DCS"})
    who = Node("person/dj", "Person", {"name": "DJ"})
    rels = [
        Relationship(
            "finding/a|CONCERNS|post/dcs",
            "CONCERNS",
            "finding/a",
            "post/dcs",
            {"stance": "criticised"},
        ),
        Relationship(
            "finding/b|CONCERNS|post/dcs",
            "CONCERNS",
            "finding/b",
            "post/dcs",
            {"stance": "praised"},
        ),
        Relationship(
            "person/dj|HOLDS|post/dcs",
            "HOLDS",
            "person/dj",
            "post/dcs",
            {"start_date": "2016-03-01", "start_precision": "month", "capacity": "permanent"},
        ),
        Relationship(
            "finding/b|FOLLOWS_UP|finding/a",
            "FOLLOWS_UP",
            "finding/b",
            "finding/a",
            {"status": "improved", "inferred": "same wording"},
        ),
    ]
    result = Result([], [])
    for item in (f1, f2, post, who, *rels):
        result.collect(item)
    edges = {e["id"]: e for e in build_view_data(result)["edges"]}
    criticised = edges["finding/a|CONCERNS|post/dcs"]
    assert criticised["color"]["color"] == STANCE_COLOURS["criticised"]
    assert criticised["label"] == "criticises"
    assert edges["finding/b|CONCERNS|post/dcs"]["color"]["color"] == STANCE_COLOURS["praised"]
    assert edges["person/dj|HOLDS|post/dcs"]["label"] == "permanent 2016-03 →"
    follow = edges["finding/b|FOLLOWS_UP|finding/a"]
    assert follow["label"] == "follows up: improved" and follow["dashes"] is True


@pytest.mark.parametrize(
    ("props", "caption"),
    [
        ({"start_date": "2015-07-01", "start_precision": "month", "end_date": "2016-03-01",
          "end_precision": "month", "capacity": "interim"}, "interim 2015-07 → 2016-03"),
        ({"start_date": "2015-01-01", "start_precision": "year"}, "2015 →"),
        ({"start_date": "2015-07-14"}, "2015-07-14 →"),
        ({"ended": True}, "held, ended (dates not recorded)"),
        ({"end_date": "2019-05-01", "end_precision": "month"}, "? → 2019-05"),
        ({}, "holds (no dates)"),
    ],
)  # fmt: skip
def test_a_tenure_is_shown_to_its_precision(props: dict, caption: str) -> None:
    from oversight.visualise.html import tenure

    assert tenure(props) == caption


def test_explore_marks_its_root(loaded_db: Path, tmp_path: Path, browser) -> None:
    out = tmp_path / "explore.html"
    code, output = invoke(loaded_db, "explore", "person/debbie-jones", "-o", str(out))
    assert code == 0, output
    page = browser.new_page()
    try:
        page.goto(out.resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        roots = page.evaluate("network.body.data.nodes.get({filter: (n) => n.root}).map(n => n.id)")
        assert roots == ["person/debbie-jones"]
        assert "where the exploration started" in page.inner_text("#legend")
        assert page.inner_text("h1") == "Debbie Jones: neighbourhood"
    finally:
        page.close()


def dom_spot(page, node: str) -> tuple[float, float]:
    box = page.query_selector("#graph").bounding_box()
    spot = page.evaluate(f"network.canvasToDOM(network.getPosition({node!r}))")
    return box["x"] + spot["x"], box["y"] + spot["y"]


def test_a_double_click_unfolds_and_folds_a_nodes_neighbours(
    pages: dict[str, Path], browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(pages["person-profile"].resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        page.evaluate(DRAWN)
        node = "post/director-of-childrens-services"
        before = page.evaluate("network.body.data.nodes.length")
        hidden = page.evaluate(f"hiddenCount({node!r})")
        assert hidden > 0  # the badge's number
        page.evaluate(f"network.moveTo({{position: network.getPosition({node!r}), scale: 1}})")
        page.mouse.dblclick(*dom_spot(page, node))
        page.wait_for_function(f"() => network.body.data.nodes.length === {before + hidden}")
        assert page.evaluate(f"hiddenCount({node!r})") == 0
        page.mouse.dblclick(*dom_spot(page, node))
        page.wait_for_function(f"() => network.body.data.nodes.length === {before}")
        assert page.evaluate(f"hiddenCount({node!r})") == hidden
    finally:
        page.close()


def test_the_halo_is_bounded(loaded: EmbeddedStore) -> None:
    from oversight.visualise.draw import halo

    result = drawable(loaded, Result(["x"], [("body/tower-hamlets-council",)]))
    around = halo(loaded, result, cap=5)
    assert len(around.nodes) == 5
    assert not set(around.nodes) & set(result.nodes)
    for rel in around.relationships.values():
        assert {rel.start, rel.end} & set(result.nodes)
        assert {rel.start, rel.end} & set(around.nodes)


def shown(page, what: str, kind: str) -> int:
    return page.evaluate(
        f"network.body.data.{what}.get({{filter: (x) => x.kind === {kind!r} && !x.hidden}}).length"
    )


def test_legend_toggles_hide_a_label_and_a_relationship_type(
    pages: dict[str, Path], browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(pages["accountability-for-inspection"].resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        findings = shown(page, "nodes", "Finding")
        assert findings > 5
        page.click('#legend button[data-label="Finding"]')
        assert shown(page, "nodes", "Finding") == 0
        assert shown(page, "edges", "FOUND") == 0  # no edge into a hidden node
        assert shown(page, "nodes", "Person") > 0
        page.click('#legend button[data-label="Finding"]')
        assert shown(page, "nodes", "Finding") == findings
        assert shown(page, "edges", "HOLDS") > 0
        page.click('#legend button[data-type="HOLDS"]')
        assert shown(page, "edges", "HOLDS") == 0
        assert shown(page, "nodes", "Finding") == findings
    finally:
        page.close()


def test_the_date_slider_hides_a_tenure_not_yet_begun(pages: dict[str, Path], browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(pages["person-profile"].resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        tenures = "network.body.data.edges.get({filter: (e) => e.kind === 'HOLDS' && !e.hidden})"
        starts = f"{tenures}.map((e) => e.day_from || null).sort()"
        assert {"2015-07-01", "2016-03-01"} <= set(page.evaluate(starts))
        # Drag the slider to 1 August 2015: the permanent post (from March 2016) goes.
        page.evaluate(
            """() => {
              const s = document.getElementById('day');
              const first = Date.parse(viewData.nodes.concat(viewData.edges)
                .flatMap((x) => [x.day_from, x.day_to]).filter(Boolean).sort()[0]);
              s.value = String(Math.round((Date.parse('2015-08-01') - first) / 86400000));
              s.dispatchEvent(new Event('input'));
            }"""
        )
        assert page.inner_text("#dayshown") == "2015-08-01"
        line = "document.querySelector('#timeline line[stroke=\"#1f5fa8\"]')"
        assert page.evaluate(f"{line}.getAttribute('visibility')") == "visible"
        visible = page.evaluate(starts)
        assert "2016-03-01" not in visible and "2015-07-01" in visible
        page.click("#alldays")
        assert "2016-03-01" in page.evaluate(starts)
        assert page.evaluate(f"{line}.getAttribute('visibility')") == "hidden"
    finally:
        page.close()


def test_facts_only_hides_what_is_inferred(loaded_db: Path, tmp_path: Path, browser) -> None:
    out = tmp_path / "claims.html"
    code, output = invoke(
        loaded_db, "query", "run", "secondary-claims", "--example", "-o", str(out)
    )
    assert code == 0, output
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(out.resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        inferred = (
            "network.body.data.edges.get({filter: (e) => e.inferred && !e.hidden}).length"
            " + network.body.data.nodes.get({filter: (n) => n.inferred && !n.hidden}).length"
        )
        if page.query_selector("#facts") is None:
            pytest.skip("no inferred claim in this view")
        assert page.evaluate(inferred) > 0
        page.check("#facts")
        assert page.evaluate(inferred) == 0
    finally:
        page.close()


@pytest.mark.parametrize("name", ["person-profile", "accountability-for-inspection"])
def test_the_timeline_has_one_bar_per_tenure(name: str, pages: dict[str, Path], browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(pages[name].resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        tenures = page.evaluate(
            "network.body.data.edges.get({filter: (e) => e.kind === 'HOLDS'}).map((e) => e.id)"
        )
        assert tenures
        bars = page.eval_on_selector_all(
            "#timeline g.bar[data-edge]", "(gs) => gs.map((g) => g.dataset.edge)"
        )
        assert sorted(bars) == sorted(tenures)
        first = tenures[0]
        holder = page.evaluate(f"network.body.data.edges.get({first!r}).from")
        page.click(f'#timeline g.bar[data-edge="{first}"]')
        assert page.evaluate("network.getSelectedNodes()") == [holder]
        assert "HOLDS" in page.inner_text("#details")
    finally:
        page.close()


def test_a_start_known_to_the_month_is_drawn_as_a_month(pages: dict[str, Path], browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(pages["person-profile"].resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        edge = page.evaluate(
            "network.body.data.edges.get({filter: (e) => e.day_from === '2016-03-01'})[0].id"
        )
        rects = page.eval_on_selector_all(
            f'#timeline g.bar[data-edge="{edge}"] rect',
            "(rs) => rs.map((r) => [Number(r.getAttribute('opacity')), r.getBBox().width])",
        )
        faded, solid = rects[0], rects[1]
        assert faded[0] < solid[0]  # the month it began in, faded, then the tenure
        assert 0 < faded[1] < solid[1]
    finally:
        page.close()


# The labels vis-network draws, their boxes as it measured them (canvas units), and their
# size on screen; pairs of boxes that overlap.
LABELS = """() => {
  const scale = network.getScale();
  const boxes = [];
  for (const id of network.body.nodeIndices) {
    const n = network.body.nodes[id];
    if (n.options.hidden || !n.labelModule.visible()) continue;
    const z = n.labelModule.size;
    boxes.push({id, kind: n.options.kind, l: z.left, t: z.top, r: z.left + z.width,
                b: z.top + z.height, px: n.labelModule.fontOptions.size * scale});
  }
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b) overlaps++;
  }
  return {drawn: boxes.map((b) => b.id), kinds: boxes.map((b) => b.kind), overlaps,
          smallest: Math.min(...boxes.map((b) => b.px))};
}"""


def test_labels_are_legible_at_the_demo_views_fit_zoom(loaded_db: Path, tmp_path: Path, browser):
    """`make demo`'s view, as opened: no two drawn labels overlap, and none is under 9 px.

    Before labels were placed by zoom level, all 49 labels were drawn at 5.2 px with 18
    overlapping pairs (1400x900); now the people, posts and bodies come first and a label is
    drawn only where it is legible and clear of the others (at 1280x800: 19 of 49 drawn, at
    11 px, 0 overlapping pairs).
    """
    out = tmp_path / "accountability-2017.html"
    args = ["render", "accountability-for-inspection", "--param"]
    code, output = invoke(loaded_db, *args, "inspection=inspection/ofsted-2017", "-o", str(out))
    assert code == 0, output
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(out.resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        page.evaluate(DRAWN)
        fit = page.evaluate(LABELS)
        assert fit["overlaps"] == 0
        assert fit["smallest"] >= 9
        people = page.evaluate(
            "network.body.data.nodes.get({filter: (n) => n.kind === 'Person'}).map((n) => n.id)"
        )
        assert set(people) <= set(fit["drawn"])  # the people first
        assert fit["kinds"].count("Post") >= 2
        assert len(fit["drawn"]) >= 10
        # Closer in, labels are placed again for the new zoom, still legible and apart.
        page.evaluate("network.moveTo({scale: 1})")
        page.wait_for_function("() => labelsPlacedAt() === 1")
        page.evaluate(DRAWN)
        close = page.evaluate(LABELS)
        assert close["overlaps"] == 0 and close["smallest"] >= 11
        assert len(close["drawn"]) >= 10
    finally:
        page.close()


def test_the_evidence_panel_gives_quote_source_date_and_paragraph(
    pages: dict[str, Path], browser
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(pages["accountability-for-inspection"].resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        cited = page.evaluate(
            """() => Object.values(viewData.details).find((d) =>
                 d.citations.some((c) => c.ref && c.published && c.quote))"""
        )
        assert cited, "a citation with a quote, a date and a paragraph"
        page.evaluate(f"showDetails({cited['id']!r})")
        c = next(c for c in cited["citations"] if c["ref"] and c["published"] and c["quote"])
        details = page.inner_text("#details")
        assert c["quote"] in details
        assert c["title"] in details
        assert f"published {c['published']} · paragraph {c['ref']}" in details
    finally:
        page.close()


def test_a_passage_shows_its_text_with_the_mention_marked(tmp_path: Path, browser) -> None:
    from oversight.graph.result import Node, Relationship
    from oversight.visualise.html import ViewSpec, write_view

    evil = '<img src=x onerror="window.__pwned = 1">'
    text = f"The DCS, Debbie Jones, said {evil} and debbie jones agreed."
    passage = Node("passage/p1", "Passage", {"name": "p1", "text": text, "ordinal": 1})
    person = Node("person/dj", "Person", {"name": "Debbie Jones"})
    mention = Relationship(
        "passage/p1|MENTIONS|person/dj",
        "MENTIONS",
        "passage/p1",
        "person/dj",
        {"surface": "Debbie Jones", "method": "exact", "score": 1.0},
    )
    result = Result([], [])
    for item in (passage, person, mention):
        result.collect(item)
    out = write_view(result, tmp_path / "passage.html", ViewSpec("passage"))
    page = browser.new_page()
    try:
        page.goto(out.resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        page.evaluate("showDetails('passage/p1')")
        marks = page.eval_on_selector_all(
            "#details .passage mark", "(ms) => ms.map((m) => m.textContent)"
        )
        assert marks == ["Debbie Jones", "debbie jones"]  # every occurrence, any case
        assert page.inner_text("#details .passage") == text
        assert page.query_selector("#details img") is None
        assert page.evaluate("window.__pwned") is None
        page.evaluate("showDetails('passage/p1|MENTIONS|person/dj')")
        assert page.eval_on_selector_all("#details mark", "(ms) => ms.length") == 2
    finally:
        page.close()


def test_every_view_statement_lints_clean_for_neo4j() -> None:
    from neo4j_lint import lint
    from oversight.visualise import citations, draw
    from test_queries_lint import project_schema

    statements = [*draw.STATEMENTS, *citations.STATEMENTS]
    results = lint(statements, project_schema())
    problems = [
        (text, d["message"]) for (text, _), ds in zip(statements, results, strict=True) for d in ds
    ]
    assert problems == []


def test_export_of_a_query_of_names_and_ids_is_not_empty(loaded_db: Path, tmp_path: Path):
    import json

    out = tmp_path / "profile.json"
    args = ["export", "--format", "json", "-o", str(out), "--query", "person-profile"]
    code, output = invoke(loaded_db, *args, "--example")
    assert code == 0, output
    graph = json.loads(out.read_text(encoding="utf-8"))
    ids = {node["id"] for node in graph["nodes"]}
    assert {"person/debbie-jones", "post/director-of-childrens-services"} <= ids
    assert graph["edges"]


def test_a_row_of_names_selects_the_entities_it_names(pages: dict[str, Path], browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(pages["accountable-for-finding"].resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        columns = page.evaluate("viewData.table.columns")
        row = page.evaluate("viewData.table.rows[0]")
        page.click("#rows tbody tr:first-child")
        selected = page.evaluate(
            "network.getSelectedNodes().map((id) => network.body.data.nodes.get(id).label)"
        )
        assert selected and set(selected) <= set(row), (columns, row, selected)
    finally:
        page.close()


def test_export_says_which_query_had_nothing_to_draw(loaded_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.json"
    args = ["export", "--format", "json", "-o", str(out), "--query", "judgements-over-time"]
    proc = subprocess.run(
        [*OVERSIGHT, "--db", str(loaded_db), *args, "-p", "since=2090-01-01"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"judgements-over-time: {NOTHING}" in proc.stderr


def test_table_timeline_and_legend_show_hostile_text_as_text(tmp_path: Path, browser) -> None:
    from oversight.graph.result import Node, Relationship
    from oversight.visualise.html import ViewSpec, write_view

    evil = '<img src=x onerror="window.__pwned = 1">'
    person = Node("person/e", "Person", {"name": evil})
    post = Node("post/e", "Post", {"name": evil + "</script><script>window.__pwned = 2</script>"})
    alien = Node("alien/e", evil, {"name": "alien"})
    holds = Relationship(
        "person/e|HOLDS|post/e", "HOLDS", "person/e", "post/e", {"start_date": "2016-03-01"}
    )
    result = Result(["who", "note"], [("person/e", evil), ("post/e", [evil, 1])])
    for item in (person, post, alien, holds):
        result.collect(item)
    out = write_view(result, tmp_path / "hostile.html", ViewSpec(evil))
    page = browser.new_page()
    try:
        page.goto(out.resolve().as_uri())
        page.wait_for_function(f"() => {SETTLED}")
        assert evil in page.inner_text("#rows tbody")
        assert evil in page.inner_text("#timeline")
        assert evil in page.inner_text("#legend")
        page.click("#rows th:nth-child(2)")  # sorting re-renders the rows: still text
        page.click("#timeline g.bar")
        assert page.query_selector("img") is None
        assert page.evaluate("window.__pwned") is None
    finally:
        page.close()


@pytest.mark.parametrize("name", ["oversight-chain", "accountability-for-inspection"])
def test_the_same_question_writes_the_same_file(loaded_db: Path, tmp_path: Path, name: str) -> None:
    """Two runs give byte-identical pages but for the time they were made: the hidden halo
    and everything else come in a fixed order, whatever order the store returns rows in."""
    written = []
    for run in (1, 2):
        out = tmp_path / f"{run}.html"
        code, output = invoke(
            loaded_db, "query", "run", name, "--example", "--format", "html", "-o", str(out)
        )
        assert code == 0, output
        written.append(re.sub(r"generated [0-9-]+ [0-9:]+ UTC", "", out.read_text("utf-8")))
    assert written[0] == written[1]


def test_a_written_file_links_to_no_server(pages: dict[str, Path]) -> None:
    """Only a served view offers "Open its page" (serve/view.py sets the address); a file
    opened from disk has no server to link to."""
    text = pages["person-profile"].read_text(encoding="utf-8")
    assert 'var entityPages = "";' in text
