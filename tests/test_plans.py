"""A read asked again reuses its plan (graph/plans.py), and still answers for its own values.

Each check runs a saved query on one long-lived store, after other runs of it with other
values, and compares the rows with those of a store opened afresh (which has no plan kept).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.plans import SIZE, PlanCache, signature
from oversight.graph.store import StoreError
from oversight.loaders.dataset import graph_rows, read_dataset
from oversight.queries import list_queries, run_query
from oversight.queries.runner import example_values
from small_dataset import write_dataset

# Runs of one query whose values differ in kind (NULL then a date, a longer list, a smaller
# LIMIT, a flag flipped): a plan kept for the first must not answer the next.
RUNS: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "accountable-for-finding",
        [
            {"finding": "finding/2017-insufficient-scrutiny", "day": None},
            {"finding": "finding/2017-insufficient-scrutiny", "day": dt.date(2015, 6, 1)},
            {"finding": "finding/2017-insufficient-scrutiny", "day": None},
        ],
    ),
    (
        "shortest-connection",
        [
            {"from_id": "person/danny-hassell", "to_id": "person/debbie-jones", "limit": 10},
            {"from_id": "person/brenda-mclaughlin", "to_id": "person/julia-dockerill"},
        ],
    ),
    (
        "changes-between",
        [
            {"earlier": "inspection/ofsted-2017", "later": "inspection/ofsted-2019"},
            {
                "earlier": "inspection/ofsted-2017",
                "later": "inspection/ofsted-2019",
                "facts_only": True,
            },
        ],
    ),
    (
        "who-held",
        [
            {"post": "post/director-of-childrens-services"},
            {"post": "post/director-of-childrens-services", "since": dt.date(2017, 1, 23)},
            {
                "post": "post/director-of-childrens-services",
                "since": dt.date(2017, 1, 23),
                "until": dt.date(2017, 2, 16),
            },
        ],
    ),
    (
        "oversight-failures",
        [
            {},
            {"terms": ["scrutin"], "kinds": ["weakness", "recommendation"]},
            {"terms": ["grip", "oversight"], "kinds": ["strength", "observation"]},
        ],
    ),
    (
        "judgements-over-time",
        [{}, {"area": "leadership"}, {"since": dt.date(2019, 1, 1)}],
    ),
    ("accountability-gaps", [{"min_findings": 1}, {"min_findings": 3}]),
]


def _rows(store: EmbeddedStore, name: str, values: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted(run_query(store, name, **values).rows, key=repr)


@pytest.mark.parametrize(("name", "runs"), RUNS, ids=[name for name, _ in RUNS])
def test_a_kept_plan_answers_each_runs_own_values(
    loaded_db: Path, name: str, runs: list[dict[str, Any]]
) -> None:
    with EmbeddedStore(loaded_db, read_only=True) as kept:
        answers = [_rows(kept, name, values) for values in runs + runs]
    fresh = []
    for values in runs:
        with EmbeddedStore(loaded_db, read_only=True) as store:
            fresh.append(_rows(store, name, values))
    assert answers == fresh + fresh
    assert len({repr(rows) for rows in fresh}) > 1, "the runs must differ for this to prove much"


def test_every_saved_query_answers_the_same_the_second_time(loaded_db: Path) -> None:
    with EmbeddedStore(loaded_db, read_only=True) as store:
        queries = list_queries()
        first = {q.name: _rows(store, q.name, example_values(q)) for q in queries}
        kept = len(store._plans)
        again = {q.name: _rows(store, q.name, example_values(q)) for q in reversed(queries)}
        assert len(store._plans) == kept, "the second round planned again"
    assert again == first
    assert kept >= len(queries)


def test_a_plan_is_kept_per_text_and_kinds_of_value(loaded_db: Path) -> None:
    text = "MATCH (p:Person) WHERE p.id = $id RETURN p.name AS name"
    with EmbeddedStore(loaded_db, read_only=True) as store:
        names = [store.read(text, {"id": i}).rows for i in ("person/debbie-jones", "person/x")]
        assert len(store._plans) == 1
        assert names[0] and not names[1]
        store.read(text, {"id": None})
        assert len(store._plans) == 2


# A value of another type than the kept plan's: the answer, or the error, of a fresh store.
CROSS_TYPES = [
    ("RETURN $x < date('2020-01-01') AS y", dt.date(2019, 1, 1), None),
    ("RETURN $x < date('2020-01-01') AS y", None, dt.date(2019, 1, 1)),
    ("RETURN size($x) AS y", ["a"], [1, 2]),
    ("RETURN $x + 1 AS y", 1, "a"),
    ("RETURN $x AS y", [1], ["a"]),
    ("RETURN $x AS y", dt.date(2020, 1, 1), dt.datetime(2020, 1, 1, 5)),
    ("MATCH (p:Person) WHERE p.id IN $x RETURN count(*) AS n", [], ["person/debbie-jones"]),
    ("MATCH (p:Person) WHERE p.id = $x RETURN count(*) AS n", None, "person/debbie-jones"),
]


def _answer(store: EmbeddedStore, text: str, value: Any) -> Any:
    try:
        return store.read(text, {"x": value}).rows
    except StoreError as error:
        return str(error)


@pytest.mark.parametrize(("text", "first", "then"), CROSS_TYPES)
def test_a_value_of_another_type_is_answered_as_afresh(
    loaded_db: Path, text: str, first: Any, then: Any
) -> None:
    with EmbeddedStore(loaded_db, read_only=True) as kept:
        _answer(kept, text, first)
        answer = _answer(kept, text, then)
    with EmbeddedStore(loaded_db, read_only=True) as fresh:
        assert answer == _answer(fresh, text, then)


def test_limit_and_skip_take_each_runs_values(loaded_db: Path) -> None:
    text = "MATCH (p:Person) RETURN p.id AS id ORDER BY id SKIP $skip LIMIT $limit"
    with EmbeddedStore(loaded_db, read_only=True) as store:
        runs = [store.read(text, {"skip": s, "limit": n}).rows for s, n in ((0, 5), (2, 2), (0, 5))]
        assert len(store._plans) == 1
    assert len(runs[0]) == 5
    assert runs[1] == runs[0][2:4]
    assert runs[2] == runs[0]


def test_a_write_drops_the_plans_of_the_connection_it_replaces(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data")
    text = "MATCH (p:Person) RETURN p.id AS id ORDER BY id"
    with EmbeddedStore(tmp_path / "o.lbug") as store:
        store.load(*graph_rows(read_dataset([data])))
        before = store.read(text).rows
        (data / "more.yaml").write_text(
            '- id: person/bob\n  name: Bob\n  cite: [{source: source/s, quote: "A source"}]\n',
            encoding="utf-8",
        )
        store.load(*graph_rows(read_dataset([data])))
        after = store.read(text).rows  # a plan of the closed connection would crash here
    assert before == [("person/ann",)]
    assert after == [("person/ann",), ("person/bob",)]


def test_a_text_that_does_not_prepare_fails_as_it_always_did(loaded_db: Path) -> None:
    with EmbeddedStore(loaded_db, read_only=True) as store:
        with pytest.raises(StoreError, match=r"Binder exception: Table Nope does not exist"):
            store.read("MATCH (n:Nope) RETURN n")
        assert len(store._plans) == 0


def test_the_cache_keeps_the_most_recent_texts(loaded_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.lbug"
    shutil.copyfile(loaded_db, copy)
    with EmbeddedStore(copy, read_only=True) as store:
        for n in range(SIZE + 5):
            store.read(f"RETURN {n} AS n")
        assert len(store._plans) == SIZE
        assert store.read("RETURN 3 AS n").rows == [(3,)]


def test_signature_tells_apart_what_binding_tells_apart() -> None:
    assert signature({"d": None}) != signature({"d": dt.date(2020, 1, 1)})
    assert signature({"d": dt.date(2020, 1, 1)}) != signature({"d": dt.datetime(2020, 1, 1)})
    assert signature({"b": True}) != signature({"b": 1})
    assert signature({"l": ["a"]}) == signature({"l": ["a", "b", "c"]})
    assert signature({"l": []}) != signature({"l": ["a"]})
    assert signature({"n": 1}) == signature({"n": 2})
    assert len(PlanCache()) == 0
