"""Every worked example in the README runs, on the bundled dataset, and says what the README
shows: each `$ oversight ...` line of a ```console block is run as a real process, and each
line shown after it must appear in its output (stderr first, as a terminal shows them), in
order. A shown line ending in `,...` or `...` is a prefix; a line `...` skips any lines."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def examples() -> list[tuple[str, list[str]]]:
    """(command line, the lines shown after it) for each example in a console block."""
    found: list[tuple[str, list[str]]] = []
    inside = False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = line == "```console"
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            found.append((line[2:], []))
        elif line and found:
            found[-1][1].append(line)
    return found


EXAMPLES = examples()


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 4
    assert all(command.startswith("oversight ") for command, _ in EXAMPLES)


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_each_readme_example_says_what_the_readme_shows(
    loaded_db: Path, command: str, shown: list[str]
) -> None:
    words = shlex.split(command)
    done = subprocess.run(
        [sys.executable, "-m", "oversight", "--db", str(loaded_db), *words[1:]],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines() + done.stdout.splitlines()
    at = 0
    gap = False  # after a `...` line, any lines may come before the next shown one
    for expected in shown:
        if expected == "...":
            gap = True
            continue
        prefix = expected.removesuffix("...") if expected.endswith("...") else None
        while at < len(lines):
            line = lines[at]
            at += 1
            if line == expected or (prefix is not None and line.startswith(prefix)):
                break
            assert gap, f"expected {expected!r}, got {line!r}"
        else:
            pytest.fail(f"{expected!r} not in the output of {command}")
        gap = False


def test_the_readme_benchmark_section_is_what_results_json_gives() -> None:
    """The README's figures are regenerated from benchmarks/results.json (`make bench` runs
    benchmarks/readme.py), so a typed figure or a stale table fails here."""
    sys.path.insert(0, str(README.parent / "benchmarks"))
    import readme

    results = json.loads((README.parent / "benchmarks" / "results.json").read_text("utf-8"))
    text = README.read_text(encoding="utf-8")
    assert readme.rewritten(text, results) == text
    assert readme.section(results).count("\n| ") >= len(results["queries"])
