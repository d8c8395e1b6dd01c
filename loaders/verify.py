"""Check a dataset's citations against the texts of its sources.

Quotes must occur verbatim once whitespace, quote marks and dashes are normalised; sources
must have their text; every element must be cited (the dataset reader already insists).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from oversight.graph.inputs import InputError, read_file
from oversight.loaders.dataset import Dataset, DatasetError, NodeRecord, Where

MAX_TEXT_BYTES = 64 * 1024 * 1024

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
    """Each source's normalised text, found as `texts/<file>` in a dataset folder.

    The text must be inside that texts folder (a symlink may not lead out), a regular file of
    at most MAX_TEXT_BYTES, and UTF-8 text; otherwise DatasetError at the source's `file:`.
    """
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
            if os.path.lexists(candidate):
                texts[node.id] = normalise(_read_text(node, candidate, folder / "texts"))
                break
        else:
            looked = ", ".join(str(f / "texts") for f in dataset.folders)
            failures.append(Failure(node.where, f"text '{name}' of '{node.id}' not in {looked}"))
    return texts, failures


def _read_text(node: NodeRecord, path: Path, folder: Path) -> str:
    """A source's text, or DatasetError naming the `file:` line that points at it."""
    where = node.where_of("file")
    try:
        data = read_file(path, MAX_TEXT_BYTES, within=folder, what="a source text")
    except InputError as error:
        raise DatasetError(where, f"text of '{node.id}': {error}") from error
    if b"\x00" in data:
        raise DatasetError(where, f"text of '{node.id}': {path}: not a text file (binary content)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DatasetError(
            where, f"text of '{node.id}': {path}:{line}: not UTF-8 text; save the file as UTF-8"
        ) from error


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
