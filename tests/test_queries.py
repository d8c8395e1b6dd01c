"""Saved queries: the bundled library on the bundled dataset, headers, parameters, safety.

Golden results live in tests/golden/<name>.json: the records of each query's example run,
with graph elements reduced to their ids. Regenerate them with OVERSIGHT_REGEN_GOLDEN=1 and
review every change against the data before committing it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from click.testing import Result as CliResult
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.gate import StatementRefused
from oversight.graph.schema import schema
from oversight.graph.store import StoreError
from oversight.queries import HeaderError, ParameterError, QueryError, run_query
from oversight.queries.library import (
    BUNDLED_DIR,
    ENV_VAR,
    SavedQuery,
    list_queries,
    parse_query,
    read_query,
)
from oversight.queries.runner import example_values, run, view_result

from oversight.cli import cli
from oversight.query_commands import query

GOLDEN = Path(__file__).resolve().parent / "golden"
NEEDS_DOCUMENTS = {"passages-mentioning"}  # its rows are in tests/test_documents.py
REGENERATE = os.environ.get("OVERSIGHT_REGEN_GOLDEN") == "1"
BUNDLED_QUERIES = [read_query(p, bundled=True) for p in sorted(BUNDLED_DIR.glob("*.cypher"))]
EXPECTED_NAMES = {
    "judgements-over-time",
    "accountability-for-inspection",
    "passages-mentioning",
    "accountable-for-finding",
    "oversight-chain",
    "oversight-failures",
    "person-profile",
    "body-profile",
    "inspection-summary",
    "changes-between",
    "measure-over-time",
    "recommendations-followed-up",
    "statements-vs-findings",
    "who-held",
    "evidence",
    "shortest-connection",
    "accountability-gaps",
    "secondary-claims",
}


@pytest.fixture(autouse=True)
def _query_group(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`oversight query` on the main group (until cli.py registers it) and no user folders."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    added = "query" not in cli.commands
    if added:
        cli.add_command(query)
    yield
    if added:
        cli.commands.pop("query", None)


def oversight(db: Path, *args: str, env: dict[str, str] | None = None) -> CliResult:
    return CliRunner().invoke(cli, ["--db", str(db), "query", *args], env=env)


def counts(db: Path) -> dict[str, dict[str, int]]:
    with EmbeddedStore(db, read_only=True) as store:
        return store.counts()


# --- the bundled library -------------------------------------------------------------------


def test_bundled_library_has_every_question() -> None:
    assert {q.name for q in BUNDLED_QUERIES} == EXPECTED_NAMES
    assert {q.name for q in list_queries()} == EXPECTED_NAMES
    for saved in BUNDLED_QUERIES:
        assert saved.title and saved.description, saved.name
        for param in saved.params:
            assert param.doc, f"{saved.name}: param {param.name} has no doc"


@pytest.mark.parametrize("saved", BUNDLED_QUERIES, ids=lambda q: q.name)
def test_example_run_matches_golden(loaded_db: Path, saved: SavedQuery) -> None:
    outcome = oversight(loaded_db, "run", saved.name, "--example", "--format", "json")
    assert outcome.exit_code == 0, outcome.output or repr(outcome.exception)
    records = json.loads(outcome.stdout)
    # Without documents loaded, nothing mentions anyone: no rows, not a row of blanks.
    assert len(records) >= 1 or saved.name in NEEDS_DOCUMENTS
    for column in saved.view:
        assert column in records[0], f"view column {column} not returned"
    actual = golden_form(records)
    path = GOLDEN / f"{saved.name}.json"
    if REGENERATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert path.exists(), f"no golden for {saved.name}: run with OVERSIGHT_REGEN_GOLDEN=1"
    assert actual == json.loads(path.read_text(encoding="utf-8"))


def golden_form(value: Any) -> Any:
    """Records with graph elements reduced to ids, so goldens do not restate every property."""
    labels = set(schema().label_names)
    if isinstance(value, list):
        return [golden_form(v) for v in value]
    if isinstance(value, dict):
        if set(value) >= {"nodes", "relationships"} and len(value) == 2:
            return {
                "path": [n["id"] for n in value["nodes"]],
                "steps": [r["id"] for r in value["relationships"]],
            }
        if value.get("label") in labels and "id" in value:
            return f"({value['label']} {value['id']})"
        if {"type", "start", "end", "id"} <= set(value):
            return f"[{value['type']} {value['id']}]"
        return {k: golden_form(v) for k, v in value.items()}
    return value


def test_2017_judgements_are_the_five_areas_and_overall(loaded_db: Path) -> None:
    with EmbeddedStore(loaded_db, read_only=True) as store:
        rows = run_query(store, "judgements-over-time", since=dt.date(2017, 1, 1)).records()
    found = [
        (r["area"], r["grade"], r["grade_number"], r["overall"])
        for r in rows
        if r["inspection_id"] == "inspection/ofsted-2017"
    ]
    assert found == [
        ("Overall effectiveness", "inadequate", 4, True),
        ("Adoption performance", "requires improvement", 3, False),
        ("Children looked after and achieving permanence", "requires improvement", 3, False),
        ("Children who need help and protection", "inadequate", 4, False),
        ("Experiences and progress of care leavers", "requires improvement", 3, False),
        ("Leadership, management and governance", "inadequate", 4, False),
    ]


def test_inspection_summary_lists_inspectors_lead_first(loaded_db: Path) -> None:
    with EmbeddedStore(loaded_db, read_only=True) as store:
        (row,) = run_query(
            store, "inspection-summary", inspection="inspection/monitoring-visit-4-2018-08"
        ).records()
    assert row["inspectors"] == [
        "Brenda McLaughlin (Her Majesty's Inspector, lead)",
        "Louise Warren (Her Majesty's Inspector)",
        "Tom Anthony (Ofsted Inspector)",
    ]
    assert (row["first_day"], row["last_day"]) == ("2018-08-15", "2018-08-16")
    assert row["judgements"] == []


def test_tenures_are_compared_with_the_day_given(loaded_db: Path) -> None:
    with EmbeddedStore(loaded_db, read_only=True) as store:
        before = run_query(
            store, "accountable-for-finding",
            finding="finding/2017-insufficient-scrutiny", day=dt.date(2015, 8, 1),
        ).records()  # fmt: skip
    dated = {(r["person"], r["capacity"]) for r in before if r["tenure"] == "in post"}
    # In August 2015 Debbie Jones was interim DCS; her permanent appointment came in 2016.
    assert dated == {("Debbie Jones", "interim")}


def test_graph_view_keeps_only_the_view_columns(loaded_db: Path) -> None:
    saved = next(q for q in BUNDLED_QUERIES if q.name == "oversight-chain")
    with EmbeddedStore(loaded_db, read_only=True) as store:
        result = run(store, saved, example_values(saved))
    view = view_result(saved, result)
    assert {r.type for r in view.relationships.values()} <= {
        "PART_OF", "OVERSEES", "ACCOUNTABLE_FOR", "CHAIRS", "REPORTS_TO",
    }  # fmt: skip
    assert "service/mash" in view.nodes
    table = oversight(loaded_db, "run", "oversight-chain", "--example", "--format", "csv")
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0] == "level,below,relation,above,above_id,people"


def test_html_view_draws_the_chain(loaded_db: Path, tmp_path: Path) -> None:
    page = tmp_path / "chain.html"
    html = oversight(
        loaded_db, "run", "oversight-chain", "--example", "--format", "html", "-o", str(page)
    )
    assert html.exit_code == 0, html.output
    assert page.read_text(encoding="utf-8").count("service/mash") >= 1


def test_list_and_show(loaded_db: Path) -> None:
    listed = oversight(loaded_db, "list")
    assert listed.exit_code == 0, listed.output
    for name in EXPECTED_NAMES:
        assert name in listed.output
    shown = oversight(loaded_db, "show", "accountable-for-finding")
    assert shown.exit_code == 0
    assert shown.output == (BUNDLED_DIR / "accountable-for-finding.cypher").read_text("utf-8")
    unknown = oversight(loaded_db, "show", "no-such-query")
    assert isinstance(unknown.exception, QueryError)
    assert "no saved query named 'no-such-query'" in str(unknown.exception)


# --- headers -------------------------------------------------------------------------------

GOOD_HEADER = """\
// name: probe
// title: A probe
// description: Finds a person
//   by id.
// param who: string, example "person/debbie-jones" -- the person's id
// param since: date, default null, example "2017-02-16" -- a day
// param terms: list of string, default ["a", "b"] -- words
// param n: int, default 3 -- how many
// param x: float, default 1.5 -- a number
// param flag: bool, default false -- a switch
// view: person

