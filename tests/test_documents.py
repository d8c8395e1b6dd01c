"""Documents into passages and mentions: extraction, linking, loading, the report, the CLI.

Real parts throughout: LadybugDB files copied from the session's bundled store, the bundled
texts, PDFs and HTML pages generated here, the click commands.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.resolve import ResolveError
from oversight.loaders.dataset import BUNDLED
from oversight.loaders.documents.candidates import find_candidates, summarise
from oversight.loaders.documents.evaluate import total
from oversight.loaders.documents.extract import DocumentError, Paragraph, extract
from oversight.loaders.documents.linker import Entity, Known, Linker, Mention, Tenure
from oversight.loaders.documents.load import load_documents, prepare
from oversight.loaders.documents.manifest import read_meta
from oversight.loaders.documents.ofsted import extract_ofsted
from oversight.loaders.documents.report import describe, evaluate

TEXTS = BUNDLED / "texts"
LETTER_2018 = TEXTS / "001_9b8720168a6fa84c.txt"
LOVE_WAPPING = TEXTS / "003_6ee6572ffb0be6c2.txt"
APRIL_2017 = (dt.date(2017, 4, 1), "month")


@pytest.fixture
def fresh_db(loaded_db: Path, tmp_path: Path) -> Path:
    """A copy of the session's store holding the bundled dataset, for tests that write."""
    path = tmp_path / "documents.lbug"
    shutil.copy(loaded_db, path)
    return path


