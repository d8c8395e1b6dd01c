"""A big dataset is read in a child process (loaders/child_read.py), real processes all
through: the same graph as read in one process, the same one-line errors, and nothing left
running or on disk when the load fails, is interrupted or is killed."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fingerprint import fingerprint
from oversight.loaders.child_read import CHILD_MIN_BYTES, PREFIX
from oversight.loaders.dataset import BUNDLED
from oversight.loaders.synth import write_dataset
from tmpfs import mounted_tmpfs

IN_CHILD = {"OVERSIGHT_CHILD_READ_MIN_BYTES": "0"}  # every dataset is read in a child
HERE = {"OVERSIGHT_CHILD_READ_MIN_BYTES": str(10**15)}  # none is
SAID = re.compile(r"read in a child process \((\d+)\)")


def command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "oversight", "--db", str(db), *args]


def load(db: Path, data: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(db, "load", "-v", str(data)),
        capture_output=True,
        text=True,
        env=os.environ | env,
        timeout=600,
    )


def leftovers(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{PREFIX}*"))


@pytest.fixture(scope="module")
def england(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic authorities just over the size read in a child by default."""
    folder = tmp_path_factory.mktemp("child") / "england"
    authorities = 40
    write_dataset(folder, authorities)
    while sum(p.stat().st_size for p in folder.glob("*.yaml")) < CHILD_MIN_BYTES:
        authorities += 5
        shutil.rmtree(folder)
        write_dataset(folder, authorities)
    return folder


def test_a_dataset_of_the_child_size_is_read_in_a_child_and_makes_the_same_graph(
    england: Path, tmp_path: Path
) -> None:
    child = load(tmp_path / "child.lbug", england, {})
    here = load(tmp_path / "here.lbug", england, HERE)
    assert child.returncode == 0 and here.returncode == 0, child.stderr + here.stderr
    assert SAID.search(child.stderr) and not SAID.search(here.stderr)
    assert child.stdout.replace("child.lbug", "here.lbug") == here.stdout
    assert fingerprint(tmp_path / "child.lbug") == fingerprint(tmp_path / "here.lbug")
    assert leftovers(tmp_path) == []


def test_the_child_is_gone_before_the_store_is_written(england: Path, tmp_path: Path) -> None:
    """Its records never share memory with the write: the process has ended when `writing`
    is said (the parent waits for it)."""
    proc = subprocess.Popen(
        command(tmp_path / "store.lbug", "load", "-v", str(england)),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    pid = None
    for line in proc.stderr:
        if found := SAID.search(line):
            pid = int(found.group(1))
        if line.startswith("writing to"):
            assert pid is not None and not Path(f"/proc/{pid}").exists()
            break
    else:
        pytest.fail("no `writing to` line")
    assert proc.wait(timeout=600) == 0


def test_the_child_runs_no_garbage_collection(england: Path, tmp_path: Path) -> None:
    """The child exits when its rows are written: a collection there would only scan what
    it gives back (about 0.5 s at N=153, once the read's pause ends). A callback inherited
    through the fork hears every collection; none may be the child's."""
    import gc

    from oversight.loaders.child_read import read_in_child

    heard = tmp_path / "collections"
    parent = os.getpid()

    def listen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and os.getpid() != parent:
            with heard.open("a") as out:
                out.write(f"{os.getpid()} generation {info['generation']}\n")

    gc.callbacks.append(listen)
    try:
        with read_in_child([england], tmp_path) as rows:
            assert rows.child is not None and rows.nodes
    finally:
        gc.callbacks.remove(listen)
    assert not heard.exists(), heard.read_text()


def test_loading_the_same_rows_again_from_a_child_changes_nothing(tmp_path: Path) -> None:
    """The second load upserts through MERGE batches, reading the child's Arrow rows as dicts."""
    here = tmp_path / "here.lbug"
    assert load(here, BUNDLED, HERE).returncode == 0
    twice = tmp_path / "twice.lbug"
    for _ in range(2):
        run = load(twice, BUNDLED, IN_CHILD)
        assert run.returncode == 0 and SAID.search(run.stderr), run.stderr
    assert fingerprint(twice) == fingerprint(here)


def test_an_error_found_in_the_child_is_the_same_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(BUNDLED, data)
    target = sorted(data.glob("*.yaml"))[-1]
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("- id: ")) + 1
    lines.insert(number, "  colour: mauve\n")  # a key no label has
    target.write_text("".join(lines), encoding="utf-8")
    db = tmp_path / "store.lbug"
    child, here = load(db, data, IN_CHILD), load(db, data, HERE)
    assert child.returncode == here.returncode == 1
    assert child.stderr == here.stderr
    assert re.fullmatch(rf"error: {re.escape(str(target))}:{number + 1}: .*\n", child.stderr)
    assert not db.exists() and leftovers(tmp_path) == []


def test_a_full_disk_while_the_child_writes_its_rows_is_one_line(tmp_path: Path) -> None:
    with mounted_tmpfs(tmp_path / "disk", "64k") as mount:
        run = load(mount / "store.lbug", BUNDLED, IN_CHILD)
        assert run.returncode == 1, run.stderr
        said = run.stderr.strip().splitlines()
        assert len(said) == 1 and "Traceback" not in run.stderr  # -v: the child said nothing
        assert re.fullmatch(
            r"error: .*: cannot write the rows: No space left on device; nothing saved", said[0]
        )
        assert not (mount / "store.lbug").exists() and leftovers(mount) == []


def _reading_child(proc: subprocess.Popen[str], folder: Path) -> int:
    """The pid of the load's reading child, once it is reading."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the load ended before its child was seen"
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        if children and leftovers(folder):
            return int(children[0])
        time.sleep(0.001)
    pytest.fail("no reading child within 60 s")


def _gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        stat = Path(f"/proc/{pid}/stat")
        if not stat.exists() or stat.read_text().split(") ")[1].startswith("Z"):
            return True
        time.sleep(0.02)
    return False


def test_a_killed_load_takes_its_child_with_it_and_the_next_load_clears_its_files(
    england: Path, tmp_path: Path
) -> None:
    db = tmp_path / "store.lbug"
    proc = subprocess.Popen(command(db, "load", str(england)), stderr=subprocess.DEVNULL)
    child = _reading_child(proc, tmp_path)
    proc.kill()
    proc.wait(timeout=60)
    assert _gone(child, 0.5), "the reading child lived on after its load was killed"
    assert len(leftovers(tmp_path)) == 1  # a killed process cleans nothing up
    assert not db.exists()
    run = load(db, england, {})
    assert run.returncode == 0, run.stderr
    assert leftovers(tmp_path) == []


def test_ctrl_c_while_the_child_reads_stops_it_and_writes_nothing(
    england: Path, tmp_path: Path
) -> None:
    db = tmp_path / "store.lbug"
    proc = subprocess.Popen(
        command(db, "load", str(england)),
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    child = _reading_child(proc, tmp_path)
    # From its first moment the child has Ctrl-C blocked (it is born so) or ignored: one
    # that came before it ignored it once printed multiprocessing's start-up traceback.
    status = Path(f"/proc/{child}/status").read_text()
    masks = dict(line.split(":\t") for line in status.splitlines() if line.startswith("Sig"))
    assert (int(masks["SigBlk"], 16) | int(masks["SigIgn"], 16)) & 1 << (signal.SIGINT - 1)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: to the load and its child
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in stderr, stderr
    assert stderr.strip().splitlines()[-1].startswith("error: interrupted")
    assert _gone(child) and leftovers(tmp_path) == [] and not db.exists()
