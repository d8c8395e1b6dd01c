"""Check a dataset's citations against the texts of its sources.

Quotes must occur verbatim once whitespace, quote marks and dashes are normalised; sources
must have their text; every element must be cited (the dataset reader already insists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oversight.loaders.dataset import Dataset, Where

_MARKS = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold the differences a copied quote may harmlessly have: spacing, quote marks, dashes."""
    return _SPACE.sub(" ", text.translate(_MARKS)).strip()


@dataclass(frozen=True)
class Failure:
    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def source_texts(dataset: Dataset) -> tuple[dict[str, str], list[Failure]]:
    """Each source's normalised text, found as `texts/<file>` in a dataset folder."""
    texts: dict[str, str] = {}
    failures: list[Failure] = []
    for node in dataset.nodes.values():
        if node.label.name != "Source":
            continue
        name = node.values.get("file")
        if not name:
            failures.append(Failure(node.where, f"source '{node.id}' names no `file`"))
            continue
        for folder in dataset.folders:
            candidate = folder / "texts" / name
            if candidate.is_file():
                texts[node.id] = normalise(candidate.read_text(encoding="utf-8"))
                break
        else:
            looked = ", ".join(str(f / "texts") for f in dataset.folders)
            failures.append(Failure(node.where, f"text '{name}' of '{node.id}' not in {looked}"))
    return texts, failures


def verify(dataset: Dataset) -> list[Failure]:
    """Every citation whose quote is not in its source, and every source without its text."""
    texts, failures = source_texts(dataset)
    for element_id, cite in dataset.citations():
        if cite.quote is None or cite.source not in texts:
            continue
        if normalise(cite.quote) not in texts[cite.source]:
            failures.append(
                Failure(
                    cite.where,
                    f"quote for '{element_id}' is not in {cite.source}: \"{_clip(cite.quote)}\"",
                )
            )
    return sorted(set(failures), key=lambda f: (str(f.where.path), f.where.line))


def _clip(text: str, size: int = 70) -> str:
    text = normalise(text)
    return text if len(text) <= size else text[: size - 1] + "…"
