"""The store suite: one set of behaviours, run against every store.

Each test runs on both stores: a LadybugDB file and the session's real Neo4j server.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from pathlib import Path

import pytest
import real_ladybug as lb
from fingerprint import content, fingerprint
from oversight.graph.gate import StatementRefused
from oversight.graph.result import Node, Relationship
from oversight.graph.result import Path as GraphPath
from oversight.graph.store import Store, StoreError

NODES = {
    "Person": [
        {"id": "person/a", "name": "Ann Example", "aliases": ["AE"]},
        {"id": "person/b", "name": "Ben Example"},
    ],
    "Post": [{"id": "post/dcs", "name": "Director of Children's Services"}],
    "Source": [{"id": "source/s", "name": "A source", "reliability": "primary"}],
}
RELS = {
    ("HOLDS", "Person", "Post"): [
        {
            "id": "person/a|HOLDS|post/dcs|2015-07-01",
            "from_id": "person/a",
            "to_id": "post/dcs",
            "start_date": dt.date(2015, 7, 1),
            "start_precision": "month",
            "capacity": "interim",
            "cite_sources": ["source/s"],
            "cite_quotes": ["took up an interim position in July 2015"],
        },
        {
            "id": "person/a|HOLDS|post/dcs|2016-03-01",
            "from_id": "person/a",
            "to_id": "post/dcs",
            "start_date": dt.date(2016, 3, 1),
            "start_precision": "month",
            "capacity": "permanent",
        },
    ]
}


def counts(store: Store) -> tuple[int, int]:
    totals = store.counts()
    return sum(totals["nodes"].values()), sum(totals["relationships"].values())


def test_load_twice_gives_the_same_graph(store: Store) -> None:
    store.load(NODES, RELS)
    first = counts(store)
    store.load(NODES, RELS)
    assert counts(store) == first == (4, 2)


def test_upsert_updates_properties_in_place(store: Store) -> None:
    store.load(NODES, RELS)
    renamed = {"Person": [{"id": "person/b", "name": "Benedict Example"}]}
    store.load(renamed, {})
    result = store.read("MATCH (p:Person {id: $id}) RETURN p.name AS name", {"id": "person/b"})
    assert result.rows == [("Benedict Example",)]
    assert counts(store) == (4, 2)


def test_counts_per_label_and_type(store: Store) -> None:
    store.load(NODES, RELS)
    totals = store.counts()
    assert totals["nodes"]["Person"] == 2
    assert totals["nodes"]["Finding"] == 0
    assert totals["relationships"]["HOLDS"] == 2


def test_parameters_are_bound_not_spliced(store: Store) -> None:
    store.load(NODES, RELS)
    hostile = "x'}) DETACH DELETE n //"
    result = store.read(
        "MATCH (n:Person) WHERE n.name = $name RETURN n.id AS id", {"name": hostile}
    )
    assert result.rows == []
    assert counts(store) == (4, 2)


def test_dates_and_lists_round_trip(store: Store) -> None:
    store.load(NODES, RELS)
    result = store.read(
        "MATCH (p:Person)-[h:HOLDS]->(:Post) WHERE h.start_date >= date($d) "
        "RETURN p.aliases AS aliases, h.start_date AS started, h.capacity AS capacity",
        {"d": "2016-01-01"},
    )
    assert result.rows == [(["AE"], dt.date(2016, 3, 1), "permanent")]


def test_result_shape_nodes_relationships_paths(store: Store) -> None:
    store.load(NODES, RELS)
    result = store.read(
        "MATCH p = (a:Person {id: 'person/a'})-[h:HOLDS]->(o:Post) "
        "RETURN a, h, p ORDER BY h.start_date"
    )
    assert result.columns == ["a", "h", "p"]
    person, holds, path = result.rows[0]
    assert person == Node("person/a", "Person", {})
    assert person.properties["name"] == "Ann Example"
    assert isinstance(holds, Relationship)
    assert (holds.type, holds.start, holds.end) == ("HOLDS", "person/a", "post/dcs")
    assert holds.properties["capacity"] == "interim"
    assert holds.properties["cite_quotes"] == ["took up an interim position in July 2015"]
    assert isinstance(path, GraphPath)
    assert [n.id for n in path.nodes] == ["person/a", "post/dcs"]
    assert set(result.nodes) == {"person/a", "post/dcs"}
    assert len(result.relationships) == 2


def test_relationship_alone_still_names_its_ends(store: Store) -> None:
    store.load(NODES, RELS)
    for _ in range(2):  # the second time, the embedded store's lookup of the ends is planned
        result = store.read("MATCH ()-[h:HOLDS]->() RETURN h ORDER BY h.start_date")
        assert [(r.start, r.end) for (r,) in result.rows] == [("person/a", "post/dcs")] * 2


def test_records_are_plain_values(store: Store) -> None:
    store.load(NODES, RELS)
    records = store.read("MATCH (a:Person {id: 'person/a'})-[h:HOLDS]->() RETURN a, h").records()
    assert records[0]["a"]["label"] == "Person"
    assert records[0]["h"]["type"] == "HOLDS"
    assert records[0]["h"]["start_date"] in ("2015-07-01", "2016-03-01")


def test_read_path_refuses_writes(store: Store) -> None:
    """The statement gate refuses first; the read-only transaction would refuse too."""
    store.load(NODES, RELS)
    before = fingerprint(store)
    for text in ("MATCH (n:Person) DETACH DELETE n", "CREATE (:Person {id: 'person/z'})"):
        with pytest.raises(StatementRefused):
            store.read(text)
        with pytest.raises(StoreError, match="writes"):
            store._read(text, None)  # past the gate: the store's own read-only transaction
    assert fingerprint(store) == before


def test_write_path_writes_when_asked(store: Store) -> None:
    store.load(NODES, RELS)
    store.write("CREATE (:Person {id: 'person/z', name: 'Z'})")
    assert counts(store) == (5, 2)


def test_failed_load_leaves_the_store_as_it_was(store: Store) -> None:
    """The second batch fails (a null id cannot be merged): the first must not stay."""
    store.load(NODES, RELS)
    before = fingerprint(store)
    bad = {"Person": [{"id": "person/c", "name": "C"}, {"id": None, "name": "D"}]}
    with pytest.raises(StoreError):
        store.load(bad, {}, batch_size=1)
    assert fingerprint(store) == before


def test_clear_empties_the_store(store: Store) -> None:
    store.load(NODES, RELS)
    store.clear()
    assert counts(store) == (0, 0)


def test_ladybug_unwind_match_merge_shape(tmp_path: Path) -> None:
    """The statement real_ladybug 0.15.2/0.15.3 break with `unordered_map::at` (pinned <0.15)."""
    db = lb.Database(str(tmp_path / "shape.lbug"))
    conn = lb.Connection(db)
    conn.execute("CREATE NODE TABLE A(id STRING PRIMARY KEY)")
    conn.execute("CREATE NODE TABLE B(id STRING PRIMARY KEY)")
    conn.execute("CREATE REL TABLE R(FROM A TO B)")
    conn.execute("UNWIND ['a1', 'a2'] AS i CREATE (:A {id: i})")
    conn.execute("UNWIND ['b1', 'b2'] AS i CREATE (:B {id: i})")
    rows = [{"a": "a1", "b": "b1"}, {"a": "a2", "b": "b2"}, {"a": "a1", "b": "b1"}]
    statement = "UNWIND $rows AS r MATCH (a:A {id: r.a}), (b:B {id: r.b}) MERGE (a)-[:R]->(b)"
    conn.execute(statement, {"rows": rows})
    conn.execute(statement, {"rows": rows})
    assert conn.execute("MATCH ()-[r:R]->() RETURN count(r)").get_all() == [[2]]


def test_second_process_gets_a_clear_message(tmp_path: Path) -> None:
    import subprocess
    import sys

    from oversight.graph.embedded import EmbeddedStore

    path = tmp_path / "locked.lbug"
    with EmbeddedStore(path) as store:
        store.apply_schema()
        code = (
            "from pathlib import Path; from graph.embedded import EmbeddedStore\n"
            f"EmbeddedStore(Path({str(path)!r}))"
        )
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "open in another oversight or LadybugDB process" in proc.stderr


def test_a_file_from_an_older_schema_gains_the_new_columns(tmp_path: Path) -> None:
    import dataclasses

    from oversight.graph.embedded import EmbeddedStore
    from oversight.graph.schema import schema

    model = schema()
    source = model.label("Source")
    older = dataclasses.replace(
        model,
        labels=tuple(
            dataclasses.replace(label, properties=label.properties[:-1])
            if label is source
            else label
            for label in model.labels
        ),
    )
    path = tmp_path / "old.lbug"
    with EmbeddedStore(path, model=older) as store:
        store.load({"Source": [{"id": "source/s", "name": "S"}]}, {})
    newest = source.properties[-1].stored
    with EmbeddedStore(path) as store:
        store.apply_schema()
        found = store.read(f"MATCH (s:Source) RETURN s.id AS id, s.{newest} AS newest").rows
    assert found == [("source/s", None)]


def test_a_later_write_keeps_the_lists_of_stored_relationships(store: Store) -> None:
    """Adding, changing or deleting one relationship leaves the others' lists as they were.

    LadybugDB 0.14.1 shifted the list properties of a relationship table's other rows to their
    neighbours' values at CHECKPOINT (graph/embedded.py `_rewrite_relationship_lists`).
    """
    refs = [["", ""], ["", ""], [""], ["p79"], ["p79"], ["p80"], ["p80"], ["p80"], ["p82"]]
    refs += [["p82"], ["p82"], ["", ""], [""], [""], [""]]
    findings = [{"id": f"finding/f{i}", "name": f"F{i}", "kind": "weakness"} for i in range(10)]
    posts = [{"id": f"post/p{i}", "name": f"P{i}"} for i in range(4)]

    def concerns(number: int, finding: int, post: int, cite_refs: list[str]) -> dict:
        return {
            "id": f"c{number:02d}",
            "from_id": f"finding/f{finding}",
            "to_id": f"post/p{post}",
            "stance": "criticised",
            "cite_sources": ["source/s"] * len(cite_refs),
            "cite_quotes": [f"quote {number}"] * len(cite_refs),
            "cite_refs": cite_refs,
        }

    key = ("CONCERNS", "Finding", "Post")
    rows = [concerns(i, min(i, 9), i % 4, ref) for i, ref in enumerate(refs)]
    store.load({"Finding": findings, "Post": posts}, {key: rows})
    stored = content(store)

    def lines_of(*changed: str) -> Counter[str]:
        return Counter({line: n for line, n in content(store).items() if _rel_id(line) in changed})

    store.load({}, {key: [concerns(99, 0, 1, [""])]})  # a new one
    assert content(store) - lines_of("c99") == stored
    store.load({}, {key: [concerns(5, 5, 1, ["a", "b", "c"])]})  # one changed
    changed = {line for line in stored if _rel_id(line) == "c05"}
    assert content(store) - lines_of("c99", "c05") == stored - Counter(changed)
    store.write("MATCH ()-[r:CONCERNS {id: 'c06'}]->() DELETE r")  # one deleted
    gone = {line for line in stored if _rel_id(line) == "c06"}
    assert content(store) - lines_of("c99", "c05") == stored - Counter(changed | gone)


def _rel_id(line: str) -> str | None:
    kind, *rest = json.loads(line)
    return rest[3] if kind == "rel" else None


def test_a_new_file_is_opened_once_to_make_it_and_once_to_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each open of a LadybugDB file costs ~50 ms of a load; the open that made a new file
    is kept, not opened again (nor left for the collector to close)."""
    from oversight.graph.embedded import EmbeddedStore

    opened: list[bool] = []
    real = lb.Database

    def counting(path: str, **options: object) -> lb.Database:
        opened.append(bool(options.get("read_only")))
        return real(path, **options)

    monkeypatch.setattr(lb, "Database", counting)
    with EmbeddedStore(tmp_path / "new.lbug"):
        assert opened == [False, True]  # the scratch copy written, then the file read


def test_the_buffer_pool_is_sized_to_the_file_and_the_write_not_to_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LadybugDB's default pool (80% of the RAM) cost ~50 MB of memory at every open; the
    store asks for 1 GiB, or more for a big file or a big write."""
    from oversight.graph import embedded
    from oversight.graph.embedded import EmbeddedStore

    pools: list[int] = []
    real = lb.Database

    def recording(path: str, **options: object) -> lb.Database:
        pools.append(int(options["buffer_pool_size"]))  # type: ignore[call-overload]
        return real(path, **options)

    monkeypatch.setattr(lb, "Database", recording)
    with EmbeddedStore(tmp_path / "new.lbug"):
        assert pools == [2**30, 2**30]
    big = tmp_path / "big.bin"
    with big.open("wb") as out:
        out.truncate(300 * 2**20)
    assert embedded._pool_bytes(big) == 1200 * 2**20
    assert (
        embedded._pool_bytes(tmp_path / "new.lbug", 437_650)
        == 4 * (tmp_path / "new.lbug").stat().st_size + 4096 * 437_650
    )
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert embedded._pool_bytes(big, 10**12) == int(ram * 0.8)
