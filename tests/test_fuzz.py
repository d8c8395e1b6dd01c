"""Property-based tests: whatever the input, a one-line error or success, never a partial write.

Hypothesis generates and mutates dataset files, query headers and documents. The only
exceptions allowed out of the readers are the project's own (OversightError, which the CLI
prints as one line); a crash of any other kind is a bug.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from fingerprint import _line as canonical
from fingerprint import content as store_content
from fingerprint import fingerprint
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.errors import OversightError
from oversight.loaders.dataset import BUNDLED, DatasetError, graph_rows, read_dataset
from oversight.loaders.documents.extract import extract
from oversight.loaders.documents.linker import Known, Linker
from oversight.queries.library import parse_query
from small_dataset import write_dataset

from oversight.cli import cli

VALID = """\
- id: source/s
  name: A source
  file: s.txt
  reliability: primary
  cite: [{source: source/s, quote: "A source"}]
- id: person/ann
  name: Ann Example
  aliases: [Ms Example]
  cite: [{source: source/s, quote: "Ann Example", ref: p1}]
  holds:
    - to: post/dcs
      start: 2015-07
      capacity: interim
- id: post/dcs
  name: DCS
  cite: [{source: source/s, quote: "DCS"}]
- id: finding/f
  name: A finding
  kind: weakness
  found_in: inspection/i
  concerns: [{to: post/dcs, stance: criticised}]
  cite: [{source: source/s, quote: "A source", reports: post/dcs, opinion: true}]
- id: inspection/i
  name: An inspection
  start: 2017-01-23
  number: 4
  cite: [{source: source/s, quote: "A source"}]
"""

QUERY = """\
// name: q
// title: A query
// description: What it answers,
//   over two lines.
// param who: string, example "person/ann" -- whose
// param since: date, default null -- from when
// param n: int, default 3, example 2 -- how many
// view: p

MATCH (p:Person {id: $who}) WHERE $since IS NULL OR p.id <> '' RETURN p LIMIT $n
"""


@pytest.fixture(scope="module")
def known(loaded_db: Path) -> Known:
    with EmbeddedStore(loaded_db, read_only=True) as store:
        return Known.from_store(store)


FAST = settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> bytes:
    """`text` with a few byte-level edits: flips, deletions, insertions, duplicated lines."""
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["flip", "delete", "insert", "duplicate", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "delete" and data:
            del data[at : at + draw(st.integers(1, 12))]
        elif action == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b":",
                        b"-",
                        b" ",
                        b"\n",
                        b"[",
                        b"{",
                        b"'",
                        b'"',
                        b"\t",
                        b"&a",
                        b"*a",
                        b"!!python/object",
                        b"\x00",
                        b"\xff",
                        b"2017-02-30",
                        b"person/ann",
                        b"cite",
                    ]
                )
            )
        elif action == "duplicate":
            lines = bytes(data).split(b"\n")
            line = draw(st.integers(0, len(lines) - 1))
            lines.insert(line, lines[line])
            data = bytearray(b"\n".join(lines))
        elif action == "truncate":
            del data[at:]
    return bytes(data)


def folder_with(tmp: Path, name: str, content: bytes) -> Path:
    folder = write_dataset(tmp / name, base=None)
    (folder / "data.yaml").write_bytes(content)
    return folder


def read_or_fail_cleanly(folder: Path) -> object:
    try:
        return read_dataset([folder])
    except DatasetError as error:
        assert "\n" not in str(error)
        return error


@FAST
@given(content=mutated(VALID))
def test_mutated_dataset_files(tmp_path_factory, content: bytes) -> None:
    tmp = tmp_path_factory.mktemp("mut")
    read_or_fail_cleanly(folder_with(tmp, "d", content))


yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["person/ann", "post/dcs", "source/s", "2017-01", "2017-02-30", "criticised"]),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "extend",
                    "name",
                    "cite",
                    "holds",
                    "concerns",
                    "to",
                    "from",
                    "source",
                    "quote",
                    "start",
                    "kind",
                    "number",
                    "stance",
                    "found_in",
                    "aliases",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=12,
)


@FAST
@given(records=st.lists(yaml_values, max_size=5))
def test_generated_dataset_structures(tmp_path_factory, records: list) -> None:
    tmp = tmp_path_factory.mktemp("gen")
    content = yaml.safe_dump(VALID_RECORDS + records, allow_unicode=True).encode("utf-8")
    read_or_fail_cleanly(folder_with(tmp, "d", content))


VALID_RECORDS = yaml.safe_load(VALID)


@FAST
@given(content=mutated(QUERY))
def test_mutated_query_headers(tmp_path_factory, content: bytes) -> None:
    text = content.decode("utf-8", errors="replace")
    try:
        parse_query(text, Path("q.cypher"))
    except OversightError as error:
        assert "\n" not in str(error)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)),
    suffix=st.sampled_from([".txt", ".md", ".html", ".pdf"]),
)
def test_documents_of_any_content(
    tmp_path_factory, known: Known, content: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("doc") / f"doc{suffix}"
    path.write_bytes(content)
    try:
        document = extract(path)
    except OversightError as error:
        assert "\n" not in str(error)
        return
    Linker(known).link([p.text for p in document.paragraphs], None)


def upserted(
    before: Counter[str], nodes: dict[str, list[dict]], rels: dict[tuple, list[dict]]
) -> Counter[str]:
    """What a whole load must leave: `before` (fingerprint.content lines) with every loaded
    node and relationship upserted by id, every property the row's (an empty list is null)."""
    expected = Counter(before)
    index: dict[tuple, str] = {}
    for line in before:
        kind, *rest = json.loads(line)
        key = ("node", rest[0], rest[1]["id"]) if kind == "node" else ("rel", *rest[:4])
        index[key] = line

    def put(key: tuple, line: str) -> None:
        old = index.pop(key, None)
        if old is not None:
            expected[old] -= 1
        index[key] = line
        expected[line] += 1

    for label, rows in nodes.items():
        for row in rows:
            properties = {k: v for k, v in row.items() if v != []}
            put(("node", label, row["id"]), canonical(["node", label, properties]))
    for (type_, _, _), rows in rels.items():
        for row in rows:
            ends = (row["from_id"], row["to_id"], row["id"])
            properties = {
                k: v for k, v in row.items() if k not in ("id", "from_id", "to_id") and v != []
            }
            put(("rel", type_, *ends), canonical(["rel", type_, *ends, properties]))
    return +expected


