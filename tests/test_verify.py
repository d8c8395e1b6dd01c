"""Quotes against their own sources (loaders/verify.py), in-process and exact.

tests/test_validation.py runs `oversight verify` on whole datasets; these pin each rule on a
dataset small enough to read: what is folded before comparing, where a failure points, and
what a source's text must be.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from oversight.loaders.dataset import DatasetError, read_dataset
from oversight.loaders.verify import normalise, source_texts, verify

TEXT_S = (
    "The council\u2019s \u201cchildren\u2019s services\u201d were judged \u2013 in 2017 \u2013\n"
    "inadequate by Ofsted."
)
TEXT_T = "A second report says the director of children's services resigned in the spring."

DATASET = """\
- id: source/s
  name: S
  file: s.txt
  reliability: primary
  cite: [{source: source/s, quote: "were judged - in 2017 - inadequate by Ofsted"}]
- id: source/t
  name: T
  file: t.txt
  reliability: primary
  cite: [{source: source/t, quote: "the director of children's services resigned"}]
- id: person/ann
  name: Ann
  cite:
    - source: source/t
      quote: "A second report says the director"
"""


def dataset_folder(tmp_path: Path, records: str, texts: dict[str, bytes] | None = None) -> Path:
    folder = tmp_path / "data"
    (folder / "texts").mkdir(parents=True)
    for name, content in (texts or {"s.txt": TEXT_S.encode(), "t.txt": TEXT_T.encode()}).items():
        (folder / "texts" / name).write_bytes(content)
    (folder / "a.yaml").write_text(DATASET + records, encoding="utf-8")
    return folder


QUOTE_RULES = re.compile(r": (quote for '|text '|source '[^']*' names no `file`)")


def failures(folder: Path) -> list[str]:
    """The failures of this module's rules (loaders/claims.py adds its own)."""
    found = [str(failure) for failure in verify(read_dataset([folder]))]
    return [failure for failure in found if QUOTE_RULES.search(failure)]


def test_normalise_folds_quote_marks_dashes_and_spacing() -> None:
    assert (
        normalise("  \u2018a\u2019 \u201cb\u201d\u00a0c \u2013 d \u2014 e\n\tf  ")
        == "'a' \"b\" c - d - e f"
    )
    assert normalise("no change") == "no change"


def test_quotes_found_in_their_own_sources_pass(tmp_path: Path) -> None:
    assert failures(dataset_folder(tmp_path, "")) == []
    texts, missing = source_texts(read_dataset([dataset_folder(tmp_path / "2", "")]))
    assert missing == []
    assert texts == {"source/s": normalise(TEXT_S), "source/t": normalise(TEXT_T)}


def test_a_quote_in_another_source_fails_at_its_line(tmp_path: Path) -> None:
    folder = dataset_folder(
        tmp_path,
        "- id: person/bob\n  name: Bob\n  cite:\n"
        '    - source: source/s\n      quote: "the director of children\'s services resigned"\n'
        '    - source: source/t\n      quote: "the director of children\'s services resigned"\n',
    )
    path = folder / "a.yaml"
    assert failures(folder) == [
        f"{path}:19: quote for 'person/bob' is not in source/s: "
        '"the director of children\'s services resigned"'
    ]


def test_failures_come_in_file_order_once_each_with_long_quotes_clipped(tmp_path: Path) -> None:
    long = "word " * 30
    folder = dataset_folder(
        tmp_path,
        "- id: person/bob\n  name: Bob\n  cite:\n"
        f'    - source: source/t\n      quote: "{long}"\n'
        '- id: person/cy\n  name: Cy\n  cite: [{source: source/s, quote: "not there"}]\n',
    )
    for name in ("0.yaml", "z.yaml"):  # before and after a.yaml, with earlier lines
        (folder / name).write_text(
            f"- id: person/{name[0]}\n  name: D\n"
            '  cite: [{source: source/s, quote: "nor here"}]\n',
            encoding="utf-8",
        )
    path, first, last = folder / "a.yaml", folder / "0.yaml", folder / "z.yaml"
    clipped = ("word " * 14).strip() + "\u2026"
    assert len(clipped) == 70
    assert failures(folder) == [
        f"{first}:3: quote for 'person/0' is not in source/s: \"nor here\"",
        f"{path}:19: quote for 'person/bob' is not in source/t: \"{clipped}\"",
        f"{path}:23: quote for 'person/cy' is not in source/s: \"not there\"",
        f"{last}:3: quote for 'person/z' is not in source/s: \"nor here\"",
    ]


def test_a_quote_of_exactly_seventy_characters_is_not_clipped(tmp_path: Path) -> None:
    quote = "x" * 70
    folder = dataset_folder(
        tmp_path, f"- id: person/bob\n  name: Bob\n  cite: [{{source: source/s, quote: {quote}}}]\n"
    )
    assert failures(folder)[0].endswith(f'"{quote}"')
    folder = dataset_folder(
        tmp_path / "2",
        f"- id: person/bob\n  name: Bob\n  cite: [{{source: source/s, quote: {quote}y}}]\n",
    )
    assert failures(folder)[0].endswith(f'"{"x" * 69}\u2026"')


