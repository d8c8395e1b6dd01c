"""A write to the embedded store is all or nothing, without trusting the engine's recovery.

Every test runs the real command in a real process on a real LadybugDB file and then compares
the store's full content (tests/fingerprint.py) with the state before and the state after. The
loads are synthetic England data for 20 authorities (16,717 elements): the bulk COPY path that
users' big loads take, both plain (onto the bundled dataset) and `--replace`.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fingerprint import fingerprint
from oversight.graph.embedded import SCRATCH, EmbeddedStore
from oversight.graph.store import StoreError
from oversight.loaders.synth import write_dataset
from tmpfs import mounted_tmpfs

AUTHORITIES = 20


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth") / "england"
    write_dataset(folder, AUTHORITIES)
    return folder


def oversight(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "oversight", "--db", str(db), *args]


def start_load(db: Path, synth: Path, replace: bool) -> subprocess.Popen[str]:
    args = ["load", str(synth)] + (["--replace"] if replace else [])
    return subprocess.Popen(
        oversight(db, *args),
        stdout=subprocess.DEVNULL,
        stderr=stderr_file(db).open("w"),  # a file, not a pipe: a full pipe would stall it
        text=True,
    )


def stderr_file(db: Path) -> Path:
    return db.with_name(db.name + ".stderr")


def strays(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f"{db.name}{SCRATCH}*"))


def scratch_log(db: Path) -> Path | None:
    """The write-ahead log of the scratch copy a running write works on, if there is one."""
    return next(iter(db.parent.glob(f"{db.name}{SCRATCH}*.wal")), None)


def scratch_bytes(db: Path) -> int:
    """How far a write has got: the bytes of its scratch copy, log and shadow pages."""
    total = 0
    for path in strays(db):
        with contextlib.suppress(FileNotFoundError):
            total += path.stat().st_size
    return total


def largest_scratch(proc: subprocess.Popen[str], db: Path) -> int:
    """Watch a write to its end; the most bytes its scratch files held."""
    largest = 0
    while proc.poll() is None:
        largest = max(largest, scratch_bytes(db))
        time.sleep(0.002)
    return largest


def reach(proc: subprocess.Popen[str], db: Path, point: float, largest: int) -> bool:
    """Wait for a write to reach `point` of its progress, watched, not timed: a fraction of
    the bytes its scratch files come to hold, or (1.0) the moment, near the end, when its log
    has been checkpointed away: between the commit and the rename. False if it ended first."""
    logged = False
    while proc.poll() is None:
        size = scratch_bytes(db)
        if point < 1 and size >= point * largest:
            return True
        if point >= 1 and size >= 0.9 * largest:
            if scratch_log(db) is not None:
                logged = True
            elif logged:
                return True
        time.sleep(0.002)
    return False


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "replace"])
def reference(
    request: pytest.FixtureRequest,
    loaded_db: Path,
    synth: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[bool, str, str, int]]:
    """(replace, fingerprint before, fingerprint after, most bytes the scratch files held)."""
    replace = request.param
    db = tmp_path_factory.mktemp("reference") / "after.lbug"
    shutil.copy(loaded_db, db)
    proc = start_load(db, synth, replace)
    largest = largest_scratch(proc, db)
    assert proc.wait(timeout=300) == 0
    assert largest > db.stat().st_size // 2  # the write really went through a scratch copy
    after = fingerprint(db)
    before = fingerprint(loaded_db)
    assert before != after
    yield replace, before, after, largest


# Where the kills land: the scratch files at these fractions of their final size (0.0: the
# copy has begun), then the window between the checkpoint and the rename (1.0).
KILL_POINTS = (0.0, 0.2, 0.4, 0.6, 0.8, 0.95, 1.0)


def test_sigkill_anywhere_in_a_bulk_write_leaves_before_or_after(
    reference: tuple[bool, str, str, int], loaded_db: Path, synth: Path, tmp_path: Path
) -> None:
    replace, before, after, largest = reference
    landed = 0
    for number, point in enumerate(KILL_POINTS):
        db = tmp_path / f"kill-{number}.lbug"
        shutil.copy(loaded_db, db)
        original = db.read_bytes()
        proc = start_load(db, synth, replace)
        landed += reach(proc, db, point, largest)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        state = fingerprint(db)  # opens read-only: it must open
        assert state in (before, after), f"kill at {point}: neither before nor after"
        if state == before:
            assert db.read_bytes() == original, f"kill at {point}: the original file changed"
        with EmbeddedStore(db):  # a read-write open clears what the killed write left
            pass
        assert strays(db) == []
        assert fingerprint(db) == state
    assert landed >= len(KILL_POINTS) - 1  # the kills did land inside the write


def test_ctrl_c_tells_the_truth(
    reference: tuple[bool, str, str, int], loaded_db: Path, synth: Path, tmp_path: Path
) -> None:
    """SIGINT in the middle of the write and between commit and rename: the message says
    what the store holds."""
    replace, before, after, largest = reference
    said = set()
    for number, point in enumerate((0.5, 1.0)):
        db = tmp_path / f"int-{number}.lbug"
        shutil.copy(loaded_db, db)
        proc = start_load(db, synth, replace)
        reach(proc, db, point, largest)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
        stderr = stderr_file(db).read_text()
        assert "Traceback" not in stderr
        state = fingerprint(db)
        assert strays(db) == []
        if proc.returncode == 0:
            assert state == after
            continue
        assert proc.returncode == 130, (proc.returncode, stderr)
        last = stderr.strip().splitlines()[-1]
        if re.fullmatch(r"error: .*: interrupted; nothing was written", last):
            assert state == before
            said.add("nothing")
        elif re.fullmatch(r"error: .*: interrupted; the write had completed and is saved", last):
            assert state == after
            said.add("saved")
        else:
            assert last == "error: interrupted; any unfinished write was rolled back"
            assert state in (before, after)
    assert "nothing" in said


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 60 MB tmpfs: room for the bundled store (25 MB) and its copy, not for a big load."""
    with mounted_tmpfs(tmp_path / "disk", "60m") as mount:
        yield mount


