"""The fast read (yaml-rs, loaders/fastyaml.py) gives what the line loader gives, or stands aside.

The line loader (PyYAML with lines) is the reference for what a dataset file means. The fast
path may answer UNSURE whenever it likes; it may never answer something else.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from oversight.loaders import fastyaml, yamlfile
from oversight.loaders.dataset import BUNDLED, DatasetError, graph_rows, read_dataset
from oversight.loaders.synth import write_dataset as write_synthetic
from oversight.loaders.yamlfile import YamlError, _LineLoader, read_yaml
from small_dataset import SMALL, write_dataset


def plain(data: Any) -> Any:
    """LineDicts as dicts, so the two loaders' answers compare as data."""
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(value) for value in data]
    return data


def line_loaded(text: str) -> Any:
    try:
        return plain(yaml.load(text, Loader=_LineLoader))
    except yaml.YAMLError:
        return "refused"


def same(left: Any, right: Any) -> bool:
    """Equal, with NaN equal to NaN and 1 not equal to 1.0 or True (types matter here)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    if isinstance(left, float) and left != left:
        return right != right
    return left == right


# Each of these yaml-rs reads differently from PyYAML (checked below); the fast path must
# notice every one and stand aside.
DIFFERING = [
    "a: 010",
    "a: 08",
    "a: 0o17",
    "a: _1",
    "a: -.5",
    "a: 1e3",
    "a: 1.5e3",
    "a: 1e-3",
    "a: 12:30:00",
    "a: 1:30.",
    "a: yes",
    "a: Off",
    "no: 1",
    "a: =",
    "a: {<<: {b: 1}}",
    "a: [1, 010]",
    "a: 010  # a comment",
    "a: [\n  1,\n  010\n]",
    "- 010",
    "010: a",
    "---\na: 1\n---\nb: 2",
    "a: \x01",
    "a: b\u2028c",
    "\ufeffa: 1\n\ufeffb: 2",
    "null: 1",
    "[a]: 1",
    "a: !custom 5",
]

# Read alike, but the fast path cannot tell (a false alarm costs only speed).
FALSE_ALARMS = ["", "# only a comment", "5", 'a: "yes"', "a: 'No'", "a: the figure\n  010\nb: 5\n"]


@pytest.mark.parametrize("text", FALSE_ALARMS)
def test_false_alarms_are_read_with_lines_and_alike(text: str) -> None:
    assert fastyaml.load(text) is fastyaml.UNSURE


@pytest.mark.parametrize("text", DIFFERING)
def test_the_fast_read_stands_aside_where_yaml_rs_reads_differently(text: str) -> None:
    import yaml_rs

    try:
        theirs = yaml_rs.loads(text.removeprefix("\ufeff"), parse_datetime=False)
    except Exception:
        theirs = "refused"
    assert not same(plain(theirs), line_loaded(text)), "no longer a difference: drop the case"
    assert fastyaml.load(text) is fastyaml.UNSURE


SAFE = [
    "a: 10",
    "a: 0",
    "a: -3",
    "a: 1.5",
    "a: .5",
    "a: 1_000",
    "a: 0x1F",
    "a: true",
    "a: ~",
    "a: 2019-01-23",
    "a: 2019-01",
    "a: '010'",
    "a: [x, 'y', 10]",
    "a: the figure was 010 in 2019",
    "a: |\n  one\n  two\n",
    "a: &x {b: 1}\nc: *x",
    "a: Overview & Scrutiny",
]


@pytest.mark.parametrize("text", SAFE)
def test_the_fast_read_takes_what_both_read_alike(text: str) -> None:
    fast = fastyaml.load(text)
    assert fast is not fastyaml.UNSURE
    assert same(fast, line_loaded(text))


TOKENS = [
    *("010", "08", "07", "00", "0", "10", "-3", "+4", "1_000", "_1", "0o17", "0x1F", "0b101"),
    *("1.5", ".5", "-.5", "1.", "1e3", "1.5e3", "1.5e+3", "1e-3", ".inf", "-.Inf", ".nan"),
    *("1:30", "190:20:30.15", "12:30:00", "yes", "No", "ON", "off", "y", "true", "False"),
    *("null", "~", "=", "<<", "2019-01-23", "2019-01", "2019", "'010'", '"yes"', "'1:30'"),
    *("text", "two words", "a: b", "p79", "ref #3", "x,y", "[a, 010]", "{k: 08}", "!!str 5"),
]


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "no", "010", "on", "'x'", "1:30", "c"]),
            st.sampled_from(TOKENS),
            st.sampled_from(["", "  # note", " ", "\r"]),
            st.sampled_from(["map", "list", "flow", "continued"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_fast_read_never_gives_a_different_answer(lines: list[tuple[str, ...]]) -> None:
    text = ""
    for key, token, tail, form in lines:
        if form == "map":
            text += f"{key}: {token}{tail}\n"
        elif form == "list":
            text += f"{key}:\n  - {token}{tail}\n"
        elif form == "flow":
            text += f"{key}: [{token}, 1]{tail}\n"
        else:
            text += f"{key}: words\n  {token}{tail}\n"
    fast = fastyaml.load(text)
    if fast is not fastyaml.UNSURE:
        assert same(fast, line_loaded(text)), text


def test_every_bundled_file_reads_the_same_fast(tmp_path: Path) -> None:
    for path in sorted(BUNDLED.glob("*.yaml")):
        fast = read_yaml(path, lines=False)
        assert same(plain(fast), plain(read_yaml(path))), path


def test_the_england_scale_synthetic_files_are_read_fast_and_the_same(tmp_path: Path) -> None:
    """The files `make bench` loads all take the fast path (else it measures nothing)."""
    written = write_synthetic(tmp_path / "england", 12, 3, 5)
    files = sorted(written.folder.glob("*.yaml"))
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = fastyaml.load(text)
        assert fast is not fastyaml.UNSURE, path
        assert same(fast, plain(read_yaml(path))), path
    quick = graph_rows(read_dataset([written.folder], lines=False))
    assert quick == graph_rows(read_dataset([written.folder]))


def test_a_file_the_fast_read_stands_aside_for_is_read_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text('- a: 010\n  b: yes\n  c: 1:30\n  d: "no"\n', encoding="utf-8")
    assert plain(read_yaml(path, lines=False)) == [{"a": 8, "b": True, "c": 90, "d": "no"}]


def test_without_yaml_rs_every_file_is_read_by_pyyaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An install without the yaml-rs wheel still loads, the slow way."""
    monkeypatch.setitem(sys.modules, "yaml_rs", None)  # `import yaml_rs` raises ImportError
    assert fastyaml.load("a: 1") is fastyaml.UNSURE
    folder = write_dataset(tmp_path / "data")
    assert graph_rows(read_dataset([folder], lines=False)) == graph_rows(read_dataset([folder]))


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("  name: DCS\n", "  name: DCS\n  colour: red\n"), 11, "unknown property 'colour'"),
        (("post/dcs\n", "post/dcs\n  reports_to: post/nobody\n"), 10, "unknown id 'post/nobody'"),
        (('source: source/s, quote: "Ann', 'source: source/z, quote: "Ann'), 11, "unknown source"),
        (("- id: person/ann", "- id: person/ann\n  id: person/bob"), 7, "duplicate key 'id'"),
    ],
)
def test_a_problem_found_on_the_fast_read_still_names_its_line(
    tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    folder = write_dataset(tmp_path / "data", SMALL.replace(*change))
    with pytest.raises(DatasetError) as fast:
        read_dataset([folder], lines=False)
    with pytest.raises(DatasetError) as slow:
        read_dataset([folder])
    assert str(fast.value) == str(slow.value)
    assert f"base.yaml:{line}:" in str(fast.value) and message in str(fast.value)


def test_yaml_errors_keep_their_line_on_the_fast_read(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    lines = ["- id: person/a", "  name: A", "  role: a: b", "  c: d"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(YamlError) as error:
        read_yaml(path, lines=False)
    assert error.value.line == 3


def test_random_datasets_load_the_same_fast_and_slow(tmp_path: Path) -> None:
    """Synthetic datasets of several seeds: rows identical both ways."""
    for seed in random.Random(7).sample(range(100), 3):
        folder = write_synthetic(tmp_path / f"s{seed}", 3, 2, seed).folder
        assert graph_rows(read_dataset([folder], lines=False)) == graph_rows(read_dataset([folder]))


def test_a_big_file_is_read_in_parts_with_the_same_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list of records is cut before records into parts read one at a time: the rows are
    those of the whole file, read with lines (parts of 2 kB here, of 1 MB in use)."""
    written = write_synthetic(tmp_path / "england", 4, 2, 3)
    one = tmp_path / "one"
    one.mkdir()
    texts = [path.read_text(encoding="utf-8") for path in sorted(written.folder.glob("*.yaml"))]
    (one / "all.yaml").write_text("".join(texts), encoding="utf-8")
    monkeypatch.setattr(yamlfile, "PART_CHARS", 2000)
    parts = list(yamlfile.read_yaml_parts(one / "all.yaml", lines=False))
    assert len(parts) > 20
    assert [record for part in parts for record in part] == plain(read_yaml(one / "all.yaml"))
    assert graph_rows(read_dataset([one], lines=False)) == graph_rows(read_dataset([one]))


@pytest.mark.parametrize(
    ("spanning", "inside"),
    [
        ('  name: "A quoted name\n- that goes on"\n', "\n- that"),  # a cut in a quoted text
        ("  aliases: [one,\n- two]\n", "\n- two"),  # in a flow list (which PyYAML refuses)
    ],
)
def test_a_cut_inside_something_that_spans_lines_still_reads_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spanning: str, inside: str
) -> None:
    """Where a cut falls inside a text or list that spans lines, a part fails to parse; the
    dataset is then read whole, with lines, and gives what the file says."""
    records = "".join(
        f"- id: person/p{n}\n  name: Person {n}\n  cite: [{{source: source/s, quote: A}}]\n"
        for n in range(40)
    )
    text = SMALL.replace("  name: Ann Example\n", spanning) + records
    folder = write_dataset(tmp_path / "data", text)
    monkeypatch.setattr(yamlfile, "PART_CHARS", text.index(inside) - 1)  # the first cut: there
    with pytest.raises(YamlError):
        list(yamlfile.read_yaml_parts(folder / "base.yaml", lines=False))
    try:
        whole = read_dataset([folder])
    except DatasetError as error:
        with pytest.raises(DatasetError) as fast:
            read_dataset([folder], lines=False)
        assert str(fast.value) == str(error)
        return
    assert graph_rows(read_dataset([folder], lines=False)) == graph_rows(whole)


def test_hostile_shapes_leave_the_fast_read_at_once() -> None:
    """An alias bomb and a deep nest: yaml-rs refuses them within its limits (no expansion, no
    native recursion), and the line loader, which shares aliases, has them as before."""
    bomb = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    assert fastyaml.load("\n".join(bomb) + "\n") is fastyaml.UNSURE
    deep = 100_000
    assert fastyaml.load("- " + "[" * deep + "]" * deep + "\n") is fastyaml.UNSURE
