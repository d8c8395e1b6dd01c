"""The embedded store's writes in one process (graph/embedded.py): what a failed, refused or
interrupted write leaves, and what opening a file does first.

tests/test_atomic.py kills real processes at observed points of a write; these run the same
paths in-process (fast enough for mutation testing, tools/mutation/): a write that fails, is
refused for space, is interrupted before or after its rename, or whose rename fails.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fingerprint import content, fingerprint
from oversight.graph import bulk, embedded
from oversight.graph.embedded import SCRATCH, EmbeddedStore, WriteInterrupted
from oversight.graph.store import StoreError

PEOPLE = {"Person": [{"id": f"person/p{i}", "name": f"P {i}"} for i in range(3)]}
MORE = {"Person": [{"id": "person/more", "name": "More"}]}


@pytest.fixture
def db(loaded_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.lbug"
    shutil.copy(loaded_db, path)
    return path


def leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(f"{path.name}{SCRATCH}*"))


def names(store: EmbeddedStore) -> set[str]:
    return {name for (name,) in store.read("MATCH (p:Person) RETURN p.name").rows}


def open_scratch_files() -> list[str]:
    """Files this process holds open that are scratch copies (a connection left behind)."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if SCRATCH in target:
            found.append(target)
    return found


def still_writes(store: EmbeddedStore, path: Path) -> None:
    """The store goes on working after whatever happened, and its next write is saved."""
    store.load(MORE, {})
    assert "More" in names(store)
    with EmbeddedStore(path, read_only=True) as reopened:
        assert "More" in names(reopened)


def test_a_failed_load_leaves_the_file_no_scratch_and_a_working_store(db: Path) -> None:
    before = fingerprint(db)
    bad = {"Person": [{"id": "person/ok", "name": "OK"}, {"id": None, "name": "no id"}]}
    with EmbeddedStore(db) as store:
        with pytest.raises(StoreError) as failed:
            store.load(bad, {}, batch_size=1)
        assert "violates the non-null constraint of the primary key" in str(failed.value)
        assert leftovers(db) == []
        assert open_scratch_files() == []  # back on the file itself, the copy closed
        assert fingerprint(store) == before  # read through the same store
        still_writes(store, db)


def test_ctrl_c_before_the_rename_saves_nothing(db: Path) -> None:
    before = fingerprint(db)

    def interrupt(done: int) -> None:
        raise KeyboardInterrupt

    with EmbeddedStore(db) as store:
        with pytest.raises(WriteInterrupted) as stopped:
            store.load(PEOPLE, {}, progress=interrupt)
        assert str(stopped.value) == f"{db}: interrupted; nothing was written"
        assert stopped.value.saved is False
        assert stopped.value.exit_code == 130
        assert leftovers(db) == []
        assert fingerprint(store) == before
        still_writes(store, db)


READER = """
import sys
import real_ladybug as lb
lb.Database(sys.argv[1], read_only=True).close()
"""


