"""Check a dataset's citations against the texts of its sources.

Quotes must occur verbatim once whitespace, quote marks and dashes are normalised; sources
must have their text; every element must be cited (the dataset reader already insists).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from oversight.graph import collector
from oversight.graph.inputs import InputError, read_file
from oversight.loaders.dataset import Dataset, DatasetError, NodeRecord, Where

if TYPE_CHECKING:
    from oversight.loaders.claims import ClaimReport

MAX_TEXT_BYTES = 64 * 1024 * 1024

_MARKS = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold the differences a copied quote may harmlessly have: spacing, quote marks, dashes."""
    return _SPACE.sub(" ", fold_marks(text)).strip()


def fold_marks(text: str) -> str:
    """Curly quote marks and dashes as plain ones: one character for one, so positions hold."""
    return text.translate(_MARKS)


@dataclass(frozen=True)
class Failure:
    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def source_texts(dataset: Dataset) -> tuple[dict[str, str], list[Failure]]:
    """Each source's normalised text (see `raw_source_texts`)."""
    texts, failures = raw_source_texts(dataset)
    return {source: normalise(text) for source, text in texts.items()}, failures


def raw_source_texts(dataset: Dataset) -> tuple[dict[str, str], list[Failure]]:
    """Each source's text as written, found as `texts/<file>` in a dataset folder.

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
                texts[node.id] = _read_text(node, candidate, folder / "texts")
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
    """Every quote not in its source, every source without its text, and every claim whose
    quotes do not say what it records (loaders/claims.py)."""
    return verification(dataset).failures


@dataclass
class Verification:
    """What `oversight verify` found: failures in file order, and the checks behind them."""

    failures: list[Failure]
    claims: ClaimReport
    quotes: tuple[int, int]  # citations whose quote is in its source, of those looked for
    suspects: list[Failure]  # unmarked inferences a machine can see (`--strict` fails on them)
    texts: dict[str, str]  # each source's text as written

    def summary(self, dataset: Dataset) -> list[str]:
        """What was checked, what could not be, and what is marked inferred: one line each."""
        checked = [f"quote in source {self.quotes[0]}/{self.quotes[1]}"] + [
            f"{kind} {passed}/{run}" for kind, (passed, run) in self.claims.checked_counts().items()
        ]
        counts = self.claims.unchecked_counts()
        links = {k.removesuffix(" link"): n for k, n in counts.items() if k.endswith(" link")}
        unchecked = [f"{kind} {n}" for kind, n in counts.most_common() if kind[:-5] not in links]
        if links:
            per_type = ", ".join(f"{t} {n}" for t, n in sorted(links.items(), key=_by_count))
            unchecked.append(f"that a link holds {sum(links.values())} ({per_type})")
        inferred = self.claims.inferred_counts(dataset)
        marked = ", ".join(f"{kind} {n}" for kind, n in sorted(inferred.items(), key=_by_count))
        return [
            "checked (passed/run): " + ", ".join(checked),
            "unchecked (no machine can tell): " + ", ".join(unchecked),
            f"inferred (marked `inferred:`): {sum(inferred.values())}"
            + (f" ({marked})" if marked else ""),
            f"unmarked inferences suspected: {len(self.suspects)}"
            + (" (`verify --strict` fails on them)" if self.suspects else ""),
        ]


def verification(dataset: Dataset) -> Verification:
    """Quotes against their sources, then claims against their quotes."""
    with collector.paused():  # many small objects that all live on (graph/collector.py)
        return _verification(dataset)


def _verification(dataset: Dataset) -> Verification:
    from oversight.loaders.claims import check_claims, suspected_inferences

    raw, failures = raw_source_texts(dataset)
    texts = {source: normalise(text) for source, text in raw.items()}
    found = looked = 0
    for element_id, cite in dataset.citations():
        if cite.quote is None or cite.source not in texts:
            continue
        looked += 1
        if normalise(cite.quote) not in texts[cite.source]:
            failures.append(
                Failure(
                    cite.where,
                    f"quote for '{element_id}' is not in {cite.source}: \"{_clip(cite.quote)}\"",
                )
            )
        else:
            found += 1
    claims = check_claims(dataset, texts)
    failures += [Failure(check.where, check.message) for check in claims.failed]
    suspects = [Failure(s.where, s.message) for s in suspected_inferences(dataset)]
    return Verification(
        _in_file_order(failures), claims, (found, looked), _in_file_order(suspects), raw
    )


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _in_file_order(failures: list[Failure]) -> list[Failure]:
    return sorted(set(failures), key=lambda f: (str(f.where.path), f.where.line, f.message))


def _clip(text: str, size: int = 70) -> str:
    text = normalise(text)
    return text if len(text) <= size else text[: size - 1] + "…"
