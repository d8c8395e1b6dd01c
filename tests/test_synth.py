"""Synthetic England (loaders/synth.py) and the bulk load path (graph/bulk.py).

Three authorities are generated once per module, validated by the dataset reader, checked
against their texts, and loaded into real LadybugDB files both through COPY FROM and through
MERGE batches.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fingerprint import content
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.store import Store
from oversight.loaders import synth
from oversight.loaders.dataset import graph_rows, read_dataset
from oversight.loaders.verify import verify
from oversight.queries import list_queries, run_query
from oversight.queries.runner import example_values

from oversight.synth_commands import synth as synth_command

AUTHORITIES = 3


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "england"
    synth.write_dataset(out, AUTHORITIES, seed=7)
    return out


@pytest.fixture(scope="module")
def rows(folder: Path) -> tuple[dict, dict]:
    return graph_rows(read_dataset([folder]))


@pytest.fixture(scope="module")
def bulk_db(tmp_path_factory: pytest.TempPathFactory, rows: tuple[dict, dict]) -> Path:
    path = tmp_path_factory.mktemp("bulk") / "synth.lbug"
    with EmbeddedStore(path) as store:
        store.load(*rows, bulk_copy=True)
    return path


@pytest.fixture
def bulk_store(bulk_db: Path) -> Iterator[EmbeddedStore]:
    with EmbeddedStore(bulk_db, read_only=True) as store:
        yield store


def test_same_seed_same_bytes_other_seed_other_data(folder: Path, tmp_path: Path) -> None:
    synth.write_dataset(tmp_path / "again", AUTHORITIES, seed=7)
    synth.write_dataset(tmp_path / "other", AUTHORITIES, seed=8)
    assert _files(tmp_path / "again") == _files(folder)
    assert _files(tmp_path / "other") != _files(folder)


def test_validates_and_every_quote_is_in_its_text(folder: Path) -> None:
    dataset = read_dataset([folder])
    assert verify(dataset) == []
    labels = {node.label.name for node in dataset.nodes.values()}
    assert labels >= {"Person", "Post", "Body", "Service", "Inspection", "Judgement"}
    assert labels >= {"Finding", "Measure", "Statement", "Source"}
    types = {rel.type.name for rel in dataset.relationships.values()}
    assert types >= {"HOLDS", "CHAIRS", "FOLLOWS_UP", "CONCERNS", "INSPECTOR_ON", "ABOUT"}
    findings = [n for n in dataset.nodes.values() if n.label.name == "Finding"]
    inspections = [n for n in dataset.nodes.values() if n.values.get("kind") == "inspection"]
    assert 30 * len(inspections) <= len(findings)


def test_names_are_plainly_synthetic(folder: Path) -> None:
    dataset = read_dataset([folder])
    people = [n.values["name"] for n in dataset.nodes.values() if n.label.name == "Person"]
    assert people and all(name.startswith("Person ") for name in people)


def test_grades_follow_the_public_calibration() -> None:
    summary = synth.grade_summary(synth.plan_england(153))
    share = summary["good_or_outstanding"]
    assert 0.4 <= share["England"] <= 0.6  # 49% at the end of August 2019
    assert share["London"] >= 0.7 and share["West Midlands"] <= 0.4
    assert 0.18 <= summary["first_round"]["inadequate"] <= 0.35  # about a quarter


def _contents(store: Store) -> Counter[str]:
    """Every node and relationship with all its properties, counted: a duplicated row counts
    twice. An empty list reads as null (the MERGE path may store [] where COPY stores null)."""
    lines: Counter[str] = Counter()
    for line, count in content(store).items():
        kind, *rest = json.loads(line)
        properties = rest[-1]
        rest[-1] = {k: v for k, v in properties.items() if v != []}
        lines[json.dumps([kind, *rest], sort_keys=True, ensure_ascii=False)] += count
    return lines


def test_bulk_and_merge_paths_give_the_same_graph(
    bulk_store: EmbeddedStore, rows: tuple[dict, dict], tmp_path: Path
) -> None:
    with EmbeddedStore(tmp_path / "merge.lbug") as merged:
        merged.load(*rows, bulk_copy=False)
        assert merged.counts() == bulk_store.counts()
        assert _contents(merged) == _contents(bulk_store)
    expected = sum(map(len, rows[0].values())) + sum(map(len, rows[1].values()))
    counts = bulk_store.counts()
    assert sum(counts["nodes"].values()) + sum(counts["relationships"].values()) == expected


def test_loading_again_and_replacing_change_nothing(
    bulk_db: Path, rows: tuple[dict, dict], tmp_path: Path
) -> None:
    copy = tmp_path / "copy.lbug"
    with EmbeddedStore(copy) as store:
        store.load(*rows, bulk_copy=True)
        before = _contents(store)
        store.load(*rows, bulk_copy=True)  # every table filled: MERGE batches
        assert _contents(store) == before
        store.load(*rows, bulk_copy=True, replace=True)  # tables made again, then COPY
        assert _contents(store) == before


def test_every_saved_query_returns_rows(bulk_store: EmbeddedStore) -> None:
    stand_ins = synth.examples(synth.plan_england(AUTHORITIES, seed=7))
    empty = []
    for saved in list_queries():
        if saved.name == "passages-mentioning":  # synthetic data has no loaded documents
            continue
        params = synth.synthetic_parameters(example_values(saved), stand_ins)
        if not run_query(bulk_store, saved, **params).rows:
            empty.append(f"{saved.name} {params}")
    assert not empty, "saved queries without rows on synthetic data: " + "; ".join(empty)


class _Interrupted(Exception):
    pass


def _interrupt_after(count: int) -> Any:
    seen = [0]

    def progress(done: int) -> None:
        seen[0] += done
        if seen[0] >= count:
            raise _Interrupted

    return progress


def test_a_rolled_back_bulk_load_leaves_an_empty_store_empty(
    rows: tuple[dict, dict], tmp_path: Path
) -> None:
    with EmbeddedStore(tmp_path / "empty.lbug") as store:
        with pytest.raises(_Interrupted):
            store.load(*rows, bulk_copy=True, progress=_interrupt_after(2000))
        totals = store.counts()
        assert sum(totals["nodes"].values()) + sum(totals["relationships"].values()) == 0
        store.load(*rows, bulk_copy=True)  # and it still loads afterwards
        assert sum(store.counts()["relationships"].values()) > 0


def test_a_rolled_back_replacing_bulk_load_leaves_the_store_as_before(
    rows: tuple[dict, dict], tmp_path: Path
) -> None:
    other = tmp_path / "other"
    synth.write_dataset(other, 2, seed=99)
    path = tmp_path / "filled.lbug"
    with EmbeddedStore(path) as store:
        store.load(*rows, bulk_copy=True)
        before = _contents(store)
        total = sum(map(len, rows[0].values())) + sum(map(len, rows[1].values()))
        with pytest.raises(_Interrupted):
            store.load(
                *graph_rows(read_dataset([other])),
                bulk_copy=True,
                replace=True,
                progress=_interrupt_after(total // 2),
            )
        assert _contents(store) == before
    with EmbeddedStore(path, read_only=True) as reopened:
        assert _contents(reopened) == before


def test_synth_command_writes_a_loadable_dataset(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        synth_command, ["--authorities", "1", "--seed", "3", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "source texts" in result.output
    assert (out / "england.yaml").is_file() and (out / "authority-001.yaml").is_file()
    assert verify(read_dataset([out])) == []