def test_ctrl_c_after_the_rename_says_the_write_is_saved(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(folder: Path) -> None:  # Ctrl-C lands just after the rename
        raise KeyboardInterrupt

    with EmbeddedStore(db) as store:
        monkeypatch.setattr(embedded, "_fsync_dir", interrupted)
        with pytest.raises(WriteInterrupted) as stopped:
            store.load(PEOPLE, {})
        monkeypatch.undo()
        assert str(stopped.value) == f"{db}: interrupted; the write had completed and is saved"
        assert stopped.value.saved is True
        assert leftovers(db) == []
        other = subprocess.run(  # the store is back on the new file, read-only: others can read
            [sys.executable, "-c", READER, str(db)], capture_output=True, text=True, timeout=120
        )
        assert other.returncode == 0, other.stderr
        assert {"P 0", "P 1", "P 2"} <= names(store)
        still_writes(store, db)


def test_a_rename_that_fails_is_one_line_and_saves_nothing(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fingerprint(db)

    def full(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with EmbeddedStore(db) as store:
        monkeypatch.setattr(embedded.os, "replace", full)
        with pytest.raises(StoreError) as failed:
            store.load(PEOPLE, {})
        monkeypatch.undo()
        assert str(failed.value) == (
            f"{db}: cannot write: No space left on device; nothing was written"
        )
        assert leftovers(db) == []
        assert fingerprint(store) == before
        still_writes(store, db)


def test_a_write_that_will_not_fit_is_refused_before_it_starts(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fingerprint(db)
    gib = 1024**3  # margins wide enough for other processes' files to come and go meanwhile
    free, size = shutil.disk_usage(db.parent).free, db.stat().st_size
    monkeypatch.setattr(embedded, "BYTES_PER_ELEMENT", 4 * gib)
    monkeypatch.setattr(embedded, "HEADROOM", free - size - 6 * gib)
    with EmbeddedStore(db) as store:
        store.load({"Person": PEOPLE["Person"][:1]}, {})  # 1 element: 2 GiB less than is free
        with pytest.raises(StoreError) as refused:
            store.load(PEOPLE, {})  # 3 elements: 6 GiB more than is free
        with pytest.raises(StoreError):  # relationships count as elements too
            store.load({}, {HOLDS: [holds(0, 0), holds(1, 0)]})
        message = str(refused.value)
        assert message.startswith(f"{db}: not enough free space in {db.parent} for this write: ")
        assert message.endswith(" is free; nothing was written")
        assert "it needs about " in message and "(a copy of the store and room to grow)" in message
        assert leftovers(db) == []
    assert fingerprint(db) != before  # the one that fitted


def test_a_second_writer_in_the_same_process_is_refused(db: Path) -> None:
    with EmbeddedStore(db), pytest.raises(StoreError) as refused:
        EmbeddedStore(db)
    assert str(refused.value) == (
        f"{db}: the database is open in another oversight or LadybugDB process; "
        "close that process and try again"
    )
    with EmbeddedStore(db, read_only=True), EmbeddedStore(db):  # readers do not lock
        pass


def test_what_is_not_a_database_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.lbug"
    empty.touch()
    with pytest.raises(StoreError, match=r"empty\.lbug: not an oversight database \(the file"):
        EmbeddedStore(empty)
    with pytest.raises(StoreError, match=r"dir: not an oversight database \(not a regular file\)"):
        EmbeddedStore(_folder(tmp_path))
    missing = tmp_path / "missing.lbug"
    with pytest.raises(StoreError) as refused:
        EmbeddedStore(missing, read_only=True)
    assert str(refused.value) == f"{missing}: no database here yet; run `oversight load` first"
    assert not missing.exists()
    nowhere = tmp_path / "nowhere" / "x.lbug"
    with pytest.raises(StoreError) as refused:
        EmbeddedStore(nowhere)
    assert str(refused.value) == f"{nowhere}: {nowhere.parent} does not exist"
    afile = tmp_path / "afile"
    afile.touch()
    with pytest.raises(StoreError) as refused:
        EmbeddedStore(afile / "x.lbug")
    assert str(refused.value) == f"{afile / 'x.lbug'}: {afile} is not a folder"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "dir"
    folder.mkdir()
    return folder


def test_a_new_store_is_made_like_any_write(tmp_path: Path) -> None:
    path = tmp_path / "new.lbug"
    with EmbeddedStore(path) as store:
        assert path.is_file()
        assert leftovers(path) == []
        assert sum(store.counts()["nodes"].values()) == 0
        store.load(PEOPLE, {})
    with EmbeddedStore(path, read_only=True) as reopened:
        assert names(reopened) == {"P 0", "P 1", "P 2"}


def test_opening_to_write_removes_what_a_killed_write_left(db: Path) -> None:
    stray = db.with_name(f"{db.name}{SCRATCH}99999")
    others = [stray, stray.with_name(stray.name + ".wal"), stray.with_name(stray.name + ".shadow")]
    for path in others:
        path.write_bytes(b"half a write")
    with EmbeddedStore(db, read_only=True):  # a reader leaves them
        assert leftovers(db) == sorted(p.name for p in others)
    before = fingerprint(db)
    with EmbeddedStore(db):
        assert leftovers(db) == []
    assert fingerprint(db) == before


WRITER = """
import os, signal, sys
import real_ladybug as lb
db = lb.Database(sys.argv[1], auto_checkpoint=False)
lb.Connection(db).execute("CREATE (:Person {id: 'person/direct', name: 'Direct'})")
print("committed", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_write_keeps_what_the_files_own_log_holds(db: Path) -> None:
    """A file whose committed write is still in its log (a process killed after COMMIT, no
    checkpoint): our next write works on a copy of both, so that write is kept."""
    proc = subprocess.run(
        [sys.executable, "-c", WRITER, str(db)], capture_output=True, text=True, timeout=120
    )
    assert proc.stdout == "committed\n" and proc.returncode == -signal.SIGKILL
    assert db.with_name(db.name + ".wal").stat().st_size > 0
    with EmbeddedStore(db) as store:
        store.load(MORE, {})
        assert {"Direct", "More"} <= names(store)
    with EmbeddedStore(db, read_only=True) as reopened:
        assert {"Direct", "More"} <= names(reopened)


def test_a_cypher_write_that_fails_saves_nothing(db: Path) -> None:
    before = fingerprint(db)
    with EmbeddedStore(db) as store:
        with pytest.raises(StoreError) as failed:
            store.write(
                "MATCH (p:Person) SET p.name = 'changed' "
                "WITH p MATCH (q:Person {id: p.id}) SET q.name = 1 / 0 RETURN q.id"
            )
        assert str(failed.value) == "Runtime exception: Divide by zero."  # not the rollback's
        assert fingerprint(store) == before
        assert store.write("CREATE (:Person {id: 'person/w', name: 'W'}) RETURN 1").rows == [(1,)]
        assert "W" in names(store)


def test_a_new_stores_first_write_failing_leaves_it_able_to_make_its_tables(
    tmp_path: Path,
) -> None:
    """The first write makes the tables; if it fails, they were never saved: the next write
    must make them again."""
    path = tmp_path / "new.lbug"
    with EmbeddedStore(path) as store:
        with pytest.raises(StoreError):
            store.load({"Person": [{"id": None, "name": "no id"}]}, {})
        store.load(PEOPLE, {})
        assert names(store) == {"P 0", "P 1", "P 2"}


def test_a_write_binds_its_parameters(db: Path) -> None:
    with EmbeddedStore(db) as store:
        created = store.write(
            "CREATE (p:Person {id: $id, name: $name}) RETURN p.name AS name",
            {"id": "person/bound", "name": "Bound"},
        )
        assert created.rows == [("Bound",)]
    with EmbeddedStore(db, read_only=True) as reopened:
        assert "Bound" in names(reopened)


def test_free_space_exactly_enough_is_enough(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The need is the file, its log, BYTES_PER_ELEMENT per element and HEADROOM: a disk with
    exactly that much free takes the write, one byte less refuses it."""
    size = db.stat().st_size
    need = size + 1 * embedded.BYTES_PER_ELEMENT + embedded.HEADROOM
    real = shutil.disk_usage

    def disk_usage(free: int):  # the real figures, `free` made exact
        return lambda path: real(path)._replace(free=free)

    with EmbeddedStore(db) as store:
        monkeypatch.setattr(embedded.shutil, "disk_usage", disk_usage(need - 1))
        with pytest.raises(StoreError, match="not enough free space"):
            store.load(MORE, {})
        monkeypatch.setattr(embedded.shutil, "disk_usage", disk_usage(need))
        store.load(MORE, {})
        monkeypatch.undo()
        assert "More" in names(store)


def test_a_write_removes_a_shadow_file_left_beside_its_scratch_copy(db: Path) -> None:
    """The engine's `.shadow` file of a scratch copy goes with the copy, also one left by an
    earlier write that died in its checkpoint (a reused process id)."""
    with EmbeddedStore(db) as store:
        shadow = db.with_name(f"{db.name}{SCRATCH}{os.getpid()}.shadow")
        shadow.write_bytes(b"half a checkpoint")
        store.load(MORE, {})
        assert leftovers(db) == []
        assert "More" in names(store)


# --- the bulk path (COPY FROM) in-process: tests/test_synth.py runs it on thousands of rows

HOLDS = ("HOLDS", "Person", "Post")
POSTS = {"Post": [{"id": "post/q0", "name": "Q 0"}, {"id": "post/q1", "name": "Q 1"}]}


def holds(person: int, post: int, refs: list[str] | None = None) -> dict:
    return {
        "id": f"person/p{person}|HOLDS|post/q{post}",
        "from_id": f"person/p{person}",
        "to_id": f"post/q{post}",
        "capacity": f"c{person}{post}",
        "cite_sources": ["source/s"] * len(refs or []),
        "cite_refs": refs or [],
    }


GRAPH = ({**PEOPLE, **POSTS}, {HOLDS: [holds(0, 0, ["p1"]), holds(1, 0, ["p2"]), holds(2, 1)]})


@pytest.mark.parametrize(
    ("bulk_copy", "min_rows", "copied"),
    [
        (None, 100, False),  # small: MERGE batches
        (None, 3, True),  # big enough: COPY
        (True, 100, True),  # asked for, whatever the size
        (False, 3, False),  # refused, whatever the size
    ],
)
def test_a_load_takes_the_path_asked_for_and_both_give_the_same_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk_copy: bool | None, min_rows: int, copied
) -> None:
    """COPY reports a table's rows at once, MERGE batches one batch at a time."""
    monkeypatch.setattr(bulk, "BULK_MIN_ROWS", min_rows)
    with EmbeddedStore(tmp_path / "merge.lbug") as merged:
        merged.load(*GRAPH, bulk_copy=False)
        expected = content(merged)
    reported: list[int] = []
    with EmbeddedStore(tmp_path / "new.lbug") as store:
        store.load(*GRAPH, batch_size=1, progress=reported.append, bulk_copy=bulk_copy)
        assert content(store) == expected
    assert sum(reported) == 8  # 3 people, 2 posts, 3 tenures
    assert (reported == [3, 2, 3]) is copied
    assert (reported == [1] * 8) is not copied


def test_a_bulk_load_over_stored_rows_upserts_them(tmp_path: Path) -> None:
    """Stored node ids go through MERGE batches (batch_size apiece); a filled relationship
    table has the stored relationships with the loaded ids deleted, then all its rows copied
    (one step): nothing is stored twice, a changed property is changed."""
    with EmbeddedStore(tmp_path / "new.lbug") as store:
        store.load(*GRAPH, bulk_copy=True)
        renamed = {"Person": [{"id": "person/p1", "name": "Renamed"}, PEOPLE["Person"][2]]}
        again = {HOLDS: [holds(1, 0, ["p2", "p3"]), holds(0, 1)]}
        reported: list[int] = []
        store.load(renamed, again, bulk_copy=True, batch_size=1, progress=reported.append)
        assert reported == [1, 1, 2]
        assert names(store) == {"P 0", "Renamed", "P 2"}
        tenures = [  # an empty list is stored as null on either path
            (person, post, refs or [])
            for person, post, refs in store.read(
                "MATCH (p:Person)-[h:HOLDS]->(q:Post) RETURN p.id, q.id, h.cite_refs ORDER BY h.id"
            ).rows
        ]
        assert tenures == [
            ("person/p0", "post/q0", ["p1"]),
            ("person/p0", "post/q1", []),
            ("person/p1", "post/q0", ["p2", "p3"]),
            ("person/p2", "post/q1", []),
        ]


@pytest.mark.parametrize("bulk_copy", [True, False])
def test_a_load_runs_before_first_and_replace_starts_afresh(
    tmp_path: Path, bulk_copy: bool
) -> None:
    with EmbeddedStore(tmp_path / "new.lbug") as store:
        store.load(*GRAPH, bulk_copy=bulk_copy)
        gone = [("MATCH (p:Person {id: 'person/p2'}) DETACH DELETE p", {})]
        store.load(MORE, {}, bulk_copy=bulk_copy, before=gone)
        assert names(store) == {"P 0", "P 1", "More"}
        assert store.counts()["relationships"]["HOLDS"] == 2
        store.load(MORE, {}, bulk_copy=bulk_copy, replace=True)
        assert names(store) == {"More"}
        assert sum(store.counts()["nodes"].values()) == 1
        assert sum(store.counts()["relationships"].values()) == 0


def test_a_delete_that_names_no_relationship_table_keeps_the_others_lists(
    tmp_path: Path,
) -> None:
    """DETACH DELETE of a node deletes relationships of a table it does not name; that table's
    other rows keep their lists all the same (EmbeddedStore._rewrite_relationship_lists;
    the rows are those of tests/test_store.py's test of the engine's list bug)."""
    refs = [["", ""], ["", ""], [""], ["p79"], ["p79"], ["p80"], ["p80"], ["p80"], ["p82"]]
    refs += [["p82"], ["p82"], ["", ""], [""], [""], [""]]
    findings = [{"id": f"finding/f{i}", "name": f"F{i}", "kind": "weakness"} for i in range(10)]
    posts = [{"id": f"post/p{i}", "name": f"P{i}"} for i in range(4)]
    rows = [
        {
            "id": f"c{i:02d}",
            "from_id": f"finding/f{min(i, 9)}",
            "to_id": f"post/p{i % 4}",
            "stance": "criticised",
            "cite_sources": ["source/s"] * len(ref),
            "cite_quotes": [f"quote {i}"] * len(ref),
            "cite_refs": ref,
        }
        for i, ref in enumerate(refs)
    ]
    query = "MATCH ()-[c:CONCERNS]->() RETURN c.id, c.cite_refs, c.cite_quotes ORDER BY c.id"
    with EmbeddedStore(tmp_path / "new.lbug") as store:
        store.load({"Finding": findings, "Post": posts}, {("CONCERNS", "Finding", "Post"): rows})
        before = store.read(query).rows
        store.write("MATCH (f:Finding {id: 'finding/f6'}) DETACH DELETE f")
        assert store.read(query).rows == [row for row in before if row[0] != "c06"]


def test_a_load_is_one_engine_transaction(tmp_path: Path) -> None:
    """The MERGE batches of a load run in one BEGIN ... COMMIT, not a COMMIT per batch.

    The scratch copy keeps a failed load from reaching the file either way (test_atomic.py),
    so this is the only place a COMMIT per batch would show: the statements the engine got."""
    with EmbeddedStore(tmp_path / "new.lbug") as store:
        store.load(MORE, {})  # the tables exist: the next load runs no DDL of its own
        ran: list[str] = []
        execute = store._execute

        def recording(text: str, params: dict | None = None) -> object:
            ran.append(text)
            return execute(text, params)

        store._execute = recording  # type: ignore[method-assign]
        store.load(PEOPLE, {}, batch_size=1)
        merges = [t for t in ran if " MERGE " in t]
        assert len(merges) == 3  # one per batch of one
        assert ran == ["BEGIN TRANSACTION", *merges, "COMMIT", "CHECKPOINT"]
        assert names(store) == {"P 0", "P 1", "P 2", "More"}


def test_a_log_that_cannot_be_replayed_is_one_line_and_changes_nothing(db: Path) -> None:
    """Opening to write folds the file's own log in first (`_fold_log`); a log the engine
    cannot replay is refused with the engine's reason, and the file stays as it was."""
    before = fingerprint(db)
    wal = db.with_name(db.name + ".wal")
    wal.write_bytes(b"not a log" * 100)
    with pytest.raises(StoreError) as refused:
        EmbeddedStore(db)
    assert str(refused.value).startswith(f"{db}: cannot open the database: ")
    assert "WAL file is corrupted" in str(refused.value)
    wal.unlink()
    assert fingerprint(db) == before


def test_reloading_an_edited_big_dataset_gives_the_store_a_fresh_load_of_it(
    tmp_path: Path,
) -> None:
    """A reload over a store that holds the dataset (filled tables: stored relationships
    replaced by id, then copied) ends as a fresh load of the edited files: a changed quote,
    a changed date and every list column, at the size the bulk path takes."""
    from oversight.loaders.dataset import graph_rows, read_dataset
    from oversight.loaders.synth import write_dataset

    data = tmp_path / "england"
    write_dataset(data, 8)
    reloaded = tmp_path / "reloaded.lbug"
    with EmbeddedStore(reloaded) as store:
        nodes, rels = graph_rows(read_dataset([data]))
        assert bulk.worthwhile(nodes, rels)
        store.load(nodes, rels)
    edited = 0
    for path in sorted(data.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        changed = text.replace('quote: "', 'quote: "Edited: ', 3)
        edited += changed != text
        path.write_text(changed, encoding="utf-8")
    assert edited
    with EmbeddedStore(reloaded) as store:
        store.load(*graph_rows(read_dataset([data])))
    fresh = tmp_path / "fresh.lbug"
    with EmbeddedStore(fresh) as store:
        store.load(*graph_rows(read_dataset([data])))
    assert fingerprint(reloaded) == fingerprint(fresh)
