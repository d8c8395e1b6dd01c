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
from fingerprint import fingerprint
from oversight.graph import embedded
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
        with pytest.raises(StoreError):
            store.load(bad, {}, batch_size=1)
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
        with pytest.raises(StoreError):
            store.write(
                "MATCH (p:Person) SET p.name = 'changed' "
                "WITH p MATCH (q:Person {id: p.id}) SET q.name = 1 / 0 RETURN q.id"
            )
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