def test_full_disk_is_one_line_and_the_store_keeps_its_content(
    small_disk: Path, loaded_db: Path, synth: Path
) -> None:
    db = small_disk / "store.lbug"
    shutil.copy(loaded_db, db)
    before = fingerprint(db)
    run = subprocess.run(oversight(db, "load", str(synth)), capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        f"error: {db}: not enough free space in {small_disk} for this write: it needs about "
        f"{_mb_in(run.stderr)} (a copy of the store and room to grow), "
        f"{_free_in(run.stderr)} is free; nothing was written"
    ]
    assert fingerprint(db) == before
    assert strays(db) == []


def test_engine_abort_on_a_full_disk_leaves_the_store_as_it_was(
    small_disk: Path, loaded_db: Path, synth: Path
) -> None:
    """Past the space check (turned off here), LadybugDB aborts the process when its log write
    meets a full disk; the original file was never written, so it opens with its content."""
    db = small_disk / "store.lbug"
    shutil.copy(loaded_db, db)
    before = fingerprint(db)
    script = (
        "import sys; from pathlib import Path;"
        "import oversight.graph.embedded as e;"
        "from oversight.loaders.dataset import graph_rows, read_dataset;"
        "e.BYTES_PER_ELEMENT = e.HEADROOM = 0;"
        "s = e.EmbeddedStore(Path(sys.argv[1]));"
        "s.load(*graph_rows(read_dataset([Path(sys.argv[2])])))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(db), str(synth)], capture_output=True, text=True
    )
    assert run.returncode != 0
    assert fingerprint(db) == before
    with EmbeddedStore(db):
        pass
    assert strays(db) == []


def test_a_failing_statement_mid_load_changes_nothing(loaded_db: Path, tmp_path: Path) -> None:
    """The MERGE path: the 2nd of 3 batches fails; the first batch must not stay behind."""
    db = tmp_path / "merge.lbug"
    shutil.copy(loaded_db, db)
    before = fingerprint(db)
    people = [{"id": f"person/x-{i}", "name": f"X {i}"} for i in range(1500)]
    people[1200]["name"] = 12  # a number among strings: the second batch of 1,000 fails
    with EmbeddedStore(db) as store, pytest.raises(StoreError):
        store.load({"Person": people}, {}, batch_size=1000)
    assert fingerprint(db) == before
    assert strays(db) == []


def test_cypher_write_that_fails_changes_nothing(loaded_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "write.lbug"
    shutil.copy(loaded_db, db)
    before = fingerprint(db)
    statement = (
        "MATCH (p:Person) SET p.name = 'changed' "
        "WITH p MATCH (q:Person {id: p.id}) SET q.name = 1 / 0 RETURN q.id"
    )
    run = subprocess.run(oversight(db, "cypher", "--write", statement), capture_output=True)
    assert run.returncode == 1
    assert fingerprint(db) == before


def test_empty_file_is_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.touch()
    run = subprocess.run(oversight(db, "load"), capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.strip() == f"error: {db}: not an oversight database (the file is empty)"
    assert db.read_bytes() == b""


def _mb_in(text: str) -> str:
    return re.search(r"needs about ([\d,]+ MB)", text).group(1)  # type: ignore[union-attr]


def _free_in(text: str) -> str:
    return re.search(r"\), ([\d,]+ MB) is free", text).group(1)  # type: ignore[union-attr]


def test_a_reader_keeps_the_version_it_opened_while_a_writer_replaces_the_file(
    loaded_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "shared.lbug"
    shutil.copy(loaded_db, db)
    before = fingerprint(db)
    with EmbeddedStore(db, read_only=True) as reader:
        run = subprocess.run(
            oversight(db, "cypher", "--write", "CREATE (:Person {id: 'person/new', name: 'N'})"),
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
        assert fingerprint(reader) == before  # its open file is the old version, whole
    assert fingerprint(db) != before