MATCH (p:Person {id: $who})
WHERE ($since IS NULL OR $since > date('2000-01-01')) AND size($terms) > 0
  AND $n > 0 AND $x > 0 AND ($flag = true OR $flag = false)
RETURN p AS person, p.name AS name // $notaparam in a comment, 'and $none' in a string: 'x'
"""


def test_a_good_header_parses(tmp_path: Path) -> None:
    saved = parse_query(GOOD_HEADER, tmp_path / "probe.cypher")
    assert (saved.name, saved.title, saved.description) == (
        "probe",
        "A probe",
        "Finds a person by id.",
    )
    assert [(p.name, p.type) for p in saved.params] == [
        ("who", "string"), ("since", "date"), ("terms", "list of string"),
        ("n", "int"), ("x", "float"), ("flag", "bool"),
    ]  # fmt: skip
    who, since, terms = saved.params[:3]
    assert who.required and who.example == "person/debbie-jones" and who.doc == "the person's id"
    assert since.default is None and since.example == dt.date(2017, 2, 16)
    assert terms.default == ["a", "b"]
    assert saved.view == ("person",)


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("// title: A probe\n", "// colour: red\n"), 2, "unknown key 'colour'"),
        (("// title: A probe\n", ""), 10, "missing `// title: ...`"),
        (("// name: probe\n", ""), 10, "missing `// name: ...`"),
        (("// name: probe\n", "// name: other\n"), 1, "differs from the file name"),
        (("who: string,", "who: str,"), 5, "unknown type 'str'"),
        (("n: int, default 3", "n: int, default 3.5"), 8, "default must be an int"),
        (('example "2017-02-16"', 'example "16/02/2017"'), 6, "example must be a date"),
        (('default ["a", "b"]', 'default ["a", 2]'), 7, "2 is not a string"),
        (("// param n: int", "// param who: int"), 8, "duplicate param 'who'"),
        (('who: string, example "person/debbie-jones"', "who: string"), 5, "needs an example"),
        (("// param flag:", "// param on:"), 10, "a Cypher keyword"),
        (("AND $n > 0", "AND $m > 0"), 15, "$m is used but not declared"),
        (("AND $n > 0 AND", "AND"), 8, "param n is declared but $n is not used"),
        (("// title: A probe\n", "// title: A probe\nthis is not a comment\n"), 3, "$"),
        (("RETURN p AS person", "SET p.name = 'x' RETURN p AS person"), 16, "SET changes"),
        (("// view: person", "// view: person, not a column"), 11, "not a column name"),
    ],
    ids=[
        "unknown-key", "no-title", "no-name", "name-not-file", "bad-type", "default-type",
        "example-type", "list-item-type", "duplicate-param", "required-without-example",
        "keyword-param", "undeclared-param", "unused-param", "header-ends-early", "writes",
        "bad-view",
    ],
)  # fmt: skip
def test_malformed_header_names_file_and_line(
    tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    old, new = change
    assert old in GOOD_HEADER
    path = tmp_path / "probe.cypher"
    with pytest.raises(HeaderError) as caught:
        parse_query(GOOD_HEADER.replace(old, new, 1), path)
    text = str(caught.value)
    if message == "$":  # the header ended at the stray line: $who etc. are then undeclared
        assert text.startswith(f"{path}:")
        return
    assert text.startswith(f"{path}:{line}: "), text
    assert message in text


def test_malformed_user_file_fails_the_listing_naming_it(loaded_db: Path, tmp_path: Path) -> None:
    (tmp_path / "broken.cypher").write_text("// name: broken\n// tittle: x\nRETURN 1 AS one\n")
    listed = oversight(loaded_db, "--queries-dir", str(tmp_path), "list")
    assert isinstance(listed.exception, HeaderError)
    assert str(listed.exception).startswith(f"{tmp_path / 'broken.cypher'}:2: unknown key")


# --- user folders --------------------------------------------------------------------------

USER_JUDGEMENTS = """\
// name: judgements-over-time
// title: Mine
// param since: date, default null -- ignored

