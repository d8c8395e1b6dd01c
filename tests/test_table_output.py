"""Tables that read well: no word broken across lines, nothing cut; when the terminal is too
narrow for a table, each row becomes a record (one line per column), as in psql's `\\x`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from oversight.queries.library import BUNDLED_DIR, read_query

from oversight.cli import cli


def shown(db: Path, width: int, *args: str) -> str:
    outcome = CliRunner().invoke(cli, ["--db", str(db), *args], env={"COLUMNS": str(width)})
    assert outcome.exit_code == 0, outcome.output
    return outcome.stdout


def words_of(text: str) -> set[str]:
    return {w for w in re.split(r"[\s│┃|]+", text) if w}


@pytest.mark.parametrize("width", [60, 80, 120, 250])
def test_no_word_is_broken_at_any_width(loaded_db: Path, width: int) -> None:
    answer = CliRunner().invoke(
        cli,
        [
            "--db",
            str(loaded_db),
            "query",
            "run",
            "changes-between",
            "--example",
            "--format",
            "json",
        ],
    )
    expected = {
        w for row in json.loads(answer.stdout) for v in row.values() for w in str(v or "").split()
    }
    text = shown(loaded_db, width, "query", "run", "changes-between", "--example")
    assert max(len(line) for line in text.splitlines()) <= width
    missing = {w for w in expected if len(w) < width - 20} - words_of(text)
    assert not missing, sorted(missing)[:5]


def test_a_wide_terminal_gets_a_table_and_a_narrow_one_records(loaded_db: Path) -> None:
    wide = shown(loaded_db, 250, "query", "run", "changes-between", "--example")
    assert re.search(r"┃ what +┃ subject +┃", wide) and "record 1" not in wide
    narrow = shown(loaded_db, 80, "query", "run", "changes-between", "--example")
    assert "record 1" in narrow and "record 2" in narrow
    assert re.search(r"│ subject +│ Overall effectiveness +│", narrow)
    assert narrow.rstrip().endswith("rows")


def test_query_list_shows_every_example_whole(loaded_db: Path) -> None:
    for width in (80, 200):
        text = shown(loaded_db, width, "query", "list")
        flat = " ".join(re.split(r"[\s│┃|]+", text))  # a record's cell may wrap
        for path in sorted(BUNDLED_DIR.glob("*.cypher")):
            saved = read_query(path, bundled=True)
            assert saved.name in words_of(text)
            for param in saved.params:
                if isinstance(param.example, str):
                    assert f'"{param.example}"' in flat, (width, saved.name, param.example)
        assert "…" not in text