def test_a_source_without_its_text_is_a_failure_and_the_rest_is_checked(tmp_path: Path) -> None:
    folder = dataset_folder(
        tmp_path,
        "- id: source/v\n  name: V\n  reliability: primary\n"
        '  cite: [{source: source/s, quote: "inadequate by Ofsted"}]\n'
        "- id: source/u\n  name: U\n  file: u.txt\n  reliability: primary\n"
        '  cite: [{source: source/u, quote: "anything at all here"}]\n'
        '- id: person/cy\n  name: Cy\n  cite: [{source: source/s, quote: "not there"}]\n',
    )
    other = tmp_path / "other"
    (other / "texts").mkdir(parents=True)
    (other / "b.yaml").write_text(
        '- id: person/zed\n  name: Z\n  cite: [{source: source/s, quote: "by Ofsted"}]\n',
        encoding="utf-8",
    )
    path = folder / "a.yaml"
    looked = f"{folder / 'texts'}, {other / 'texts'}"
    found = [str(f) for f in verify(read_dataset([folder, other]))]
    assert [failure for failure in found if QUOTE_RULES.search(failure)] == [
        f"{path}:16: source 'source/v' names no `file`",
        f"{path}:20: text 'u.txt' of 'source/u' not in {looked}",
        f"{path}:27: quote for 'person/cy' is not in source/s: \"not there\"",
    ]


def test_a_text_too_big_to_be_a_source_text(tmp_path: Path) -> None:
    folder = dataset_folder(tmp_path, "", {"s.txt": TEXT_S.encode(), "t.txt": b""})
    with (folder / "texts" / "t.txt").open("r+b") as text:
        text.truncate(64 * 1024 * 1024 + 1)  # sparse: nothing is written
    with pytest.raises(DatasetError) as refused:
        verify(read_dataset([folder]))
    assert str(refused.value).endswith(
        "t.txt: 64 MiB is more than a source text may hold (64 MiB)"
    ), str(refused.value)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"ok\n\xff\xfe bad", r"t\.txt:2: not UTF-8 text; save the file as UTF-8"),
        (b"text\x00with a nul", r"t\.txt: not a text file \(binary content\)"),
    ],
)
def test_an_unreadable_text_names_the_sources_file_line(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    folder = dataset_folder(tmp_path, "", {"s.txt": TEXT_S.encode(), "t.txt": content})
    with pytest.raises(DatasetError, match=rf"a\.yaml:8: text of 'source/t': .*{problem}$"):
        verify(read_dataset([folder]))


def test_a_text_may_not_lead_out_of_its_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(TEXT_T, encoding="utf-8")
    folder = dataset_folder(tmp_path, "", {"s.txt": TEXT_S.encode()})
    (folder / "texts" / "t.txt").symlink_to(outside)
    with pytest.raises(DatasetError, match=r"a\.yaml:8: text of 'source/t': .* leads outside "):
        verify(read_dataset([folder]))


def test_the_first_folder_that_has_the_text_wins(tmp_path: Path) -> None:
    folder = dataset_folder(tmp_path, "")
    other = tmp_path / "other"
    (other / "texts").mkdir(parents=True)
    (other / "texts" / "t.txt").write_text("nothing relevant", encoding="utf-8")
    (other / "b.yaml").write_text(
        "- id: person/zed\n  name: Z\n"
        '  cite: [{source: source/t, quote: "A second report says the director"}]\n',
        encoding="utf-8",
    )
    texts, _ = source_texts(read_dataset([folder, other]))
    assert texts["source/t"] == normalise(TEXT_T)


def test_what_verify_counts_and_keeps(tmp_path: Path) -> None:
    """`oversight verify` sums up from these: quotes found of those looked for, the texts as
    written, the claims checked against them, and inferences a machine suspects."""
    from oversight.loaders.dataset import BUNDLED
    from oversight.loaders.verify import raw_source_texts, verification

    data = tmp_path / "bundled"
    shutil.copytree(BUNDLED, data)
    unmarked = data / "2017-inspection-love-wapping.yaml"  # a REPORTS_TO read into the text
    lines = unmarked.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("inferred: The text"))
    where = next(i for i in range(at, 0, -1) if lines[i].strip().startswith("- to:")) + 1
    del lines[at]
    unmarked.write_text("".join(lines), encoding="utf-8")
    dataset = read_dataset([data])
    found = verification(dataset)
    texts, _ = raw_source_texts(dataset)
    assert found.texts == texts and set(texts) >= {"source/love-wapping-2017"}
    looked = sum(1 for _, c in dataset.citations() if c.quote is not None and c.source in texts)
    assert found.quotes == (looked, looked) and looked > 1000
    (suspect,) = found.suspects
    assert (suspect.where.path, suspect.where.line) == (unmarked, where)
    assert "unmarked inference: no quote names post/lead-member" in suspect.message
    assert found.claims.checked_counts()["alias"][1] > 0  # the aliases against the texts
    summary = found.summary(dataset)
    assert summary[0].startswith(f"checked (passed/run): quote in source {looked}/{looked}, ")
    assert summary[-1] == "unmarked inferences suspected: 1 (`verify --strict` fails on them)"
    broken = dataset_folder(tmp_path / "small", "")
    (broken / "texts" / "t.txt").write_text("nothing of it", encoding="utf-8")
    small = verification(read_dataset([broken]))
    assert small.quotes == (1, 3)  # the two quotes from source/t are not in its text now