RETURN 'user folder' AS origin, $since AS since
"""


def test_user_folder_overrides_bundled(loaded_db: Path, tmp_path: Path) -> None:
    (tmp_path / "judgements-over-time.cypher").write_text(USER_JUDGEMENTS)
    by_option = oversight(
        loaded_db, "--queries-dir", str(tmp_path), "run", "judgements-over-time",
        "--example", "--format", "json",
    )  # fmt: skip
    assert by_option.exit_code == 0, by_option.output
    assert json.loads(by_option.output) == [{"origin": "user folder", "since": None}]
    by_env = oversight(
        loaded_db, "run", "judgements-over-time", "-p", "since=2019-07-23", "--format", "json",
        env={ENV_VAR: os.pathsep.join([str(tmp_path / "missing-is-skipped-not"), str(tmp_path)])},
    )  # fmt: skip
    # A folder that does not exist is an error, not silently skipped.
    assert isinstance(by_env.exception, QueryError)
    assert "no such queries folder" in str(by_env.exception)
    by_env = oversight(
        loaded_db, "run", "judgements-over-time", "-p", "since=2019-07-23", "--format", "json",
        env={ENV_VAR: str(tmp_path)},
    )  # fmt: skip
    assert json.loads(by_env.output) == [{"origin": "user folder", "since": "2019-07-23"}]
    listed = oversight(loaded_db, "--queries-dir", str(tmp_path), "list", env={"COLUMNS": "400"})
    (line,) = [line for line in listed.output.splitlines() if "judgements-over-time" in line]
    assert "Mine" in line and str(tmp_path) in line
    # Without the folder, the bundled query is back.
    bundled = oversight(loaded_db, "run", "judgements-over-time", "--example", "--format", "json")
    assert "inspection_id" in json.loads(bundled.output)[0]


# --- parameters ----------------------------------------------------------------------------

EXPECTED_LIST = (
    "expected parameters: finding: entity Finding (required), "
    'e.g. "finding/2017-insufficient-scrutiny"'
    "; day: date = null"
)


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({}, "missing parameter 'finding'"),
        ({"finding": "finding/x", "colour": "red"}, "unknown parameter 'colour'"),
        ({"finding": 17}, "parameter 'finding' must be an entity, not int 17"),
        ({"finding": "f", "day": "last tuesday"}, "parameter 'day' must be a date"),
        ({"finding": "f", "day": dt.datetime(2017, 1, 1)}, "parameter 'day' must be a date"),
        ({"finding": None}, "parameter 'finding' may not be null"),
    ],
    ids=["missing", "unknown", "ill-typed", "bad-date", "datetime-not-date", "null-required"],
)
def test_bad_parameters_list_the_expected_ones(
    loaded_db: Path, params: dict[str, Any], problem: str
) -> None:
    with EmbeddedStore(loaded_db, read_only=True) as store, pytest.raises(ParameterError) as caught:
        run_query(store, "accountable-for-finding", **params)
    text = str(caught.value)
    assert text.startswith(f"query 'accountable-for-finding': {problem}"), text
    assert text.endswith(EXPECTED_LIST), text


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ((), "missing parameter 'finding'"),
        (("-p", "colour=red"), "unknown parameter 'colour'"),
        (("-p", "finding=x", "-p", "day=2017-02-30"), "'2017-02-30' is not a valid day"),
        (("-p", "finding"), "'finding' is not NAME=VALUE"),
    ],
    ids=["missing", "unknown", "bad-date", "no-value"],
)
def test_bad_parameters_on_the_command_line(
    loaded_db: Path, args: tuple[str, ...], problem: str
) -> None:
    outcome = oversight(loaded_db, "run", "accountable-for-finding", *args)
    assert isinstance(outcome.exception, ParameterError), outcome.output
    assert problem in str(outcome.exception)
    assert str(outcome.exception).endswith(EXPECTED_LIST)


def test_command_line_values_follow_the_declared_types(loaded_db: Path) -> None:
    listed = oversight(
        loaded_db, "run", "oversight-failures", "-p", "terms=scrutin,to account",
        "-p", 'kinds=["weakness"]', "--format", "json",
    )  # fmt: skip
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert rows and all(set(r["matched_terms"]) <= {"scrutin", "to account"} for r in rows)
    number = oversight(
        loaded_db, "run", "accountability-gaps", "-p", "min_findings=3", "--format", "json"
    )
    assert all(r["criticisms"] >= 3 for r in json.loads(number.output))
    wrong = oversight(loaded_db, "run", "accountability-gaps", "-p", "min_findings=many")
    assert isinstance(wrong.exception, ParameterError)
    assert "'many' is not an int" in str(wrong.exception)


# --- safety --------------------------------------------------------------------------------

WIPE = """\
// name: wipe
// title: Looks harmless
// param who: string, example "person/debbie-jones" -- a person

