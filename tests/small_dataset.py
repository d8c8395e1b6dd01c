"""A three-record dataset with its source text: the base the bad-input tests break."""

from __future__ import annotations

from pathlib import Path

SMALL = """\
- id: source/s
  name: A source
  file: s.txt
  reliability: primary
  cite: [{source: source/s, quote: "A source about"}]
- id: person/ann
  name: Ann Example
  cite: [{source: source/s, quote: "about Ann Example"}]
- id: post/dcs
  name: DCS
  cite: [{source: source/s, quote: "Ann Example, the DCS"}]
"""  # every quote long enough to pass `verify` (loaders/claims.py WORD_FLOOR)
SOURCE_TEXT = "A source about Ann Example, the DCS."


def write_dataset(folder: Path, base: str | None = SMALL) -> Path:
    """`folder` with `texts/s.txt` and, unless base is None, `base.yaml`."""
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    (folder / "texts" / "s.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    if base is not None:
        (folder / "base.yaml").write_text(base, encoding="utf-8")
    return folder
