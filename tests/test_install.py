"""The wheel is the product: built, installed into a fresh venv outside the checkout, and used
from another folder as `pip install` would give it to a user who never clones the repository.

Beside it the same venv holds PyPI's `queries` (a PostgreSQL client): had we shipped a top-level
`queries` package, one would replace the other.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from oversight.loaders.dataset import BUNDLED, read_dataset

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("neo4j", "pyvis", "networkx", "real_ladybug", "pydantic")


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env, "PYTHONPATH": ""},
    )
    assert run.returncode == 0, f"{args}\n{run.stdout}\n{run.stderr}"
    return run


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built as `make dist` builds it: the sdist, the wheel from the sdist, twine check."""
    out = tmp_path_factory.mktemp("dist")
    built = _run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], ROOT)
    # A folder Python can import but setuptools is not told of would be left out one day.
    assert "absent from the `packages` configuration" not in built.stdout + built.stderr
    _run([sys.executable, "-m", "twine", "check", "--strict", *map(str, out.iterdir())], ROOT)
    (built,) = out.glob("oversight_graph-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A fresh venv with our wheel and PyPI's `queries` (its psycopg2 from the binary wheel)."""
    home = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", str(home)], home)
    pip = [str(home / "bin" / "python"), "-m", "pip", "install", "-q"]
    _run([*pip, str(wheel), "psycopg2-binary"], home)
    _run([*pip, "--no-deps", "queries"], home)
    return home


def test_wheel_has_one_top_level_package_and_the_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"oversight"}
    for needed in (
        "oversight/data/tower_hamlets/entities.yaml",
        "oversight/data/tower_hamlets/texts/corpus.yaml",
        "oversight/data/tower_hamlets/texts/004_d6786859c0070c03.txt",
        "oversight/queries/accountable-for-finding.cypher",
        "oversight/queries/neo4j/shortest-connection.cypher",
        "oversight/queries/ladybug/shortest-connection.cypher",
        "oversight/visualise/templates/view.html",
    ):
        assert needed in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_installed_wheel_works_from_another_folder(venv: Path, tmp_path: Path) -> None:
    oversight = str(venv / "bin" / "oversight")
    db = ["--db", str(tmp_path / "store.lbug")]
    loaded = _run([oversight, *db, "load"], tmp_path)
    nodes = len(read_dataset([BUNDLED]).nodes)  # the checkout's count, loaded from the wheel
    assert f"loaded {nodes} nodes" in loaded.stdout + loaded.stderr
    rows = _run(
        [
            oversight,
            *db,
            "query",
            "run",
            "accountable-for-finding",
            "--example",
            "--format",
            "json",
        ],
        tmp_path,
    )
    assert "Debbie Jones" in rows.stdout
    _run([oversight, *db, "explore", "Debbie Jones", "-o", "view.html"], tmp_path)
    assert "Debbie Jones" in (tmp_path / "view.html").read_text(encoding="utf-8")
    verified = _run([oversight, *db, "verify"], tmp_path)
    assert "ok" in verified.stdout + verified.stderr
    _run([str(venv / "bin" / "python"), "-m", "oversight", "--version"], tmp_path)


def test_both_queries_packages_import(venv: Path, tmp_path: Path) -> None:
    probe = (
        "import queries, oversight.queries;"
        "assert hasattr(queries, 'Session'), queries.__file__;"
        "assert hasattr(oversight.queries, 'run_query');"
        "print(queries.__file__, oversight.queries.__file__)"
    )
    _run([str(venv / "bin" / "python"), "-c", probe], tmp_path)


def test_installed_help_imports_no_heavy_library(venv: Path, tmp_path: Path) -> None:
    run = _run(
        [str(venv / "bin" / "python"), "-X", "importtime", "-m", "oversight", "--help"], tmp_path
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in run.stderr.splitlines()}
    assert not imported & set(HEAVY)