@pytest.fixture(scope="module")
def corpus(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """The bundled dataset with the five corpus texts loaded as documents."""
    path = tmp_path_factory.mktemp("corpus") / "corpus.lbug"
    shutil.copy(loaded_db, path)
    with EmbeddedStore(path) as store:
        documents = load_documents(store, [TEXTS])
    with EmbeddedStore(path, read_only=True) as store:
        yield store, documents


@pytest.fixture(scope="module")
def linker(corpus: tuple) -> Linker:
    store, _ = corpus
    return Linker(Known.from_store(store))


def linked(mentions: list[Mention]) -> dict[str, set[str]]:
    """Entity -> the methods it was linked by."""
    found: dict[str, set[str]] = {}
    for mention in mentions:
        if mention.entity:
            found.setdefault(mention.entity, set()).add(mention.method)
    return found


# --- the corpus ----------------------------------------------------------------------------


def test_corpus_texts_load_as_sources_passages_and_mentions(corpus: tuple) -> None:
    store, documents = corpus
    assert [d.status for d in documents] == ["new"] * 5
    counts = store.counts()
    assert counts["nodes"]["Source"] == 5  # attached to the curated sources by file name
    passages = sum(len(d.paragraphs) for d in documents)
    assert counts["nodes"]["Passage"] == passages > 100
    assert counts["relationships"]["IN_SOURCE"] == passages
    assert counts["relationships"]["MENTIONS"] > 150
    row = store.read(
        "MATCH (s:Source {id: 'source/love-wapping-2017'}) "
        "RETURN s.title AS title, s.kind AS kind, s.reliability AS reliability, "
        "s.published_precision AS precision, s.content_hash AS hash"
    ).records()[0]
    assert row["title"] == "Ofsted condemns Tower Hamlets Children's Services as 'inadequate'"
    assert (row["kind"], row["reliability"], row["precision"]) == (
        "local-blog",
        "reporting",
        "month",
    )
    assert len(row["hash"]) == 64
    refs = store.read(
        "MATCH (p:Passage)-[:IN_SOURCE]->(:Source {id: 'source/love-wapping-2017'}) "
        "WHERE p.ref IS NOT NULL RETURN p.ref AS ref ORDER BY p.ordinal"
    ).records()
    assert [r["ref"] for r in refs] == [
        f"p{n}" for n in (21, 24, 27, 34, 35, 44, 79, 80, 82, 83, 87)
    ]
    p80 = store.read(
        "MATCH (p:Passage {ref: 'p80'})-[m:MENTIONS]->(e) RETURN e.id AS entity, m.method AS how"
    ).records()
    assert {"entity": "service/mash", "how": "exact"} in p80
    assert {"entity": "person/debbie-jones", "how": "post-holder"} in p80


def test_links_agree_with_the_curated_citations(corpus: tuple, linker: Linker) -> None:
    store, documents = corpus
    scores = evaluate(store, documents, linker)
    assert len(scores) == 5
    for score in scores:
        assert score.precision >= 0.9, (score.source, sorted(score.extra))
        assert score.recall >= 0.9, (score.source, sorted(score.missed))
        assert len(score.gold) >= 8
    precision, recall = total(scores)
    assert (f"{precision:.3f}", f"{recall:.3f}") == readme_figures()


def readme_figures() -> tuple[str, str]:
    """The precision and recall the README states for the corpus, as it writes them."""
    text = " ".join((Path(__file__).parent.parent / "README.md").read_text("utf-8").split())
    found = re.findall(r"precision (\d\.\d{3}), recall (\d\.\d{3})", text)
    assert len(found) == 1, f"the README should state the figures once: {found}"
    return found[0]


def test_passages_mentioning_query(corpus: tuple) -> None:
    from oversight.queries import run_query

    store, _ = corpus
    rows = run_query(store, "passages-mentioning", entity="person/debbie-jones").records()
    sources = {r["source_id"] for r in rows}
    assert {"source/love-wapping-2017", "source/news-2019-07-23"} <= sources
    assert all(r["passage"] and r["ordinal"] for r in rows)
    assert {"p80", "p82"} <= {r["ref"] for r in rows}
    assert [r["published"] for r in rows] == sorted(r["published"] for r in rows)
    direct = run_query(store, "passages-mentioning", entity="person/debbie-jones", min_score=0.9)
    assert {r["method"] for r in direct.records()} <= {"exact", "alias", "fuzzy"}
    with pytest.raises(ResolveError, match="no entity is called 'person/nobody'"):
        run_query(store, "passages-mentioning", entity="person/nobody")


def test_ofsted_letter_of_august_2018() -> None:
    facts = extract_ofsted(extract(LETTER_2018).paragraphs)
    assert facts.visit is not None
    assert (facts.visit.start, facts.visit.end) == (dt.date(2018, 8, 15), dt.date(2018, 8, 16))
    assert [(i.name, i.role, i.lead) for i in facts.inspectors] == [
        ("Brenda McLaughlin", "Her Majesty’s Inspector", True),
        ("Louise Warren", "Her Majesty’s Inspector", False),
        ("Tom Anthony", "Ofsted Inspector", False),
    ]
    figures = {(m.value, m.unit, m.qualifier) for m in facts.measures}
    assert {(22.0, "percent", "only"), (160.0, "children", "approximately")} <= figures
    assert (43.0, "families", None) in figures
    assert all(m.sentence for m in facts.measures)


def test_judgement_lines() -> None:
    facts = extract_ofsted(extract(LOVE_WAPPING).paragraphs)
    assert [(j.area, j.grade) for j in facts.judgements] == [
        ("Children who need help and protection", "inadequate"),
        ("Children looked after and achieving permanence", "requires improvement"),
        ("Adoption performance", "requires improvement"),
        ("Experiences and progress of care leavers", "requires improvement"),
        ("Leadership, management and governance", "inadequate"),
    ]


# --- the alias cases, on texts written for the test ------------------------------------------

CASES = [
    (
        "case",
        "TOWER HAMLETS COUNCIL said the MASH was busy; a mash of ideas; THE PAST YEAR.",
        {"body/tower-hamlets-council": "alias", "service/mash": "acronym"},
    ),
    (
        "titles",
        "Cllr Saunders and Councillor Julia Dockerill met Mayor John Biggs and "
        "Deputy Mayor Rachael Saunders in Tower Hamlets.",
        {
            "person/rachael-saunders": "alias",
            "person/julia-dockerill": "exact",
            "person/john-biggs": "exact",
            "post/mayor": "alias",
            "post/deputy-mayor": "alias",
            "body/tower-hamlets-council": "alias",
        },
    ),
    (
        "inspectors",
        "HMI Brenda McLaughlin led the visit; Louise Warren, Her Majesty's Inspector, joined "
        "her. Ms McLaughlin signed the letter.",
        {"person/brenda-mclaughlin": "exact", "person/louise-warren": "exact"},
    ),
    (
        "possessives",
        "Debbie Jones's team read Ofsted’s report on Tower Hamlets' services.",
        {
            "person/debbie-jones": "exact",
            "body/ofsted": "exact",
            "body/tower-hamlets-council": "alias",
        },
    ),
    (
        "hyphens-and-quotes",
        "In Tower Hamlets the multi\u2011agency safeguarding hub, the Multi Agency Safeguarding "
        'Hub, the multiagency safeguarding hub, the "edge of care" team and Children’s Services.',
        {
            "service/mash": "exact",
            "service/edge-of-care": "exact",
            "service/childrens-services": "alias",
            "body/tower-hamlets-council": "alias",
        },
    ),
    (
        "line-breaks",
        "Tower Hamlets Council named Debbie\nJones and John\n  Biggs.",
        {
            "person/debbie-jones": "exact",
            "person/john-biggs": "exact",
            "body/tower-hamlets-council": "alias",
        },
    ),
    (
        "acronym-defined",
        "In Tower Hamlets the assessment and intervention (AI) teams improved; AI staff stayed. "
        "The Corporate Parenting Board (CPB) met, and the CPB agreed.",
        {
            "service/assessment-and-intervention": "acronym",
            "body/corporate-parenting-board": "acronym",
            "body/tower-hamlets-council": "alias",
        },
    ),
    (
        "acronym-defined-otherwise",
        "Tower Hamlets Council tried artificial intelligence (AI). AI did not help.",
        {"body/tower-hamlets-council": "alias"},
    ),
    (
        "post-holder",
        "In Tower Hamlets the Director of Children's Services and the lead member met.",
        {
            "post/director-of-childrens-services": "exact",
            "person/debbie-jones": "post-holder",
            "post/lead-member-childrens-services": "alias",
            "person/rachael-saunders": "post-holder",
            "body/tower-hamlets-council": "alias",
        },
    ),
    (
        "acronym-as-the-paper-writes-it",
        "Tower Hamlets reviewed its multi-agency safeguarding hub (Mash). The Mash grew.",
        {"service/mash": "acronym", "body/tower-hamlets-council": "alias"},
    ),
    (
        "post-named-or-past",
        "In Tower Hamlets former mayor Lutfur Rahman, the chief executive, Jane Roe, and "
        "Mayor John Biggs met.",
        {
            "post/mayor": "alias",
            "post/chief-executive": "alias",
            "person/lutfur-rahman": "exact",
            "person/john-biggs": "exact",
            "body/tower-hamlets-council": "alias",
        },
    ),
    (
        "misspellings",
        "Brenda McLaughlan wrote the letter and Debie Jones replied.",
        {"person/brenda-mclaughlin": "fuzzy", "person/debbie-jones": "fuzzy"},
    ),
    (
        "short-names",
        "Debbie Jones spoke first. Later Jones said more, said Debbie.",
        {"person/debbie-jones": "exact"},
    ),
    (
        "anaphor",
        "In Tower Hamlets the improvement and inspection board met. The Local Safeguarding "
        "Children Board met too. The board was large.",
        {
            "body/improvement-and-inspection-board": "exact",
            "body/lscb": "exact",
            "body/tower-hamlets-council": "alias",
        },
    ),
    (
        "another-council",
        "Hackney Council's chief executive praised its multi-agency safeguarding hub.",
        {},
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_alias_cases(linker: Linker, text: str, expected: dict[str, str]) -> None:
    (mentions,) = linker.link([text], APRIL_2017)
    found = linked(mentions)
    assert set(found) == set(expected), mentions
    for entity, method in expected.items():
        assert method in found[entity], (entity, found[entity])


def test_case_matters_only_for_acronyms(linker: Linker) -> None:
    (mentions,) = linker.link(["TOWER HAMLETS COUNCIL said the MASH was busy; a mash of ideas."])
    assert [m.surface for m in mentions if m.entity == "service/mash"] == ["MASH"]


def test_anaphor_takes_the_latest_board(linker: Linker) -> None:
    text = next(c[1] for c in CASES if c[0] == "anaphor")
    (mentions,) = linker.link([text], APRIL_2017)
    board = [m for m in mentions if m.surface == "The board"]
    assert [(m.entity, m.method) for m in board] == [("body/lscb", "alias")]


def test_post_holder_follows_the_dates(linker: Linker) -> None:
    text = "In Tower Hamlets the Director of Children's Services spoke."
    for date, holder in (
        (APRIL_2017, {"person/debbie-jones"}),
        ((dt.date(2014, 1, 1), "year"), set()),  # before her interim start in July 2015
        (None, set()),  # no date, no holder
    ):
        (mentions,) = linker.link([text], date)
        assert {m.entity for m in mentions if m.method == "post-holder"} == holder, date


def test_without_context_mentions_stay_candidates(linker: Linker) -> None:
    (mentions,) = linker.link([next(c[1] for c in CASES if c[0] == "another-council")], APRIL_2017)
    assert all(m.entity is None for m in mentions)
    assert {c for m in mentions for c in m.candidates} == {
        "post/chief-executive",
        "service/mash",
    }


def test_ambiguous_surname_is_not_linked() -> None:
    known = Known(
        {
            "person/ann-jones": Entity("person/ann-jones", "Person", "Ann Jones"),
            "person/bob-jones": Entity("person/bob-jones", "Person", "Bob Jones"),
            "post/dcs": Entity("post/dcs", "Post", "Director of Children's Services"),
        },
        [Tenure("person/ann-jones", "post/dcs"), Tenure("person/bob-jones", "post/dcs")],
    )
    (mentions,) = Linker(known).link(["Ms Jones met the Director of Children's Services."])
    by_surface = {m.surface: m for m in mentions}
    assert by_surface["Jones"].entity is None
    assert set(by_surface["Jones"].candidates) == {"person/ann-jones", "person/bob-jones"}
    (mentions,) = Linker(known).link(["Ann Jones spoke. Ms Jones said more."])
    assert [m.entity for m in mentions] == ["person/ann-jones", "person/ann-jones"]
    (mentions,) = Linker(known).link(
        ["The Director of Children's Services spoke."], (dt.date(2018, 1, 1), "year")
    )
    holder = [m for m in mentions if m.method == "post-holder"]
    assert holder[0].entity is None and len(holder[0].candidates) == 2


# --- formats -------------------------------------------------------------------------------


def _html_page(paragraphs: list[Paragraph]) -> str:
    body = "".join(f"<p>{html.escape(p.text)}</p>" for p in paragraphs)
    return (
        "<!doctype html><html><head><title>A page</title><style>p { color: red }</style>"
        '<script>var names = ["Elaine Bagshaw", "Debbie Jones"];</script></head>'
        f"<body><nav><a href='/'>Home</a></nav><!-- Will Tuckley -->{body}"
        "<script>document.write('Ofsted')</script></body></html>"
    )


def _pdf(paragraphs: list[Paragraph], path: Path) -> None:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph as Flowable
    from reportlab.platypus import SimpleDocTemplate

    style = getSampleStyleSheet()["BodyText"]
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Flowable(escape(p.text), style) for p in paragraphs]
    )


def test_pdf_and_html_link_like_their_text(fresh_db: Path, tmp_path: Path) -> None:
    text = extract(LOVE_WAPPING)
    folder = tmp_path / "formats"
    folder.mkdir()
    (folder / "page.html").write_text(_html_page(list(text.paragraphs)), encoding="utf-8")
    _pdf(list(text.paragraphs), folder / "printed.pdf")
    shutil.copy(LOVE_WAPPING, folder / "plain.txt")
    manifest = "title: Ofsted condemns Tower Hamlets\nkind: local-blog\npublished: 2017-04\n"
    for name in ("page.html", "printed.pdf", "plain.txt"):
        (folder / f"{name}.yaml").write_text(manifest, encoding="utf-8")
    with EmbeddedStore(fresh_db) as store:
        documents = {d.path.suffix: d for d in load_documents(store, [folder])}
        counts = store.counts()
    assert set(documents) == {".html", ".pdf", ".txt"}
    assert len({d.source for d in documents.values()}) == 3
    assert counts["nodes"]["Source"] == 5 + 3
    plain = documents[".txt"]
    assert plain.paragraphs == list(text.paragraphs)
    for suffix in (".html", ".pdf"):
        document = documents[suffix]
        assert document.date == APRIL_2017
        assert [p.ref for p in document.paragraphs] == [p.ref for p in plain.paragraphs], suffix
        assert [p.text for p in document.paragraphs] == [p.text for p in plain.paragraphs]
        assert [linked(m) for m in document.mentions] == [linked(m) for m in plain.mentions]
    assert "Will Tuckley" not in " ".join(documents[".html"].texts[:2])


def test_markdown(fresh_db: Path, tmp_path: Path) -> None:
    page = tmp_path / "note.md"
    page.write_text(
        "# Board papers\n\nThe *Local Safeguarding Children Board* met [Ofsted](https://x).\n\n"
        "- Debbie Jones spoke\n- Will Tuckley listened\n",
        encoding="utf-8",
    )
    document = extract(page)
    assert document.title == "Board papers"
    assert [p.text for p in document.paragraphs] == [
        "Board papers",
        "The Local Safeguarding Children Board met Ofsted.",
        "Debbie Jones spoke",
        "Will Tuckley listened",
    ]


def test_hard_wrapped_text_reflows_and_keeps_names_across_lines(linker: Linker, tmp_path: Path):
    letter = tmp_path / "letter.txt"
    letter.write_text(
        "Visit to Tower Hamlets\n"
        "This letter summarises the findings of the visit to the London Borough of Tower\n"
        "Hamlets on 3 and 4 May 2018, where inspectors met the director, Debbie\n"
        "Jones, and the chair of the Local Safeguarding Children Board, who had been\n"
        "2\n"
        "\n"
        "appointed in March. Inspectors also met Cllr Rachael Saunders at the town hall.\n",
        encoding="utf-8",
    )
    paragraphs = [p.text for p in extract(letter).paragraphs]
    assert len(paragraphs) == 2
    assert paragraphs[0] == "Visit to Tower Hamlets"
    assert paragraphs[1].startswith("This letter summarises the findings")
    assert "who had been appointed in March." in paragraphs[1]
    (mentions,) = linker.link([paragraphs[1]])
    assert set(linked(mentions)) == {
        "body/tower-hamlets-council",
        "person/debbie-jones",
        "body/lscb",
        "person/rachael-saunders",
    }
    surfaces = {m.surface for m in mentions}
    assert {"London Borough of Tower Hamlets", "Debbie Jones"} <= surfaces


# --- loading: idempotent, replacing ----------------------------------------------------------


def test_loading_twice_changes_nothing(fresh_db: Path) -> None:
    with EmbeddedStore(fresh_db) as store:
        load_documents(store, [TEXTS])
        first = store.counts()
        again = load_documents(store, [TEXTS])
        assert [d.status for d in again] == ["unchanged"] * 5
        assert store.counts() == first


def test_a_changed_file_replaces_its_passages(fresh_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    article = folder / "article.txt"
    (folder / "article.txt.yaml").write_text(
        "title: Council shake-up\nkind: press release\npublished: 12 March 2018\n"
        "publisher: Tower Hamlets Council\n",
        encoding="utf-8",
    )
    article.write_text(
        "Council shake-up\n\nWill Tuckley met Ofsted in Tower Hamlets.\n\n"
        "Elaine Bagshaw called for a review.\n",
        encoding="utf-8",
    )

    def passages(store: EmbeddedStore) -> list[str]:
        return [
            r["text"]
            for r in store.read(
                "MATCH (p:Passage)-[:IN_SOURCE]->(:Source {id: 'source/article'}) "
                "RETURN p.text AS text ORDER BY p.ordinal"
            ).records()
        ]

    with EmbeddedStore(fresh_db) as store:
        (first,) = load_documents(store, [article])
        assert first.status == "new" and first.source == "source/article"
        assert len(passages(store)) == 3
        source = store.read(
            "MATCH (s:Source {id: 'source/article'}) RETURN s.kind AS kind, "
            "s.reliability AS reliability, s.published_date AS published, s.title AS title"
        ).records()[0]
        assert source == {
            "kind": "press-release",
            "reliability": "statement",
            "published": "2018-03-12",
            "title": "Council shake-up",
        }
        before = store.counts()
        article.write_text("Council shake-up\n\nDebbie Jones met Ofsted.\n", encoding="utf-8")
        (second,) = load_documents(store, [article])
        assert second.status == "replaced"
        assert passages(store) == ["Council shake-up", "Debbie Jones met Ofsted."]
        mentioned = store.read(
            "MATCH (p:Passage)-[:IN_SOURCE]->(:Source {id: 'source/article'}) "
            "MATCH (p)-[:MENTIONS]->(e) RETURN DISTINCT e.id AS id"
        ).records()
        assert {r["id"] for r in mentioned} == {"person/debbie-jones", "body/ofsted"}
        after = store.counts()
    assert after["nodes"]["Source"] == before["nodes"]["Source"]
    assert after["nodes"]["Passage"] == before["nodes"]["Passage"] - 1


def test_manifest_and_file_mistakes_name_the_place(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Some text about Tower Hamlets.\n", encoding="utf-8")
    (tmp_path / "page.txt.yaml").write_text("title: A page\nkind: gossip\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"page\.txt\.yaml:2: kind 'gossip' is not one of"):
        read_meta(page)
    (tmp_path / "page.txt.yaml").write_text("published: sometime\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"page\.txt\.yaml:1: 'sometime' is not a date"):
        read_meta(page)
    with pytest.raises(DocumentError, match=r"cannot read '\.docx'"):
        extract(tmp_path / "letter.docx")


def test_corpus_manifest_gives_dates_with_their_precision() -> None:
    meta = read_meta(TEXTS / "004_d6786859c0070c03.txt")
    assert meta.published == (dt.date(2019, 7, 23), "day")
    meta = read_meta(LOVE_WAPPING)
    assert (meta.publisher, meta.published) == ("Love Wapping", (dt.date(2017, 4, 1), "month"))
    assert read_meta(TEXTS / "000_e533f1e28503084c.txt").publisher is None  # "unknown (…)"


# --- candidates, the report, the command line -------------------------------------------------

NEW_NAMES = (
    "By Tom Hughes\n\n"
    "Cllr Amina Rahim told Tower Hamlets Council that Sarah Okafor, Her Majesty's Inspector, "
    "would return. The Children and Families Partnership Board met the fostering panel. "
    "Debbie Jones and Brenda McLaughlin attended, as did newly qualified social workers "
    "(NQSWs). Later Peter Walsh said the visit went well.\n"
)


def test_candidates_are_new_names_only(linker: Linker) -> None:
    texts = [p for p in NEW_NAMES.split("\n\n") if p.strip()]
    found = summarise(find_candidates(texts, linker.link(texts), linker))
    names = {c.text: (c.kind, c.cues[0]) for c in found}
    assert names["Tom Hughes"] == ("person", "byline")
    assert names["Amina Rahim"] == ("person", "title")
    assert names["Sarah Okafor"] == ("person", "inspector")
    assert names["Peter Walsh"] == ("person", "speech")
    assert names["Children and Families Partnership Board"] == ("body", "body")
    assert names["fostering panel"] == ("body", "body")
    assert names["newly qualified social workers (NQSWs)"] == ("term", "definition")
    for known in ("Debbie Jones", "Brenda McLaughlin", "Tower Hamlets Council", "Tower Hamlets"):
        assert known not in names


@pytest.fixture
def cli():
    from oversight.cli import cli as group
    from oversight.document_commands import candidates, load_documents

    added = [c for c in (load_documents, candidates) if c.name not in group.commands]
    for command in added:
        group.add_command(command)
    yield group
    for command in added:
        group.commands.pop(command.name, None)


def test_command_line_load_report_and_candidates(cli, fresh_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    outcome = runner.invoke(
        cli,
        ["--db", str(fresh_db), "load-documents", str(TEXTS), "--report"],
        env={"COLUMNS": "200"},
    )
    assert outcome.exit_code == 0, outcome.output
    assert "links against the curated citations" in outcome.output
    assert "5 documents: 5 new, 0 replaced, 0 unchanged" in outcome.output
    assert "Brenda McLaughlin, Her Majesty’s Inspector (lead)" in outcome.output
    news = tmp_path / "news.txt"
    news.write_text(NEW_NAMES, encoding="utf-8")
    outcome = runner.invoke(cli, ["--db", str(fresh_db), "load-documents", str(news)])
    assert outcome.exit_code == 0, outcome.output
    outcome = runner.invoke(
        cli, ["--db", str(fresh_db), "candidates", "--source", "source/news", "--format", "json"]
    )
    assert outcome.exit_code == 0, outcome.output
    rows = json.loads(outcome.output)
    assert {"Sarah Okafor", "Amina Rahim"} <= {r["name"] for r in rows}
    assert {r["source"] for r in rows} == {"source/news"}
    outcome = runner.invoke(cli, ["--db", str(fresh_db), "load-documents", str(tmp_path / "x.doc")])
    assert outcome.exit_code != 0


def test_report_describes_a_letter(corpus: tuple, linker: Linker) -> None:
    _, documents = corpus
    letter = next(d for d in documents if d.path == LETTER_2018)
    report = describe(letter, linker)
    assert report["source"] == "source/ofsted-2018-08-monitoring-letter"
    assert report["date"] == "2018"
    assert {"person/brenda-mclaughlin", "service/mash"} <= {i["entity"] for i in report["linked"]}
    assert report["ofsted"]["visits"][0]["start"] == "2018-08-15"
    json.dumps(report)  # plain data


def test_prepare_reads_without_writing(fresh_db: Path) -> None:
    with EmbeddedStore(fresh_db) as store:
        before = store.counts()
        documents, _ = prepare(store, [LETTER_2018])
        assert documents[0].status == "new"
        assert store.counts() == before


def test_every_statement_lints_clean_for_neo4j() -> None:
    from neo4j_lint import lint
    from oversight.loaders.documents import evaluate as evaluation
    from oversight.loaders.documents import linker as linking
    from oversight.loaders.documents import load as loading
    from test_queries_lint import project_schema

    statements = [
        *((q, []) for q in linking.QUERIES),
        *loading.STATEMENTS,
        (evaluation.NODE_CITATIONS, ["sources"]),
        (evaluation.relationship_citations_query(), []),
    ]
    results = lint(statements, project_schema())
    problems = [
        (text, d["message"]) for (text, _), ds in zip(statements, results, strict=True) for d in ds
    ]
    assert problems == []
