"""Claims checked against their words (loaders/claims.py), inference made explicit, facts-only
results, and the review sheet.

Each mechanical check is shown failing on a copy of the bundled dataset with one fact changed
(a value, a grade, a year, a name, a quote cut to one word...), with the `file:line` the
message must name; the untouched dataset passes. The views and the review sheet are opened in
Debian's Chromium with every request routed and counted.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import real_ladybug as lb
from browser import open_page
from click.testing import CliRunner
from click.testing import Result as CliResult
from oversight.graph import statements
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.schema import schema
from oversight.loaders.claims import WORD_FLOOR, check_claims, date_in, has_phrase, numbers_in
from oversight.loaders.dataset import BUNDLED, basis, graph_rows
from oversight.loaders.review import review
from oversight.loaders.verify import verification
from oversight.queries import get_query
from oversight.queries.runner import run, without_inferred

from oversight.cli import cli

REPORTS_TO = "post/director-of-childrens-services|REPORTS_TO|post/lead-member-childrens-services"


def oversight(*args: str) -> CliResult:
    return CliRunner().invoke(cli, list(args))


def copy_of_bundled(tmp_path: Path) -> Path:
    folder = tmp_path / "tower_hamlets"
    shutil.copytree(BUNDLED, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return folder


def change(folder: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    """Replace the one occurrence of `old` in `name`; the file and the line `new` starts on."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {name}"
    at = text.index(old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, text[:at].count("\n") + 1


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


# --- the bundled dataset passes ---------------------------------------------------------------


def test_bundled_dataset_passes_every_check_and_says_what_it_checked(bundled) -> None:
    found = verification(bundled)
    assert found.failures == []
    assert found.suspects == []
    counts = found.claims.checked_counts()
    for kind in ("value", "unit", "grade", "date", "name", "alias", "quote length"):
        passed, run_ = counts[kind]
        assert run_ > 0 and passed == run_, kind
    assert counts["value"][1] == sum(n.label.name == "Measure" for n in bundled.nodes.values())
    assert counts["grade"][1] == sum(n.label.name == "Judgement" for n in bundled.nodes.values())
    unchecked = found.claims.unchecked_counts()
    assert unchecked["stance"] > 0 and unchecked["lineage status"] > 0
    assert unchecked["FOLLOWS_UP link"] == sum(
        r.type.name == "FOLLOWS_UP" for r in bundled.relationships.values()
    )
    assert found.claims.inferred[REPORTS_TO].startswith("The text gives the lead member")
    said = oversight("verify")
    assert said.exit_code == 0, said.output
    lines = said.stdout.splitlines()
    assert lines[0].startswith("checked (passed/run): quote in source ")
    assert "value 29/29" in lines[0] and "grade 8/8" in lines[0]
    assert lines[1].startswith("unchecked (no machine can tell): stance ")
    assert lines[2].startswith("inferred (marked `inferred:`): 14 (FOLLOWS_UP 8")
    assert lines[-1].startswith("ok: ")
    assert oversight("verify", "--strict").exit_code == 0


# --- each mechanical check fails on a dataset with one fact changed ---------------------------

LOVE_WAPPING = "2017-inspection-love-wapping.yaml"
IHA = "measure/2017-initial-health-assessments-in-time"

MUTATIONS: dict[str, tuple[str, str, str, str, str]] = {
    # name: (file, old, new, text of the line the message names, message after `file:line: `)
    "value": (
        LOVE_WAPPING,
        "  value: 4.2\n",
        "  value: 4.3\n",
        "value: 4.3",
        f'{IHA}: value 4.3 is in none of its quotes: "between April 2016 and January 2017',
    ),
    "unit": (
        LOVE_WAPPING,
        "  value: 4.2\n  unit: percent\n",
        "  value: 4.2\n  unit: families\n",
        "unit: families",
        f"{IHA}: unit families (families / family) is not in the quote that gives the value",
    ),
    "grade": (
        LOVE_WAPPING,
        "  grade: inadequate\n  overall: true\n",
        "  grade: good\n  overall: true\n",
        "grade: good",
        "judgement/2017-overall: grade 'good' is not in its quote: "
        "\"The overall conclusion by Ofsted that Children's services",
    ),
    "year": (  # a tenure's start moved by a year
        LOVE_WAPPING,
        "      capacity: permanent\n      start: 2016-03\n",
        "      capacity: permanent\n      start: 2017-03\n",
        "start: 2017-03",
        "person/debbie-jones|HOLDS|post/director-of-childrens-services|2017-03-01: start "
        "2017-03 is in none of its quotes nor its sources' dates",
    ),
    "month": (
        "2018-08-monitoring-visit.yaml",
        "  period: June 2018\n  as_of: 2018-06\n  qualifier: approximately",
        "  period: June 2018\n  as_of: 2018-07\n  qualifier: approximately",
        "as_of: 2018-07",
        "measure/2018-children-without-updated-assessment: as_of 2018-07 is in none of its "
        "quotes nor its sources' dates",
    ),
    "source date": (
        "sources.yaml",
        "  published: 2019-07-23\n",
        "  published: 2019-07-24\n",
        "published: 2019-07-24",
        "source/news-2019-07-23: published 2019-07-24 is in none of its quotes and is not "
        "the date the manifest of its text gives (2019-07-23)",
    ),
    "name": (  # an invented post-holder cited by words that do not name him
        "entities.yaml",
        "- id: person/charlotte-webster\n",
        "- id: person/sam-smith\n  name: Sam Smith\n  cite:\n"
        "    - source: source/love-wapping-2017\n"
        '      quote: "Mayor John Biggs has accepted that the situation is unacceptable"\n'
        "  holds: [post/mayor]\n- id: person/charlotte-webster\n",
        "name: Sam Smith",
        "person/sam-smith: Sam Smith (person/sam-smith) is named in none of its quotes: "
        '"Mayor John Biggs has accepted that the situation',
    ),
    "too short": (  # an invented post-holder cited by a one-word quote
        "entities.yaml",
        "- id: person/charlotte-webster\n",
        "- id: person/sam-smith\n  name: Mayor\n  cite:\n"
        "    - source: source/love-wapping-2017\n"
        '      quote: "Mayor"\n'
        "  holds: [post/mayor]\n- id: person/charlotte-webster\n",
        "- source: source/love-wapping-2017",
        'person/sam-smith: quote of 1 word is too short to say anything (at least 3): "Mayor"',
    ),
    "alias": (
        "entities.yaml",
        "  aliases: [Tower Hamlets Council,",
        "  aliases: [LBTH, Tower Hamlets Council,",
        "aliases: [LBTH",
        "body/tower-hamlets-council: alias 'LBTH' is in no text that cites it",
    ),
    "qualifier": (
        "2018-08-monitoring-visit.yaml",
        "  qualifier: approximately\n",
        "  qualifier: exactly\n",
        "qualifier: exactly",
        "measure/2018-children-without-updated-assessment: qualifier 'exactly' is in none of "
        "its quotes",
    ),
    "capacity": (
        LOVE_WAPPING,
        "      capacity: interim\n",
        "      capacity: acting\n",
        "capacity: acting",
        "person/debbie-jones|HOLDS|post/director-of-childrens-services|2015-07-01: capacity "
        "'acting' is in none of its quotes",
    ),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_a_changed_fact_fails_verify_at_its_line(name: str, tmp_path: Path) -> None:
    file, old, new, marker, message = MUTATIONS[name]
    folder = copy_of_bundled(tmp_path)
    path, _ = change(folder, file, old, new)
    said = oversight("verify", str(folder))
    assert said.exit_code == 1, said.output
    expected = f"{path}:{line_of(path, marker)}: {message}"
    assert any(line.startswith(expected) for line in said.stdout.splitlines()), (
        expected,
        said.stdout,
    )
    assert "Traceback" not in said.output


def test_the_untouched_copy_passes(tmp_path: Path) -> None:
    said = oversight("verify", str(copy_of_bundled(tmp_path)))
    assert said.exit_code == 0, said.output


def test_a_one_word_quote_and_a_wrong_name_are_both_reported(tmp_path: Path) -> None:
    """The invented post-holder of the issue: one word, not his name, supporting a tenure."""
    folder = copy_of_bundled(tmp_path)
    path, line = change(
        folder,
        "entities.yaml",
        "- id: person/charlotte-webster\n",
        "- id: person/sam-smith\n  name: Sam Smith\n  cite:\n"
        "    - source: source/love-wapping-2017\n"
        '      quote: "Mayor"\n'
        "  holds: [post/mayor]\n- id: person/charlotte-webster\n",
    )
    said = oversight("verify", str(folder))
    assert said.exit_code == 1
    failures = [f for f in said.stdout.splitlines() if f.startswith(str(path))]
    assert f"{path}:{line + 3}: person/sam-smith: quote of 1 word is too short" in "\n".join(
        failures
    )
    named = [f for f in failures if "Sam Smith (person/sam-smith) is named in none" in f]
    assert {f.split(": ")[1] for f in named} == {
        "person/sam-smith",
        "person/sam-smith|HOLDS|post/mayor",
    }
    assert said.stderr.startswith("Error: 3 checks failed, listed above; the first: ")


# --- the matching itself ----------------------------------------------------------------------


def test_figures_in_digits_words_and_unit_words() -> None:
    assert numbers_in("only 4.2% were conducted") == {4.2}
    assert 3.0 in numbers_in("three very young children")
    assert 33.0 in numbers_in("thirty-three children")
    assert 1200.0 in numbers_in("1,200 children")
    assert 50.0 in numbers_in("over half the care population", "percent")
    assert 50.0 not in numbers_in("over half the care population", "children")
    assert 2.0 in numbers_in("doubling the numbers of approved adopters", "ratio")
    assert 3.0 not in numbers_in("333 children") and 333.0 in numbers_in("333 children")


def test_dates_in_words_and_figures() -> None:
    import datetime as dt

    assert date_in("permanent appointment in March 2016", dt.date(2016, 3, 1), "month")
    assert not date_in("permanent appointment in March 2016", dt.date(2016, 4, 1), "month")
    assert not date_in("permanent appointment in March 2016", dt.date(2017, 3, 1), "year")
    assert date_in("23.07.19", dt.date(2019, 7, 23), "day")
    assert not date_in("23.07.19", dt.date(2019, 7, 24), "day")
    assert date_in("between 23 January to 16 February 2017", dt.date(2017, 2, 16), "day")
    assert not date_in("the May 2015 may come", dt.date(2015, 6, 1), "month")
    assert has_phrase("cllr. saunders said", "Cllr. Saunders")
    assert not has_phrase("mayoral", "Mayor")


def test_the_floor_is_documented() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "dataset-format.md").read_text()
    assert f"at least {WORD_FLOOR} words" in doc


# --- inference made explicit ------------------------------------------------------------------


def test_strict_fails_on_an_unmarked_reporting_line(tmp_path: Path) -> None:
    folder = copy_of_bundled(tmp_path)
    path, line = change(
        folder,
        LOVE_WAPPING,
        "      inferred: The text gives the lead member the role to",
        "      # The text gives the lead member the role to",
    )
    assert oversight("verify", str(folder)).exit_code == 0  # unmarked, but no check fails
    said = oversight("verify", "--strict", str(folder))
    assert said.exit_code == 1
    entry = line - 1  # the `- to:` line of the entry
    assert said.stderr.strip() == (
        f"Error: {path}:{entry}: {REPORTS_TO}: unmarked inference: no quote names "
        "post/lead-member-childrens-services, one end of the line; add `inferred: <why>`"
    )


def test_strict_fails_on_a_lineage_link_whose_words_share_no_subject(tmp_path: Path) -> None:
    folder = copy_of_bundled(tmp_path)
    link = (
        "- extend: finding/2019-staff-morale-high\n  follows_up:\n"
        "    - to: finding/2017-private-fostering-understanding\n      status: improved\n"
    )
    lineage = folder / "lineage.yaml"
    before = lineage.read_text(encoding="utf-8")
    lineage.write_text(before + link, encoding="utf-8")
    said = oversight("verify", "--strict", str(folder))
    assert said.exit_code == 1
    line = before.count("\n") + 3
    assert (
        f"{lineage}:{line}: finding/2019-staff-morale-high|FOLLOWS_UP|"
        "finding/2017-private-fostering-understanding: unmarked inference: the words of "
        "finding/2019-staff-morale-high share no subject with "
        "finding/2017-private-fostering-understanding"
    ) in said.stderr
    marked = link + "      inferred: A test link, read into two unrelated findings.\n"
    lineage.write_text(before + marked, encoding="utf-8")
    assert oversight("verify", "--strict", str(folder)).exit_code == 0


def test_inferred_is_stored_and_an_old_file_gains_the_column(tmp_path: Path, bundled) -> None:
    """A LadybugDB file made before `inferred` (and `ended`, and APPOINTED) existed gets the
    columns and table through apply_schema's ALTER TABLE ADD, and then holds them."""
    path = tmp_path / "old.lbug"
    database = lb.Database(str(path))
    connection = lb.Connection(database)
    for ddl in statements.ladybug_ddl(schema()):
        if "APPOINTED" in ddl:
            continue
        connection.execute(ddl.replace(", inferred STRING", "").replace(", ended BOOL", ""))
    columns = connection.execute("CALL table_info('REPORTS_TO') RETURN name").get_all()
    assert ["inferred"] not in columns
    connection.close()
    database.close()
    with EmbeddedStore(path) as store:
        store.load(*graph_rows(bundled))
    with EmbeddedStore(path, read_only=True) as store:
        (reason,) = store.read(
            "MATCH ()-[r:REPORTS_TO]->() WHERE r.id = $id RETURN r.inferred", {"id": REPORTS_TO}
        ).rows[0]
        ended = store.read(
            "MATCH (:Person {id: 'person/debbie-jones'})-[h:HOLDS]->"
            "(:Post {id: 'post/ofsted-regional-director-london-social-care'}) RETURN h.ended"
        ).rows
        appointed = store.read("MATCH (a)-[:APPOINTED]->(b) RETURN a.id, b.id").rows
    assert reason == bundled.relationships[REPORTS_TO].values["inferred"]
    assert ended == [(True,)]
    assert appointed == [("body/department-for-education", "body/dfe-improvement-partner")]


def test_basis_honours_reports(bundled) -> None:
    """`reported` only where a secondary source relays the inspectorate; a politician's or an
    outlet's own words are a `statement`."""
    nodes = bundled.nodes
    # "“we have focused the council on transforming ...”" (004): the mayor's own words.
    assert basis(nodes["statement/2019-biggs-focused-council"].cites, bundled) == "statement"
    # "in December it launched a Social Work Academy" (004): what the council said, relayed.
    academy = nodes["service/social-work-academy"].cites
    assert [c.reports for c in academy][:1] == ["body/tower-hamlets-council"]
    assert basis(academy[:1], bundled) == "statement"
    # "The work of the independent reviewing officers (IROs) has improved significantly." (000)
    assert basis(nodes["finding/2019-iros-improved"].cites, bundled) == "reported"
    # "The Ofsted report is so unremittingly bleak ..." (003, LW Comment): opinion.
    assert basis(nodes["statement/2017-lw-report-bleak"].cites, bundled) == "opinion"


# --- views: inferences drawn dashed -----------------------------------------------------------


def test_inferred_edges_are_dashed_in_the_view(loaded_db: Path, tmp_path: Path) -> None:
    view = tmp_path / "view.html"
    said = oversight(
        "--db", str(loaded_db), "explore", "post/director-of-childrens-services", "-o", str(view)
    )
    assert said.exit_code == 0, said.output
    with open_page(view) as visit:
        page = visit.page
        edge = page.evaluate(f"network.body.data.edges.get({json.dumps(REPORTS_TO)})")
        assert edge["dashes"] is True
        stated = "post/director-of-childrens-services|PART_OF|body/tower-hamlets-council"
        assert "dashes" not in page.evaluate(f"network.body.data.edges.get({json.dumps(stated)})")
        assert (
            page.evaluate(f"(network.body.edges[{json.dumps(REPORTS_TO)}].options.dashes)") is True
        )
        page.evaluate(f"showDetails({json.dumps(REPORTS_TO)})")
        panel = page.inner_text("#details")
        assert "Inferred, not stated: The text gives the lead member" in panel
        assert "dashed: inferred, not stated" in page.inner_text("#legend")
        assert visit.errors == [] and visit.blocked == []


def test_an_inferred_node_has_a_dashed_border(tmp_path: Path) -> None:
    folder = copy_of_bundled(tmp_path)
    change(
        folder,
        "2019-07-23-news.yaml",
        "- id: body/government\n  name: Government\n",
        "- id: body/government\n  name: Government\n  inferred: A test of the view, not a claim.\n",
    )
    db, view = tmp_path / "t.lbug", tmp_path / "node.html"
    assert oversight("--db", str(db), "load", str(folder)).exit_code == 0
    said = oversight("--db", str(db), "explore", "body/government", "-o", str(view))
    assert said.exit_code == 0, said.output
    with open_page(view) as visit:
        node = visit.page.evaluate("network.body.data.nodes.get('body/government')")
        assert node["shapeProperties"]["borderDashes"] == [5, 5]
        other = visit.page.evaluate(
            "network.body.data.nodes.get('statement/2019-read-more-intervention-removed')"
        )
        assert "shapeProperties" not in other
        assert visit.errors == []


# --- facts only -------------------------------------------------------------------------------


def test_facts_only_leaves_an_inferred_link_out_of_a_saved_query(loaded_db: Path) -> None:
    def chain(*flags: str) -> list[dict]:
        said = oversight(
            "--db", str(loaded_db), *flags, "query", "run", "oversight-chain",
            "--param", "entity=service/childrens-services", "--format", "json",
        )  # fmt: skip
        assert said.exit_code == 0, said.output
        return json.loads(said.stdout)

    everything, facts = chain(), chain("--facts-only")
    assert [r["above_id"] for r in everything if r["relation"] == "reports to"] == [
        "post/lead-member-childrens-services"
    ]
    assert [r for r in facts if r["relation"] == "reports to"] == []
    assert [r for r in everything if r["relation"] != "reports to"] == facts


def test_facts_only_binds_the_queries_that_follow_links_without_returning_them(
    loaded: EmbeddedStore,
) -> None:
    saved = get_query("changes-between")
    values = {"earlier": "inspection/ofsted-2017", "later": "inspection/ofsted-2019"}
    every = run(loaded, saved, values).records()
    facts = run(loaded, saved, values, facts_only=True).records()
    lost = {r["later_id"] for r in every} - {r["later_id"] for r in facts}
    # Each rests on a link marked inferred in lineage.yaml; the workforce link is stated
    # ("One of the other complaints from 2017 ... this has now been stabilised", 004).
    assert lost == {
        "finding/2019-strategic-neglect-work",
        "finding/2019-cp-and-cin-plans-realistic",
        "finding/2019-management-oversight-and-grip",
    }
    assert "finding/2019-workforce-stabilised" in {r["later_id"] for r in facts}
    assert run(loaded, saved, {**values, "facts_only": True}).records() == facts


def test_without_inferred_drops_rows_and_elements(loaded: EmbeddedStore) -> None:
    result = loaded.read(
        "MATCH (a:Post)-[r:REPORTS_TO|PART_OF]->(b) WHERE a.id = $id RETURN a, r, b",
        {"id": "post/director-of-childrens-services"},
    )
    kept = without_inferred(result)
    assert REPORTS_TO in result.relationships and REPORTS_TO not in kept.relationships
    assert len(kept.rows) == len(result.rows) - 1
    assert "post/lead-member-childrens-services" not in kept.nodes
    whole = without_inferred(
        type(result)(columns=[], rows=[], nodes=result.nodes, relationships=result.relationships)
    )
    assert REPORTS_TO not in whole.relationships and whole.nodes == result.nodes


# --- the review sheet -------------------------------------------------------------------------


def test_review_sheet_opens_offline_with_every_claim(tmp_path: Path, bundled) -> None:
    sheet = tmp_path / "review.html"
    said = oversight("review", "-o", str(sheet))
    assert said.exit_code == 0, said.output
    claims = len(bundled.nodes) + len(bundled.relationships)
    assert said.stdout.strip() == f"wrote {sheet} ({claims} claims, 0 failed checks)"
    page_text = sheet.read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\';' in page_text
    with open_page(sheet, ready="window.reviewReady === true") as visit:
        page = visit.page
        assert set(visit.requests) == {sheet.resolve().as_uri()}  # nothing else was asked for
        assert visit.blocked == [] and visit.errors == []
        assert page.evaluate("document.querySelectorAll('section.claim').length") == claims
        inferred = len(check_claims(bundled).inferred)
        assert page.evaluate("filterClaims('', 'inferred', '')") == inferred == 14
        assert page.evaluate("filterClaims('', 'failed', '')") == 0
        assert page.evaluate("filterClaims('Measure', '', '')") == 29
        shown = page.evaluate("filterClaims('', '', 'initial-health-assessments-in-time')")
        assert shown >= 2
        marked = page.inner_text("section.claim:not([hidden]) mark")
        assert "only 4.2% were conducted within expected timescales" in marked


def test_review_sheet_shows_failures_and_data_only_as_text(tmp_path: Path) -> None:
    folder = copy_of_bundled(tmp_path)
    change(folder, LOVE_WAPPING, "  value: 4.2\n", "  value: 4.3\n")
    change(
        folder,
        "entities.yaml",
        "- id: person/will-tuckley\n  name: Will Tuckley\n",
        "- id: person/will-tuckley\n  name: Will Tuckley\n"
        '  description: <img src=x onerror="window.pwned=1"><script>window.pwned=2</script>\n',
    )
    sheet = tmp_path / "review.html"
    said = oversight("review", str(folder), "-o", str(sheet))
    assert said.exit_code == 0, said.output
    assert "1 failed check)" in said.stdout
    with open_page(sheet, ready="window.reviewReady === true") as visit:
        page = visit.page
        assert page.evaluate("filterClaims('', 'failed', '')") == 1
        text = page.inner_text("section.claim:not([hidden])")
        assert "value: value 4.3 is in none of its quotes" in text
        page.evaluate("filterClaims('', '', 'person/will-tuckley')")
        assert '<img src=x onerror="window.pwned=1">' in page.inner_text("main")
        assert page.evaluate("window.pwned") is None
        assert page.evaluate("document.querySelectorAll('main img, main script').length") == 0
        assert visit.blocked == [] and visit.errors == []


def test_review_data_has_passages_checks_and_statuses(bundled) -> None:
    claims = {c.id: c for c in review(bundled).claims}
    iha = claims[IHA]
    (cited,) = iha.citations
    assert cited.passage is not None and cited.passage.quote.startswith("between April 2016")
    assert cited.passage.before.endswith("For example, ")
    assert {c.kind for c in iha.checks if c.passed} >= {"value", "unit", "quote in source"}
    assert "measure indicator" in iha.unchecked
    assert claims[REPORTS_TO].statuses == ["unchecked", "inferred"]
    assert claims[REPORTS_TO].inferred


def test_check_claims_counts_every_check_once(bundled) -> None:
    report = check_claims(bundled)
    assert report.failed == []
    assert sum(run_ for _, run_ in report.checked_counts().values()) == len(report.checks)


def test_run_query_takes_facts_only(loaded: EmbeddedStore) -> None:
    from oversight.queries import run_query

    every = run_query(loaded, "oversight-chain", entity="service/childrens-services")
    facts = run_query(
        loaded, "oversight-chain", entity="service/childrens-services", facts_only=True
    )
    assert REPORTS_TO in every.relationships and REPORTS_TO not in facts.relationships
    assert len(facts.rows) == len(every.rows) - 1
