"""Bad dataset files: one line naming file:line, exit 1, and the store exactly as it was."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fingerprint import fingerprint
from oversight.loaders.dataset import BUNDLED, read_dataset
from oversight.loaders.verify import normalise, source_texts
from small_dataset import write_dataset


def oversight(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oversight", "--db", str(cwd / "t.lbug"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = write_dataset(tmp_path / "data")
    assert oversight("load", str(data), cwd=tmp_path).returncode == 0
    return data


def changed_base(folder: Path) -> None:
    """Change the loaded data, so that loading any of it again would change the store: a
    partial write cannot hide behind re-loading the same records."""
    base = folder / "base.yaml"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("name: Ann Example", "name: Ann Renamed"), encoding="utf-8")
    (folder / "aa-new.yaml").write_text(
        "- id: person/new\n  name: New Person\n"
        "  cite: [{source: source/s, quote: A source about Ann Example}]\n",
        encoding="utf-8",
    )


def test_the_changed_base_would_change_the_store(folder: Path, tmp_path: Path) -> None:
    """Without the bad file, the load the cases below refuse changes the store."""
    before = fingerprint(tmp_path / "t.lbug")
    changed_base(folder)
    assert oversight("load", str(folder), cwd=tmp_path).returncode == 0
    assert fingerprint(tmp_path / "t.lbug") != before


CASES = [
    ("yaml syntax", "- id: person/bob\n  name: [Bob\n", 3, "YAML syntax"),
    ("unknown prefix", "- id: villain/bob\n  name: Bob\n", 1, "no known prefix"),
    (
        "duplicate id",
        "- id: person/ann\n  name: Ann again\n  cite: [{source: source/s, quote: A}]\n",
        1,
        "duplicate id 'person/ann'",
    ),
    (
        "unknown reference",
        "- extend: person/ann\n  holds: post/nowhere\n",
        2,
        "unknown id 'post/nowhere'",
    ),
    ("extend unknown", "- extend: person/nobody\n  cite: []\n", 1, "no record declares"),
    (
        "forbidden relationship",
        "- extend: post/dcs\n  holds: person/ann\n",
        2,
        "HOLDS cannot join Post 'post/dcs' -> Person 'person/ann'",
    ),
    ("missing citation", "- id: person/bob\n  name: Bob\n", 1, "has no citation"),
    (
        "unknown source",
        "- id: person/bob\n  name: Bob\n  cite: [{source: source/nope, quote: Bob}]\n",
        3,
        "unknown source 'source/nope'",
    ),
    (
        "impossible date",
        "- extend: person/ann\n  holds:\n    - to: post/dcs\n      start: 2017-02-30\n",
        4,
        "not a real date",
    ),
    (
        "vague date form",
        "- extend: person/ann\n  holds:\n    - to: post/dcs\n      start: July 2015\n",
        4,
        "is not a date",
    ),
    (
        "wrong type",
        "- id: inspection/x\n  name: X\n  number: four\n  cite: [{source: source/s, quote: A}]\n",
        3,
        "number",
    ),
    (
        "bad choice",
        "- id: finding/x\n  name: X\n  kind: scandal\n  cite: [{source: source/s, quote: A}]\n",
        3,
        "kind",
    ),
    (
        "unknown property",
        "- id: person/bob\n  name: Bob\n  shoe_size: 9\n  cite: [{source: source/s, quote: A}]\n",
        3,
        "unknown property 'shoe_size'",
    ),
    ("empty file", "", 1, "empty file"),
    ("not a list", "id: person/bob\n", 1, "expected a list of records"),
]


@pytest.mark.parametrize(("case", "text", "line", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_one_line_with_file_and_line(
    folder: Path, tmp_path: Path, case: str, text: str, line: int, message: str
) -> None:
    before = fingerprint(tmp_path / "t.lbug")
    changed_base(folder)
    bad = folder / "zz-bad.yaml"
    bad.write_text(text, encoding="utf-8")
    proc = oversight("load", str(folder), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"error: {bad}:{line}: "), lines[0]
    assert message in lines[0]
    assert "Traceback" not in proc.stderr
    assert fingerprint(tmp_path / "t.lbug") == before  # all of it as it was, by content


def test_binary_and_non_utf8_files(folder: Path, tmp_path: Path) -> None:
    bad = folder / "zz-bad.yaml"
    bad.write_bytes(b"- id: person/b\xe9\n")
    proc = oversight("load", str(folder), cwd=tmp_path)
    assert proc.returncode == 1
    assert f"{bad}:1: not UTF-8" in proc.stderr
    bad.write_bytes(b"\x00\x01\x02binary")
    proc = oversight("load", str(folder), cwd=tmp_path)
    assert "binary" in proc.stderr


def test_missing_folder(tmp_path: Path) -> None:
    proc = oversight("load", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: {tmp_path / 'nowhere'}: no such file or folder"


def test_debug_shows_the_traceback(folder: Path, tmp_path: Path) -> None:
    (folder / "zz-bad.yaml").write_text("- id: villain/x\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "oversight",
            "--debug",
            "--db",
            str(tmp_path / "t.lbug"),
            "load",
            str(folder),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr


def test_verify_names_the_line_of_a_quote_not_in_its_source(folder: Path, tmp_path: Path) -> None:
    (folder / "zz-claim.yaml").write_text(
        textwrap.dedent(
            """\
            - id: person/bob
              name: Bob
              cite:
                - source: source/s
                  quote: "Bob was never mentioned"
            """
        ),
        encoding="utf-8",
    )
    proc = oversight("verify", str(folder), cwd=tmp_path)
    assert proc.returncode == 1
    assert f"{folder / 'zz-claim.yaml'}:4: quote for 'person/bob' is not in source/s" in proc.stderr


def test_a_quote_must_be_in_its_own_source_not_another(tmp_path: Path) -> None:
    """A citation moved to another source, whose text lacks the quote, fails at its line,
    although the quote is word for word in the first source."""
    data = tmp_path / "data"
    shutil.copytree(BUNDLED, data)
    dataset = read_dataset([data])
    texts, _ = source_texts(dataset)
    element, cite, other = next(
        (element, cite, other)
        for element, cite in dataset.citations()
        if len(quote := normalise(cite.quote or "")) > 40 and quote in texts.get(cite.source, "")
        for other in sorted(texts)
        if quote not in texts[other]
    )
    where = cite.where
    lines = where.path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[where.line - 1].strip() == f"- source: {cite.source}"
    lines[where.line - 1] = lines[where.line - 1].replace(cite.source, other)
    where.path.write_text("".join(lines), encoding="utf-8")
    proc = oversight("verify", str(data), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    expected = f"{where.path}:{where.line}: quote for '{element}' is not in {other}"
    said = proc.stdout + proc.stderr  # failures are listed on stdout, then summed up
    assert expected in said, said
    assert sum(": quote for '" in line for line in proc.stdout.splitlines()) == 1, said
