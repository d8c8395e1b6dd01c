"""The command line as a user meets it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from oversight.graph.schema import schema


def run(*args: str, db: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "oversight", "--db", str(db), *args], capture_output=True, text=True
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


# Libraries a command may need and `oversight --help` must not import (benchmarks/run.py
# times it against `python -c pass`).
HEAVY = (
    *("neo4j", "pyvis", "networkx", "real_ladybug", "pydantic", "followthemoney", "rich"),
    *("yaml", "jinja2", "pyarrow", "starlette", "uvicorn", "rapidfuzz", "bs4", "pdfminer"),
)


def test_help_imports_no_heavy_library() -> None:
    """click, and of ours only cli.py (the group and the table of commands) and context.py
    (the root options): every other command module, and what it uses, loads when it runs."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "oversight", "--help"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0
    modules = {line.split("|")[-1].strip() for line in proc.stderr.splitlines()[1:]}
    imported = {name.split(".")[0] for name in modules}
    assert "click" in imported
    assert not imported & set(HEAVY)
    assert "importlib.metadata" not in modules
    ours = {name for name in modules if name.split(".")[0] == "oversight"}
    assert ours == {"oversight", "oversight.cli", "oversight.context"}


def test_version_is_the_package_version() -> None:
    """From oversight.__version__, not from installed metadata (which a stale install of an
    older distribution named `oversight` answers wrongly)."""
    from oversight import __version__

    proc = subprocess.run(
        [sys.executable, "-m", "oversight", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"oversight, version {__version__}\n"


def test_load_then_stats_counts_every_label(loaded_db: Path) -> None:
    counts = json.loads(run("stats", "--format", "json", db=loaded_db).stdout)
    assert set(counts["nodes"]) == set(schema().label_names)
    assert counts["nodes"]["Inspection"] == 5
    assert counts["nodes"]["Source"] == 5
    assert counts["relationships"]["HAS_JUDGEMENT"] == 8


def test_load_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "twice.lbug"
    run("load", db=db)
    first = run("stats", "--format", "json", db=db).stdout
    run("load", db=db)
    assert run("stats", "--format", "json", db=db).stdout == first


def test_schema_prints_every_label_and_type() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "oversight", "schema"], capture_output=True, text=True
    )
    for name in (*schema().label_names, *schema().reltype_names):
        assert f"| {name} |" in proc.stdout


def test_cypher_is_read_only_unless_write(loaded_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.lbug"
    run("load", db=db)
    proc = run("cypher", "MATCH (n:Person) DETACH DELETE n", db=db, check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "error: statement refused: DETACH at line 1, column 18 changes the graph; "
        "reads are read-only (use --write to change the graph)"
    )
    people = run("cypher", "MATCH (n:Person) RETURN count(n) AS n", "--format", "json", db=db)
    assert json.loads(people.stdout)[0]["n"] == 12
    run("cypher", "MATCH (n:Person {id: 'person/tom-anthony'}) DETACH DELETE n", "--write", db=db)
    people = run("cypher", "MATCH (n:Person) RETURN count(n) AS n", "--format", "json", db=db)
    assert json.loads(people.stdout)[0]["n"] == 11


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_cypher_formats_with_parameters(loaded_db: Path, fmt: str) -> None:
    proc = run(
        "cypher",
        "MATCH (p:Person) WHERE p.id = $who RETURN p.name AS name",
        "--param",
        "who=person/debbie-jones",
        "--format",
        fmt,
        db=loaded_db,
    )
    assert "Debbie Jones" in proc.stdout


def test_cypher_syntax_error_is_one_line(loaded_db: Path) -> None:
    proc = run("cypher", "MATCH (n RETURN n", db=loaded_db, check=False)
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr


def test_bad_param_is_a_usage_error(loaded_db: Path) -> None:
    proc = run("cypher", "RETURN 1", "--param", "no-equals", db=loaded_db, check=False)
    assert proc.returncode == 2
    assert "--param" in proc.stderr


def test_reading_a_missing_database_says_to_load(tmp_path: Path) -> None:
    proc = run("stats", db=tmp_path / "none.lbug", check=False)
    assert proc.returncode == 1
    assert "run `oversight load` first" in proc.stderr


def test_html_view_is_self_contained(loaded_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    run(
        "cypher",
        "MATCH (p:Person {id: 'person/debbie-jones'})-[h:HOLDS]->(o:Post) RETURN p, h, o",
        "--format",
        "html",
        "-o",
        str(out),
        db=loaded_db,
    )
    page = out.read_text(encoding="utf-8")
    assert "vis.Network" in page
    assert "Debbie Jones" in page
    assert not re.search(r"<(script|link|img|iframe)[^>]*\b(src|href)\s*=", page)


def test_help_lists_lazy_commands_with_their_own_help() -> None:
    """`oversight --help` does not import the command modules; its table must not drift."""
    import importlib

    from oversight.cli import LAZY_COMMANDS

    for name, (target, first_line) in LAZY_COMMANDS.items():
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert command.name == name
        assert (command.help or "").strip().splitlines()[0] == first_line
