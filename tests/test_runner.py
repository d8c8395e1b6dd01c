"""Binding a saved query's parameters (queries/runner.py), in-process and exact.

tests/test_queries.py runs every saved query and the command line around them; these pin
each rule of binding on its own: what reaches the store is exactly the value of the declared
type, as a parameter, and every refusal says which parameter and what was expected.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.store import StoreError
from oversight.queries.library import parse_query
from oversight.queries.runner import (
    ParameterError,
    bind,
    example_values,
    parse_text_values,
    run,
)

HEADER = """\
// name: q
// title: Every type
// param who: string, example "person/debbie-jones" -- a person's id
// param n: int, default 3 -- how many
// param x: float, default 1.5 -- a number
// param yes: bool, default false -- a flag
// param day: date, default null -- a day
// param ids: list of string, default null -- ids
// param ns: list of int, default [1, 2] -- numbers
MATCH (p:Person {id: $who}) RETURN p.id AS id, $n AS n, $x AS x, $yes AS yes, $day AS day,
  $ids AS ids, $ns AS ns
"""
SIGNATURE = (
    'who: string (required), e.g. "person/debbie-jones"; n: int = 3; x: float = 1.5; '
    "yes: bool = false; day: date = null; ids: list of string = null; ns: list of int = [1, 2]"
)


@pytest.fixture(scope="module")
def query():
    return parse_query(HEADER, Path("q.cypher"))


def refused(query, values: dict) -> str:
    with pytest.raises(ParameterError) as error:
        bind(query, values)
    return str(error.value)


def test_defaults_fill_what_is_not_given(query) -> None:
    assert bind(query, {"who": "person/a"}) == {
        "who": "person/a",
        "n": 3,
        "x": 1.5,
        "yes": False,
        "day": None,
        "ids": None,
        "ns": [1, 2],
    }


def test_values_become_their_declared_types(query) -> None:
    bound = bind(
        query,
        {"who": "w", "n": 7, "x": 2, "yes": True, "day": "2017-02-16", "ids": ["a"], "ns": [5]},
    )
    assert bound == {
        "who": "w",
        "n": 7,
        "x": 2.0,
        "yes": True,
        "day": dt.date(2017, 2, 16),
        "ids": ["a"],
        "ns": [5],
    }
    assert type(bound["x"]) is float and type(bound["day"]) is dt.date


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({}, "missing parameter 'who'"),
        ({"who": "w", "zz": 1, "aa": 2}, "unknown parameters 'aa', 'zz'"),
        ({"who": "w", "zz": 1}, "unknown parameter 'zz'"),
        ({"who": None}, "parameter 'who' may not be null"),
        ({"who": "w", "n": None}, "parameter 'n' may not be null"),
        ({"who": "w", "n": "3"}, "parameter 'n' must be an int, not string \"3\""),
        ({"who": "w", "n": True}, "parameter 'n' must be an int"),
        ({"who": "w", "day": "16/02/2017"}, "parameter 'day' must be a date"),
        ({"who": "w", "ns": []}, "parameter 'ns' must be a non-empty list of int"),
        ({"who": "w", "x": float("nan")}, "parameter 'x': "),
        ({"who": "w", "n": 2**63}, "parameter 'n': "),
    ],
)
def test_refusals_name_the_parameter_and_the_signature(query, values: dict, problem: str) -> None:
    message = refused(query, values)
    assert message.startswith(f"query 'q': {problem}"), message
    assert message.endswith(f"; expected parameters: {SIGNATURE}"), message


def test_null_is_taken_where_the_default_is_null(query) -> None:
    assert bind(query, {"who": "w", "day": None, "ids": None})["day"] is None


def test_example_values(query) -> None:
    assert example_values(query) == {
        "who": "person/debbie-jones",
        "n": 3,
        "x": 1.5,
        "yes": False,
        "day": None,
        "ids": None,
        "ns": [1, 2],
    }
    required_without_example = parse_query(
        "// name: r\n// title: R\n// param who: string, default null -- x\nRETURN $who AS w\n",
        Path("r.cypher"),
    )
    assert example_values(required_without_example) == {"who": None}


def test_command_line_texts_follow_the_types(query) -> None:
    values = parse_text_values(
        query,
        [
            "who=person/a=b",
            " n =12",
            "x=-2.5",
            "yes= TRUE ",
            "day=2017-02-16",
            "ids=a, b ,c",
            "ns=[1, 2, 3]",
        ],
    )
    assert values == {
        "who": "person/a=b",
        "n": 12,
        "x": -2.5,
        "yes": True,
        "day": "2017-02-16",
        "ids": ["a", "b", "c"],
        "ns": [1, 2, 3],
    }
    assert parse_text_values(query, ["yes=false", "ns=4,5", "day=null"]) == {
        "yes": False,
        "ns": [4, 5],
        "day": None,
    }
    assert parse_text_values(query, []) == {}
    assert parse_text_values(query, ["ns= [7, 8]"]) == {"ns": [7, 8]}  # JSON after a space


@pytest.mark.parametrize(
    ("pairs", "problem"),
    [
        (["who"], "'who' is not NAME=VALUE"),
        (["=x"], "'=x' is not NAME=VALUE"),
        (["who=a", "who=b"], "parameter 'who' given twice"),
        (["zz=1"], "unknown parameter 'zz'"),
        (["n=three"], "parameter 'n': 'three' is not an int"),
        (["x=inf"], "parameter 'x': 'inf' is not a float"),
        (["x=1e999"], "parameter 'x': '1e999' is not a float"),
        (["yes=yes"], "parameter 'yes': 'yes' is not a bool"),
        (["ns=1,two"], "parameter 'ns': 'two' is not an int"),
        (["ns=[1,"], "parameter 'ns': '[1,' is not a list of int"),
        (["n=" + "9" * 100], "parameter 'n': "),
    ],
)
def test_command_line_refusals(query, pairs: list[str], problem: str) -> None:
    with pytest.raises(ParameterError) as error:
        parse_text_values(query, pairs)
    message = str(error.value)
    assert message.startswith(f"query 'q': {problem}"), message
    assert message.endswith(f"; expected parameters: {SIGNATURE}")


def test_a_long_value_is_clipped_in_the_message(query) -> None:
    with pytest.raises(ParameterError) as error:
        parse_text_values(query, ["n=" + "x" * 100])
    assert f"'{'x' * 60}… (100 characters)' is not an int" in str(error.value)
    with pytest.raises(ParameterError) as error:
        parse_text_values(query, ["n=" + "x" * 60])
    assert f"'{'x' * 60}' is not an int" in str(error.value)


def test_run_binds_and_reads(loaded_db: Path, query) -> None:
    with EmbeddedStore(loaded_db, read_only=True) as store:
        result = run(store, query, {"who": "person/debbie-jones", "day": "2017-02-16"})
        assert result.records() == [
            {
                "id": "person/debbie-jones",
                "n": 3,
                "x": 1.5,
                "yes": False,
                "day": "2017-02-16",
                "ids": None,
                "ns": [1, 2],
            }
        ]
        assert run(store, query, {"who": "x'}) DETACH DELETE p //"}).rows == []
        with pytest.raises(ParameterError):
            run(store, query, {})
        broken = parse_query(
            "// name: b\n// title: B\nMATCH (p:Nowhere) RETURN p.id AS x\n", Path("b.cypher")
        )
        with pytest.raises(StoreError, match=r"^b\.cypher: "):
            run(store, broken)


ENTITY = """\
// name: e
// title: An entity and the facts-only flag
// param who: entity Person, example "person/debbie-jones" -- a person
// param facts_only: bool, default false -- leave out inferences
MATCH (p:Person {id: $who})-[h:HOLDS]->(:Post) WHERE $facts_only OR true
RETURN p.name AS name, $facts_only AS facts, count(h) AS n
"""
NOTHING = """\
// name: f
// title: Nothing for a known person
// param who: entity Person, example "person/debbie-jones" -- a person
MATCH (p:Person {id: $who})-[:HOLDS]->(:Post {id: 'post/nothing'}) RETURN p.name AS name
"""
INFERRED = "// name: g\n// title: G\nMATCH (a)-[r:REPORTS_TO]->(b) RETURN a.id AS a, r, b.id AS b\n"


def test_a_name_is_resolved_and_what_it_was_taken_for_is_said(loaded_db: Path) -> None:
    query = parse_query(ENTITY, Path("e.cypher"))
    heard: list[str] = []
    with EmbeddedStore(loaded_db, read_only=True) as store:
        rows = run(store, query, {"who": "Debbie Jones"}, say=heard.append).records()
        assert rows == [{"name": "Debbie Jones", "facts": False, "n": 4}]
        assert heard == ["who: 'Debbie Jones' is person/debbie-jones (Debbie Jones), name"]
        heard.clear()
        run(store, query, {"who": "person/debbie-jones"}, say=heard.append)
        assert heard == []  # an id needs no word


def test_facts_only_sets_the_declared_flag_and_drops_inferred_rows(loaded_db: Path) -> None:
    query = parse_query(ENTITY, Path("e.cypher"))
    inferred = parse_query(INFERRED, Path("g.cypher"))
    with EmbeddedStore(loaded_db, read_only=True) as store:
        who = {"who": "person/debbie-jones"}
        assert run(store, query, who, facts_only=True).records()[0]["facts"] is True
        given = {**who, "facts_only": False}
        assert run(store, query, given, facts_only=True).records()[0]["facts"] is False
        assert run(store, query, who).records()[0]["facts"] is False
        (row,) = run(store, inferred).records()  # the one REPORTS_TO, read into the text
        assert row["r"]["inferred"] and (row["a"], row["b"]) == (
            "post/director-of-childrens-services",
            "post/lead-member-childrens-services",
        )
        assert run(store, inferred, facts_only=True).rows == []
        assert run(store, inferred, facts_only=False).rows != []


def test_an_empty_answer_about_a_known_entity_is_said(loaded_db: Path) -> None:
    query = parse_query(NOTHING, Path("f.cypher"))
    heard: list[str] = []
    with EmbeddedStore(loaded_db, read_only=True) as store:
        assert run(store, query, {"who": "Debbie Jones"}, say=heard.append).rows == []
    assert heard == [
        "who: 'Debbie Jones' is person/debbie-jones (Debbie Jones), name",
        "no rows: f finds nothing for who=person/debbie-jones (Debbie Jones)",
    ]


def test_an_empty_answer_names_every_entity_asked_about(loaded_db: Path) -> None:
    query = parse_query(
        "// name: h\n// title: Two people\n"
        '// param a: entity Person, example "person/debbie-jones" -- one\n'
        '// param b: entity Person, example "person/debbie-jones" -- another\n'
        "MATCH (p:Person {id: $a})-[:HOLDS]->(o:Post {id: 'post/nothing'})<-[:HOLDS]-"
        "(q:Person {id: $b}) RETURN p.name AS name\n",
        Path("h.cypher"),
    )
    heard: list[str] = []
    with EmbeddedStore(loaded_db, read_only=True) as store:
        values = {"a": "person/debbie-jones", "b": "person/debbie-jones"}
        assert run(store, query, values, say=heard.append).rows == []
    assert heard == [
        "no rows: h finds nothing for a=person/debbie-jones (Debbie Jones), "
        "b=person/debbie-jones (Debbie Jones)"
    ]
