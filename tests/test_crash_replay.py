"""A file that LadybugDB must replay after a crash still opens read-only (graph/embedded.py
`_open`): a read-only open cannot replay shadow pages, so the store lets LadybugDB recover the
file read-write once, then opens it read-only.

The crash is real: a process writes to the file directly with real_ladybug (not through our
store, whose writes go through a scratch copy), commits, and is killed with SIGKILL in the
middle of its checkpoint, once the checkpoint record is in the log: the moment when the file
needs the shadow pages replayed. The kill follows the file's observed progress (the log grows
past its committed size), not the clock.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import real_ladybug as lb
from fingerprint import fingerprint
from oversight.graph.embedded import EmbeddedStore

WRITER = """
import sys
import real_ladybug as lb

db = lb.Database(sys.argv[1], auto_checkpoint=False)
conn = lb.Connection(db)
conn.execute("MATCH (n:Finding) SET n.description = 'rewritten by a direct write'")
print("committed", flush=True)
sys.stdin.readline()  # the parent has seen the log's size: go on
conn.execute("CHECKPOINT")
print("checkpointed", flush=True)
"""
ATTEMPTS = 20


def write(db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def wal(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def kill_in_checkpoint(db: Path) -> None:
    """SIGKILL the writer once its checkpoint record is logged (or let it end, if it is quicker
    than we can see)."""
    proc = write(db)
    assert proc.stdin is not None and proc.stdout is not None
    assert proc.stdout.readline() == "committed\n"
    committed = wal(db).stat().st_size
    proc.stdin.write("go\n")
    proc.stdin.flush()
    while proc.poll() is None:
        try:
            if wal(db).stat().st_size > committed:
                proc.send_signal(signal.SIGKILL)
                break
        except FileNotFoundError:  # the checkpoint has cleared the log already
            break
    proc.wait(timeout=60)


def needs_replay(db: Path) -> bool:
    try:
        lb.Database(str(db), read_only=True).close()
    except RuntimeError as error:
        assert "replay" in str(error), error
        return True
    return False


def test_a_file_killed_in_its_checkpoint_opens_read_only(loaded_db: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference.lbug"
    shutil.copy(loaded_db, reference)
    finished = write(reference)
    assert finished.communicate("go\n", timeout=120)[0] == "committed\ncheckpointed\n"
    after = fingerprint(reference)
    assert after != fingerprint(loaded_db)
    for attempt in range(ATTEMPTS):
        db = tmp_path / f"crashed-{attempt}.lbug"
        shutil.copy(loaded_db, db)
        kill_in_checkpoint(db)
        if needs_replay(db):
            break
    else:
        pytest.fail(f"no kill out of {ATTEMPTS} left a file needing replay")
    with EmbeddedStore(db, read_only=True) as store:
        rows = store.read("MATCH (f:Finding) RETURN DISTINCT f.description AS d").rows
        assert rows == [("rewritten by a direct write",)]
        assert fingerprint(store) == after  # the committed write, whole
    assert not needs_replay(db)  # recovered for good
