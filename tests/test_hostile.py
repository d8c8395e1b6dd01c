"""Hostile input: files, documents, parameters and outputs from someone else.

Real processes throughout (`python -m oversight` on a copy of the bundled database): a FIFO,
/dev/zero, a sparse 3 GB file and a PDF bomb are refused within a few seconds and without
the memory they ask for (the child's peak RSS, from wait4); documents keep out of curated
sources' lanes; CSV cannot run as a spreadsheet formula; JSON output stays JSON; a Neo4j
URI's secrets are never printed; a write to a full device or a closed pipe is one line.
Rows of the same shape are in tests/test_error_matrix.py too.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fake_bolt import FakeBolt
from fingerprint import fingerprint
from hostile_files import bomb_pdf, fifo, link, sparse
from oversight.graph.embedded import EmbeddedStore
from oversight.loaders.dataset import BUNDLED
from oversight.queries.library import get_query
from oversight.queries.runner import ParameterError, bind

TEXTS = BUNDLED / "texts"
LOVE_WAPPING = TEXTS / "003_6ee6572ffb0be6c2.txt"
MB = 2**20


# Runs a command and reports its peak RSS. The command must be a grandchild: Linux keeps a
# process's peak across exec, so a child of this (large) test process would report at least
# the test's own size; a child of this small launcher reports only its own.
LAUNCHER = """
import os, resource, subprocess, sys
report, limit, *command = sys.argv[1:]

def cap():
    if int(limit):
        resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))

child = subprocess.Popen(command, preexec_fn=cap)
_, status, usage = os.wait4(child.pid, 0)
child.returncode = os.waitstatus_to_exitcode(status)
with open(report, "w") as out:
    out.write(str(usage.ru_maxrss * 1024))
