"""Label slots (queries/labels.py): an engine's text takes the label of the entity asked about.

`ENGINE/NAME.cypher` may write `` :`{PARAM}` `` where a label goes; the runner fills it with
the schema label of the entity the required entity parameter PARAM resolved to.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from oversight.queries import get_query
from oversight.queries.library import HeaderError

from oversight.cli import cli

PORTABLE = """\
// name: probe
// title: Which text ran
// param who: entity, example "person/debbie-jones" -- anything
// param n: int, default 1 -- a number
// param maybe: entity, default null -- an optional entity
MATCH (x {id: $who}) RETURN 'portable' AS ran, $n AS n, $maybe AS maybe
"""
LADYBUG = """\
MATCH (x:`{who}` {id: $who}) RETURN 'ladybug' AS ran, label(x) AS label, $n AS n, $maybe AS maybe
"""


def _folder(tmp_path: Path, ladybug: str = LADYBUG) -> Path:
    (tmp_path / "ladybug").mkdir(parents=True, exist_ok=True)
    (tmp_path / "probe.cypher").write_text(PORTABLE, encoding="utf-8")
    (tmp_path / "ladybug" / "probe.cypher").write_text(ladybug, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("who", "label"),
    [
        ("person/debbie-jones", "Person"),
        ("Debbie Jones", "Person"),  # a name, resolved first
        ("body/tower-hamlets-council", "Body"),
        ("post/director-of-childrens-services", "Post"),
    ],
)
def test_the_slot_takes_the_label_of_the_entity_asked_about(
    loaded_db: Path, tmp_path: Path, who: str, label: str
) -> None:
    folder = _folder(tmp_path)
    args = ["--db", str(loaded_db), "--queries-dir", str(folder), "query", "run", "probe"]
    result = CliRunner().invoke(cli, [*args, "--param", f"who={who}", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows == [{"ran": "ladybug", "label": label, "n": 1, "maybe": None}]


def test_without_a_schema_label_the_portable_text_runs(tmp_path: Path) -> None:
    saved = get_query("probe", [_folder(tmp_path)])
    assert ":Person {id: $who}" in saved.text_for("ladybug", {"who": "Person"})
    for labels in [{}, {"who": "Nope"}, {"who": "Person) DETACH DELETE (x"}, {"n": "Person"}]:
        assert saved.text_for("ladybug", labels) == saved.text
    assert saved.text_for("ladybug") == saved.text
    assert saved.text_for("neo4j", {"who": "Person"}) == saved.text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("MATCH (x {id: $who}) WHERE $n > 0 AND $maybe IS NULL\nRETURN `{who}`", "after a colon"),
        ("MATCH (x:`{n}` {id: $who}) RETURN $n, $maybe", "n is not a required entity param"),
        ("MATCH (x:`{maybe}` {id: $who}) RETURN $n, $maybe", "maybe is not a required entity"),
        ("MATCH (x:`{other}` {id: $who}) RETURN $n, $maybe", "other is not a required entity"),
    ],
)
def test_a_slot_that_cannot_be_filled_is_refused_naming_file_and_line(
    tmp_path: Path, text: str, problem: str
) -> None:
    folder = _folder(tmp_path, text + "\n")
    with pytest.raises(HeaderError) as refused:
        get_query("probe", [folder])
    line = text.count("\n") + 1 if "after a colon" in problem else 1
    assert str(refused.value).startswith(f"{folder / 'ladybug' / 'probe.cypher'}:{line}: ")
    assert problem in str(refused.value)
