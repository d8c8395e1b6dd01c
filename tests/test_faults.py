"""Faults during a load: SIGKILL, Ctrl-C and a second writer leave the store before or after."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from oversight.graph.embedded import EmbeddedStore
from oversight.loaders.dataset import BUNDLED

EXTRA = 3000  # people added by the interrupted load: enough for a write phase of a second or so


@pytest.fixture(scope="module")
def extra_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("extra") / "extra.yaml"
    path.write_text(
        "".join(
            f"- id: person/extra-{i:05d}\n  name: Extra {i}\n"
            '  cite: [{source: source/love-wapping-2017, quote: "Ofsted"}]\n'
            for i in range(EXTRA)
        ),
        encoding="utf-8",
    )
    return path


def totals(db: Path) -> tuple[int, int]:
    with EmbeddedStore(db, read_only=True) as store:
        counts = store.counts()
    return sum(counts["nodes"].values()), sum(counts["relationships"].values())


def start_load(db: Path, extra: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "oversight",
            "--db",
            str(db),
            "load",
            "-v",
            str(BUNDLED),
            str(extra),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(proc: subprocess.Popen[str], prefix: str) -> float:
    """Block until the loader prints a line starting with `prefix` (see `load -v`)."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith(prefix):
            return time.monotonic()
    pytest.fail(f"the loader never said '{prefix}' (exit {proc.wait()})")


def test_sigkill_leaves_before_or_after(loaded_db: Path, extra_file: Path, tmp_path: Path) -> None:
    before = totals(loaded_db)
    after_db = tmp_path / "after.lbug"
    shutil.copy(loaded_db, after_db)
    proc = start_load(after_db, extra_file)
    started = wait_for(proc, "writing to ")
    write_time = wait_for(proc, "committed") - started
    assert proc.wait(timeout=300) == 0
    after = totals(after_db)
    assert after == (before[0] + EXTRA, before[1] + EXTRA)

    rng = random.Random(20171)
    seen = {"before": 0, "after": 0}
    for attempt in range(20):
        db = tmp_path / f"kill-{attempt}.lbug"
        shutil.copy(loaded_db, db)
        proc = start_load(db, extra_file)
        wait_for(proc, "writing to ")
        time.sleep(rng.uniform(0, write_time))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        try:
            state = totals(db)
        except Exception as error:
            pytest.fail(f"attempt {attempt}: the store does not open after SIGKILL: {error}")
        assert state in (before, after), (
            f"attempt {attempt}: {state} is neither {before} nor {after}"
        )
        seen["before" if state == before else "after"] += 1
    assert seen["before"] >= 5, seen  # kills did land inside the transaction


def test_ctrl_c_during_a_load_rolls_back(loaded_db: Path, extra_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "interrupted.lbug"
    shutil.copy(loaded_db, db)
    before = totals(db)
    proc = start_load(db, extra_file)
    wait_for(proc, "writing to ")
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr.strip().splitlines()[-1] == (
        "error: interrupted; any unfinished write was rolled back"
    )
    assert "Traceback" not in stderr
    assert totals(db) == before


def test_second_writer_is_refused(loaded_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "busy.lbug"
    shutil.copy(loaded_db, db)
    before = totals(db)
    with EmbeddedStore(db):
        proc = subprocess.run(
            [sys.executable, "-m", "oversight", "--db", str(db), "load"],
            capture_output=True,
            text=True,
        )
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        f"error: {db}: the database is open in another oversight or LadybugDB process; "
        "close that process and try again"
    )
    assert totals(db) == before


@pytest.mark.parametrize(
    "text",
    [
        "x'}) DETACH DELETE n //",
        "person/debbie-jones' OR 1=1 //",
        "MATCH (n) DETACH DELETE n",
        "$entity",
    ],
)
def test_cypher_in_a_parameter_is_a_value(loaded_db: Path, tmp_path: Path, text: str) -> None:
    db = tmp_path / "param.lbug"
    shutil.copy(loaded_db, db)
    before = totals(db)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "oversight",
            "--db",
            str(db),
            "query",
            "run",
            "evidence",
            "--param",
            f"entity={text}",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert totals(db) == before