MATCH (p:Person {id: $who}) DETACH DELETE p
"""


def test_a_saved_query_that_writes_is_refused(loaded_db: Path, tmp_path: Path) -> None:
    before = counts(loaded_db)
    (tmp_path / "wipe.cypher").write_text(WIPE)
    outcome = oversight(loaded_db, "--queries-dir", str(tmp_path), "run", "wipe", "--example")
    assert isinstance(outcome.exception, HeaderError)
    assert "DETACH changes the graph; saved queries only read" in str(outcome.exception)
    # Should a write get past the header check, the statement gate in Store.read refuses it;
    # past the gate too, the read transaction still does, even on a store opened for writing.
    saved = next(q for q in BUNDLED_QUERIES if q.name == "person-profile")
    sneaky = dataclasses.replace(saved, text=WIPE.replace("$who", "$person"))
    with EmbeddedStore(loaded_db) as store:
        with pytest.raises(StatementRefused, match=r"DETACH .* changes the graph"):
            run(store, sneaky, {"person": "person/debbie-jones"})
        with pytest.raises(StoreError, match="writes"):
            store._read(sneaky.text, {"person": "person/debbie-jones"})
    assert counts(loaded_db) == before


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("judgements-over-time", {"area": "x'}) DETACH DELETE n //"}),
        ("measure-over-time", {"indicator": "') MATCH (n) DETACH DELETE n RETURN 1 AS x //"}),
        ("oversight-failures", {"terms": ["x' OR 1=1 //", "'}) DETACH DELETE n //"]}),
    ],
    ids=["string", "string-2", "list"],
)
def test_cypher_in_a_parameter_is_a_plain_value(
    loaded_db: Path, name: str, params: dict[str, Any]
) -> None:
    before = counts(loaded_db)
    with EmbeddedStore(loaded_db) as store:  # open for writing: only the query text could write
        assert run_query(store, name, **params).rows == []
    assert counts(loaded_db) == before


NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "twenty-one",
    "twenty-two",
    "twenty-three",
]


def test_the_readme_counts_the_saved_queries_there_are() -> None:
    """The README says how many questions are bundled in words: counted here, not typed."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    said = re.search(r"^(\w[\w-]*) questions investigators ask", readme, re.M)
    assert said, "the README's saved-queries section should open with the count"
    assert said.group(1).lower() == NUMBERS[len(BUNDLED_QUERIES)]


@pytest.mark.parametrize(
    ("variant", "message"),
    [
        ("RETURN $x AS x, $y AS y\n", "neo4j/probe.cypher:1: $y is used but not declared"),
        ("RETURN 1 AS one\n", "neo4j/probe.cypher:1: param x is declared but $x is not used"),
        ("MATCH (n) SET n.x = $x RETURN n\n", "neo4j/probe.cypher:1: SET changes the graph"),
    ],
)
def test_an_engine_s_text_is_gated_and_takes_the_same_parameters(
    tmp_path: Path, variant: str, message: str
) -> None:
    (tmp_path / "neo4j").mkdir()
    (tmp_path / "probe.cypher").write_text(
        "// name: probe\n// title: t\n// param x: int, example 1\nRETURN $x AS x\n",
        encoding="utf-8",
    )
    (tmp_path / "neo4j" / "probe.cypher").write_text(variant, encoding="utf-8")
    with pytest.raises(QueryError) as raised:
        read_query(tmp_path / "probe.cypher")
    assert message in str(raised.value)
