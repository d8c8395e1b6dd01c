"""A second writer, and Cypher inside a parameter (SIGKILL, Ctrl-C, full disk: test_atomic.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fingerprint import fingerprint
from oversight.graph.embedded import EmbeddedStore


def test_second_writer_is_refused(loaded_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "busy.lbug"
    shutil.copy(loaded_db, db)
    before = fingerprint(db)
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
    assert fingerprint(db) == before


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
    before = fingerprint(db)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "oversight",
            "--db",
            str(db),
            "query",
            "run",
            "measure-over-time",
            "--param",
            f"indicator={text}",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert fingerprint(db) == before