sys.exit(child.returncode if child.returncode >= 0 else 128 - child.returncode)
"""


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int  # bytes: the command's own peak resident memory

    def one_error_line(self) -> str:
        assert "Traceback" not in self.stderr, self.stderr
        lines = self.stderr.splitlines()
        assert len(lines) == 1, self.stderr
        assert lines[0].startswith("error: "), lines[0]
        return lines[0]


def run(
    db: Path | None,
    *args: str,
    timeout: float = 30.0,
    stdout: str | None = None,
    address_space: int = 0,
    **env: str,
) -> Run:
    """`oversight [--db DB] ARGS`, killed past `timeout`: its exit, output, time and peak RSS.

    `address_space`: a cap on the command's memory (RLIMIT_AS), for commands that do not open
    the store (LadybugDB maps 8 TB of address space up front) and may try to read for ever.
    """
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "OVERSIGHT_"))}
    command = [sys.executable, "-m", "oversight", *(["--db", str(db)] if db else []), *args]
    with tempfile.TemporaryDirectory() as scratch:
        report, out, err = (Path(scratch) / name for name in ("rss", "out", "err"))
        with open(stdout or out, "w") as out_file, err.open("w") as err_file:
            started = time.monotonic()
            launcher = subprocess.Popen(
                [sys.executable, "-c", LAUNCHER, str(report), str(address_space), *command],
                stdout=out_file,
                stderr=err_file,
                stdin=subprocess.DEVNULL,
                env=base | {"COLUMNS": "200"} | env,  # rich: no wrapped titles
                start_new_session=True,
            )
            try:
                code = launcher.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(launcher.pid, signal.SIGKILL)
                launcher.wait()
                pytest.fail(f"{' '.join(args)[:80]}: still running after {timeout} s")
            seconds = time.monotonic() - started
        return Run(
            code,
            "" if stdout else out.read_text(),
            err.read_text(),
            seconds,
            int(report.read_text()),
        )


@pytest.fixture
def db(loaded_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "db.lbug"
    shutil.copy(loaded_db, path)
    return path


@pytest.fixture(scope="module")
def baseline_rss(loaded_db: Path) -> int:
    """The peak RSS of a command that reads the store: what every refusal is measured against."""
    return run(loaded_db, "stats").peak_rss


# --- resource limits: refused at once, in bounded memory ------------------------------------


def _yaml_fifo(tmp: Path) -> list[str]:
    (tmp / "data").mkdir()
    fifo(tmp / "data" / "records.yaml")
    return ["load", str(tmp / "data")]


def _yaml_zero(tmp: Path) -> list[str]:
    return ["load", str(link(tmp / "records.yaml", "/dev/zero"))]


def _document_fifo(tmp: Path) -> list[str]:
    (tmp / "docs").mkdir()
    fifo(tmp / "docs" / "letter.txt")
    return ["load-documents", str(tmp / "docs")]


def _document_zero(tmp: Path) -> list[str]:
    return ["load-documents", str(link(tmp / "letter.txt", "/dev/zero"))]


def _document_huge(tmp: Path) -> list[str]:
    return ["load-documents", str(sparse(tmp / "letter.txt", 3 * 2**30))]


def _document_bomb(tmp: Path) -> list[str]:
    return ["load-documents", str(bomb_pdf(tmp / "letter.pdf", 1024))]


def _manifest_zero(tmp: Path) -> list[str]:
    (tmp / "docs").mkdir()
    (tmp / "docs" / "letter.txt").write_text("Debbie Jones met Ofsted.\n")
    link(tmp / "docs" / "letter.txt.yaml", "/dev/zero")
    return ["load-documents", str(tmp / "docs")]


LIMITS = {
    "yaml-fifo": (_yaml_fifo, "records.yaml: a named pipe (FIFO), not a regular file", 0),
    "yaml-dev-zero": (_yaml_zero, "records.yaml: a character device, not a regular file", 0),
    "document-fifo": (_document_fifo, "letter.txt: a named pipe (FIFO), not a regular file", 0),
    "document-dev-zero": (_document_zero, "letter.txt: a character device, not a regular", 0),
    "document-3gb": (_document_huge, "letter.txt: 3.0 GiB is more than a document may hold", 0),
    "manifest-dev-zero": (_manifest_zero, "letter.txt.yaml: leads outside", 0),
    # pdfminer may inflate up to 128 MiB before it is stopped, and copies it once
    "pdf-bomb": (_document_bomb, "letter.pdf: its compressed streams inflate past 128 MiB", 300),
}


@pytest.mark.parametrize("name", list(LIMITS))
def test_limits_refuse_quickly_in_bounded_memory(
    name: str, db: Path, tmp_path: Path, baseline_rss: int
) -> None:
    make, message, allowance_mb = LIMITS[name]
    before = fingerprint(db)
    outcome = run(db, *make(tmp_path), timeout=10)
    assert message in outcome.one_error_line()
    assert outcome.code == 1
    assert outcome.seconds < 5
    assert outcome.peak_rss < baseline_rss + (64 + allowance_mb) * MB, outcome.peak_rss // MB
    assert fingerprint(db) == before


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_saved_query_that_is_not_a_regular_file(kind: str, loaded_db: Path, tmp_path: Path):
    folder = tmp_path / "queries"
    folder.mkdir()
    if kind == "fifo":
        fifo(folder / "leak.cypher")
    else:
        link(folder / "leak.cypher", "/dev/zero")
    outcome = run(
        loaded_db, "--queries-dir", str(folder), "query", "list", timeout=2, address_space=2**30
    )
    assert "leak.cypher" in outcome.one_error_line()
    assert outcome.code == 1


def test_a_3000_deep_default_in_a_saved_query_header(loaded_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    deep = "[" * 3000 + "]" * 3000
    (folder / "deep.cypher").write_text(
        f"// name: deep\n// title: T\n// param x: list of string, default {deep}\nRETURN $x\n"
    )
    outcome = run(loaded_db, "--queries-dir", str(folder), "query", "list", address_space=2**30)
    assert "deep.cypher:3: param x: default" in outcome.one_error_line()
    assert outcome.code == 1


# --- parameters -----------------------------------------------------------------------------


def test_parameters_within_bounds(loaded_db: Path) -> None:
    """A 64-bit edge value and a 32-deep list pass; one past either is refused by name."""
    edge = run(
        loaded_db, "cypher", "RETURN $x AS x", "-p", "x=-9223372036854775808", "--format", "json"
    )
    assert json.loads(edge.stdout) == [{"x": -(2**63)}]
    deep = "[" * 32 + "1" + "]" * 32
    assert run(loaded_db, "cypher", "RETURN $x AS x", "-p", f"x={deep}").code == 0
    in_list = run(loaded_db, "cypher", "RETURN $x", "-p", "x=[1, 99999999999999999999]")
    assert "'x': 99999999999999999999 is past the 64-bit" in in_list.one_error_line()
    assert in_list.code == 2
    nan = run(loaded_db, "cypher", "RETURN $x AS x", "-p", "x=NaN", "--format", "json")
    assert json.loads(nan.stdout) == [{"x": "NaN"}]  # not JSON, so text, as documented


def test_the_python_api_binds_within_bounds_too() -> None:
    gaps = get_query("accountability-gaps")
    with pytest.raises(ParameterError, match="'min_findings': 1180591620717411303424 is past"):
        bind(gaps, {"min_findings": 2**70})
    claims = get_query("secondary-claims")
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(ParameterError, match="'bases': nested more than 32 deep"):
        bind(claims, {"bases": deep})


# --- documents and sources stay in their lane -----------------------------------------------


def _passages(db: Path, source: str) -> int:
    with EmbeddedStore(db, read_only=True) as store:
        query = "MATCH (p:Passage)-[:IN_SOURCE]->(:Source {id: $s}) RETURN count(p)"
        return store.read(query, {"s": source}).rows[0][0]


def test_a_document_attaches_only_by_id_or_content(db: Path, tmp_path: Path) -> None:
    curated = "source/love-wapping-2017"
    folder = tmp_path / "docs"
    folder.mkdir()
    # its id in a sidecar: the curated source
    shutil.copy(LOVE_WAPPING, folder / "blog.txt")
    (folder / "blog.txt.yaml").write_text(f"id: {curated}\n")
    assert run(db, "load-documents", str(folder / "blog.txt")).code == 0
    assert _passages(db, curated) == 42
    # the same bytes under another name, without a manifest: the same source, nothing written
    shutil.copy(LOVE_WAPPING, folder / "copy-of-the-blog.txt")
    same = run(db, "load-documents", str(folder / "copy-of-the-blog.txt"))
    assert "0 new, 0 replaced, 1 unchanged" in same.stdout, same.stderr
    # a file named like the source, other content: refused, the 42 passages stay
    named = folder / "love-wapping-2017.txt"
    named.write_text("Ofsted condemns Tower Hamlets.\n\nDebbie Jones responds.\n")
    before = fingerprint(db)
    refused = run(db, "load-documents", str(named))
    assert "would load as source/love-wapping-2017, which is the curated source" in (
        refused.one_error_line()
    )
    assert fingerprint(db) == before
    # its own id in a sidecar: its own source
    (folder / "love-wapping-2017.txt.yaml").write_text("id: source/my-notes\ntitle: Notes\n")
    own = run(db, "load-documents", str(named))
    assert own.code == 0, own.stderr
    assert _passages(db, "source/my-notes") == 2
    assert _passages(db, curated) == 42


def test_documents_do_not_take_each_others_ids(db: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("Debbie Jones met Ofsted.\n")
    (tmp_path / "notes.txt").write_text("Will Tuckley met Ofsted.\n")
    assert run(db, "load-documents", str(tmp_path / "notes.md")).code == 0
    before = fingerprint(db)
    refused = run(db, "load-documents", str(tmp_path / "notes.txt"))
    assert "which is the source of another document (notes.md)" in refused.one_error_line()
    assert fingerprint(db) == before
    (tmp_path / "notes.md").write_text("Debbie Jones met Ofsted again.\n")  # its new version
    again = run(db, "load-documents", str(tmp_path / "notes.md"))
    assert "0 new, 1 replaced" in again.stdout, again.stderr


def test_a_thousand_nested_html_tags_load(db: Path, tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<div>" * 1000 + "Debbie Jones met Ofsted." + "</div>" * 1000)
    outcome = run(db, "load-documents", str(page))
    assert outcome.code == 0, outcome.stderr
    assert "1 passages with 2 mentions" in outcome.stdout


# --- spreadsheets and JSON ------------------------------------------------------------------

CELLS = "RETURN '=1+2' AS formula, '@SUM(A1)' AS at, '+1' AS plus, '-3' AS text, -3 AS number, "
CELLS += "2.5 AS real, '\\tx' AS tab, 'ok' AS fine"
SAFE = ["'=1+2", "'@SUM(A1)", "'+1", "'-3", "-3", "2.5", "'\tx", "ok"]
RAW = ["=1+2", "@SUM(A1)", "+1", "-3", "-3", "2.5", "\tx", "ok"]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_cells_cannot_run_as_formulas(loaded_db: Path, tmp_path: Path) -> None:
    assert _rows(run(loaded_db, "cypher", CELLS, "--format", "csv").stdout)[1] == SAFE
    assert _rows(run(loaded_db, "cypher", CELLS, "--format", "csv", "--raw").stdout)[1] == RAW
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "cells.cypher").write_text(f"// name: cells\n// title: Cells\n{CELLS}\n")
    saved = run(loaded_db, "--queries-dir", str(folder), "query", "run", "cells", "--format", "csv")
    assert _rows(saved.stdout)[1] == SAFE
    written = tmp_path / "cells.csv"
    run(loaded_db, "cypher", "RETURN '=x' AS `=column`", "-o", str(written))  # table to a file
    assert _rows(written.read_text()) == [["'=column"], ["'=x"]]


def test_neo4j_csv_is_safe_and_still_imports(db: Path, tmp_path: Path) -> None:
    """Text and ids are neutralised alike (so relationships meet their nodes); typed numbers
    stay numbers."""
    create = (
        "MATCH (o:Post {id: 'post/director-of-childrens-services'}) "
        "CREATE (:Person {id: '=evil', name: '=HYPERLINK(\"http://x\")', aliases: ['@a', 'b']})"
        "-[:HOLDS {id: 'h-evil', capacity: 'interim'}]->(o) "
        "CREATE (:Measure {id: 'measure/neg', name: '-3 staff', value: -3.5})"
    )
    assert run(db, "cypher", "--write", create).code == 0
    for raw in (False, True):
        folder = tmp_path / f"raw-{raw}"
        outcome = run(db, "export", "--format", "neo4j-csv", "-o", str(folder), *["--raw"] * raw)
        assert outcome.code == 0, outcome.stderr
        people = {r["id:ID"]: r for r in csv.DictReader((folder / "nodes_Person.csv").open())}
        measure = next(
            r
            for r in csv.DictReader((folder / "nodes_Measure.csv").open())
            if r["id:ID"] == "measure/neg"
        )
        evil = people["=evil" if raw else "'=evil"]
        assert evil["name:string"] == ("" if raw else "'") + '=HYPERLINK("http://x")'
        assert evil["aliases:string[]"] == ("@a|b" if raw else "'@a|b")
        assert measure["value:double"] == "-3.5"
        assert measure["name:string"] == ("" if raw else "'") + "-3 staff"
        ids = {
            row["id:ID"]
            for path in folder.glob("nodes_*.csv")
            for row in csv.DictReader(path.open())
        }
        for path in folder.glob("relationships_*.csv"):
            for row in csv.DictReader(path.open()):
                assert {row[":START_ID"], row[":END_ID"]} <= ids, path.name


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_json_output_never_holds_nan_or_infinity(db: Path, tmp_path: Path) -> None:
    computed = run(db, "cypher", "RETURN 0.0/0.0 AS n, 1.0/0.0 AS i, 2.5 AS x", "--format", "json")
    assert _strict_json(computed.stdout) == [{"n": None, "i": None, "x": 2.5}]
    assert (
        run(
            db,
            "cypher",
            "--write",
            "CREATE (:Measure {id: 'measure/nan', name: 'n', value: 0.0/0.0})",
        ).code
        == 0
    )
    for fmt in ("json", "cytoscape"):
        out = tmp_path / f"graph.{fmt}"
        assert run(db, "export", "--format", fmt, "-o", str(out)).code == 0
        _strict_json(out.read_text())


# --- outputs that cannot be written ---------------------------------------------------------

FULL = [
    ["stats"],
    ["stats", "--format", "json"],
    ["schema"],
    ["cypher", "MATCH (n:Person) RETURN n.name"],
    ["query", "run", "evidence", "--example", "--format", "csv"],
    ["query", "list"],
]


@pytest.mark.parametrize("args", FULL, ids=[" ".join(a[:2]) + f" {i}" for i, a in enumerate(FULL)])
def test_standard_output_on_a_full_device(args: list[str], loaded_db: Path) -> None:
    outcome = run(loaded_db, *args, stdout="/dev/full")
    assert (
        outcome.one_error_line() == "error: standard output: cannot write: No space left on device"
    )
    assert outcome.code == 1


def test_a_closed_pipe_ends_quietly(loaded_db: Path) -> None:
    read, write = os.pipe()
    os.close(read)
    proc = subprocess.run(
        [sys.executable, "-m", "oversight", "--db", str(loaded_db), "cypher",
         "UNWIND range(1, 100000) AS i RETURN i", "--format", "csv"],
        stdout=write, stderr=subprocess.PIPE, text=True, timeout=60,
    )  # fmt: skip
    os.close(write)
    assert proc.stderr == ""
    assert proc.returncode == 141  # as if SIGPIPE ended it, as shells expect of `| head`


# --- a Neo4j URI's secrets ------------------------------------------------------------------


@pytest.fixture
def fake_neo4j() -> Iterator[FakeBolt]:
    with FakeBolt() as server:
        yield server


SECRET = "uri-Secret-77"


def test_uri_secrets_are_never_printed(fake_neo4j: FakeBolt) -> None:
    password = {"NEO4J_PASSWORD": FakeBolt.password}
    uri = f"{fake_neo4j.uri}?password={SECRET}&policy=x"
    for debug in ([], ["--debug"]):
        stats = run(None, *debug, "--neo4j", uri, "stats", **password)
        assert stats.code == 0, stats.stderr
        shown = "".join(stats.stdout.split())  # rich wraps the title to the table's width
        assert f"nodesin{fake_neo4j.uri}?password=***&policy=***" in shown
        assert SECRET not in stats.stdout + stats.stderr
        closed = uri.replace(fake_neo4j.uri.rsplit(":", 1)[1], "1")
        for target in (closed, closed.replace("bolt://", f"bolt://user:{SECRET}@")):
            failed = run(None, *debug, "--neo4j", target, "stats", **password)
            assert failed.code == 1
            assert SECRET not in failed.stdout + failed.stderr
            if not debug:
                assert failed.one_error_line().startswith("error: bolt://127.0.0.1:1?password=***")
    unset = run(None, "--neo4j", f"bolt://u:{SECRET}@127.0.0.1:1?password={SECRET}", "stats")
    assert SECRET not in unset.one_error_line()  # "set NEO4J_PASSWORD ..."