@pytest.fixture(scope="module")
def loaded_content(loaded_db: Path) -> tuple[str, Counter[str]]:
    with EmbeddedStore(loaded_db, read_only=True) as store:
        return fingerprint(store), store_content(store)


def test_the_upsert_model_is_the_store(tmp_path: Path, loaded_content) -> None:
    """The model `upserted` stands for: the bundled load, from empty and onto itself."""
    nodes, rels = graph_rows(read_dataset([BUNDLED]))
    with EmbeddedStore(tmp_path / "model.lbug") as store:
        store.load(nodes, rels)
        assert store_content(store) == upserted(Counter(), nodes, rels) == loaded_content[1]
    assert upserted(loaded_content[1], nodes, rels) == loaded_content[1]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=mutated(VALID))
@example(content=VALID.encode())  # a whole load, every run
def test_no_partial_write(
    tmp_path_factory, loaded_db: Path, loaded_content, content: bytes
) -> None:
    """Whatever a mutated file does, `oversight load` leaves the store exactly as before (it
    failed: one line) or exactly as the whole load makes it, by full-content fingerprint."""
    tmp = tmp_path_factory.mktemp("store")
    db = tmp / "db.lbug"
    shutil.copy(loaded_db, db)
    before, lines = loaded_content
    folder = folder_with(tmp, "d", content)
    run = CliRunner().invoke(cli, ["--db", str(db), "load", str(folder)])
    event("refused" if run.exit_code else "loaded")
    if run.exit_code != 0:
        assert isinstance(run.exception, OversightError), run.exception
        assert "\n" not in str(run.exception)
        assert fingerprint(db) == before
        return
    expected = upserted(lines, *graph_rows(read_dataset([folder])))
    with EmbeddedStore(db, read_only=True) as store:
        assert store_content(store) == expected


def test_valid_fixture_is_valid(tmp_path: Path) -> None:
    dataset = read_dataset([folder_with(tmp_path, "d", VALID.encode())])
    assert dataset.nodes["person/ann"].values["aliases"] == ["Ms Example"]
    assert parse_query(QUERY, Path("q.cypher")).name == "q"
    assert dt.date(2015, 7, 1) in {
        r.values["start"][0] for r in dataset.relationships.values() if "start" in r.values
    }
