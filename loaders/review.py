"""The review sheet's content: every claim, its quotes in their passages, and its checks.

A claim is one node or relationship of the dataset. For each: what it records (its values),
its basis, whether it is marked inferred and why, each citation with the quote found in its
source's text and the sentences around it, the checks it passed or failed
(loaders/claims.py) and what no machine can check. visualise/review.py draws it as a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from oversight.loaders.claims import shown_date
from oversight.loaders.dataset import Cite, Dataset, basis
from oversight.loaders.verify import Verification, fold_marks, normalise, verification

CONTEXT = 260  # characters of the source shown on each side of a quote, at most
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?:][\"'’”)\]]?\s")


@dataclass(frozen=True)
class Passage:
    """A quote inside its source: the text before it, the quote as written, the text after."""

    before: str
    quote: str
    after: str


@dataclass(frozen=True)
class Quoted:
    """One citation of a claim, with its passage (None when the quote is not in the text)."""

    source: str
    title: str
    quote: str | None
    ref: str | None
    reports: str | None
    opinion: bool
    where: str
    passage: Passage | None


@dataclass(frozen=True)
class Checked:
    kind: str
    passed: bool
    detail: str
    where: str


@dataclass
class Claim:
    id: str
    element: str  # node or relationship
    kind: str  # its label or type
    caption: str
    values: list[tuple[str, str]]
    basis: str
    inferred: str | None
    where: str
    citations: list[Quoted] = field(default_factory=list)
    checks: list[Checked] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(not c.passed for c in self.checks)

    @property
    def statuses(self) -> list[str]:
        """What the sheet filters on: failed, unchecked, inferred; `passed` when none."""
        found = [
            status
            for status, yes in (
                ("failed", self.failed),
                ("unchecked", bool(self.unchecked)),
                ("inferred", bool(self.inferred)),
            )
            if yes
        ]
        return found or ["passed"]


@dataclass
class Review:
    claims: list[Claim]
    summary: list[str]
    failures: int


def review(dataset: Dataset, found: Verification | None = None) -> Review:
    """Every claim of the dataset, for the review sheet."""
    found = found or verification(dataset)
    shown = {source: _SPACE.sub(" ", text).strip() for source, text in found.texts.items()}
    folded = {source: fold_marks(text) for source, text in shown.items()}
    checks: dict[str, list[Checked]] = {}
    for check in found.claims.checks:
        checks.setdefault(check.element, []).append(
            Checked(check.kind, check.passed, check.detail, str(check.where))
        )
    unchecked: dict[str, list[str]] = {}
    for kind, element in found.claims.unchecked:
        unchecked.setdefault(element, []).append(kind)

    def cited(cites: list[Cite], element: str) -> list[Quoted]:
        quoted = []
        for cite in cites:
            passage = None
            if cite.quote is not None and cite.source in shown:
                passage = _passage(shown[cite.source], folded[cite.source], cite.quote)
                checks.setdefault(element, []).append(
                    Checked(
                        "quote in source",
                        passage is not None,
                        "found in the source's text"
                        if passage
                        else f"not in the text of {cite.source}",
                        str(cite.where),
                    )
                )
            source = dataset.nodes[cite.source]
            quoted.append(
                Quoted(
                    cite.source,
                    str(source.values.get("title") or source.values.get("name")),
                    cite.quote,
                    cite.ref,
                    cite.reports,
                    cite.opinion,
                    str(cite.where),
                    passage,
                )
            )
        return quoted

    claims = []
    for node in dataset.nodes.values():
        citations = cited(node.cites, node.id)
        claims.append(
            Claim(
                node.id,
                "node",
                node.label.name,
                str(node.values.get("name") or node.id),
                _values(node.values),
                basis(node.cites, dataset),
                node.values.get("inferred"),
                str(node.where),
                citations,
            )
        )
    for rel in dataset.relationships.values():
        citations = cited(rel.cites, rel.id)
        start, end = dataset.nodes[rel.start], dataset.nodes[rel.end]
        caption = f"{start.values.get('name', rel.start)} → {end.values.get('name', rel.end)}"
        claims.append(
            Claim(
                rel.id,
                "relationship",
                rel.type.name,
                caption,
                [("from", rel.start), ("to", rel.end), *_values(rel.values)],
                basis(rel.cites, dataset),
                rel.values.get("inferred"),
                str(rel.where),
                citations,
            )
        )
    for claim in claims:
        claim.checks = checks.get(claim.id, [])
        claim.unchecked = sorted(set(unchecked.get(claim.id, [])))
    return Review(claims, found.summary(dataset), len(found.failures))


def _values(values: dict[str, Any]) -> list[tuple[str, str]]:
    """A record's values as text; dates with their precision."""
    shown = []
    for key, value in values.items():
        if key in ("inferred", "name"):
            continue
        if isinstance(value, tuple) and len(value) == 2 and hasattr(value[0], "isoformat"):
            value = shown_date(*value)
        elif isinstance(value, list):
            value = "; ".join(map(str, value))
        elif isinstance(value, float):
            value = f"{value:g}"
        shown.append((key, str(value)))
    return shown


def _passage(shown: str, folded: str, quote: str) -> Passage | None:
    """The quote in the source's text (spacing collapsed) with the sentences around it.

    `shown` and `folded` have the same length: folding maps a character to one character.
    """
    wanted = normalise(quote)
    at = folded.find(wanted)
    if at < 0 or not wanted:
        return None
    end = at + len(wanted)
    before = shown[max(0, at - CONTEXT) : at]
    after = shown[end : end + CONTEXT]
    if at > CONTEXT:  # start at a sentence in the window, else at a word
        starts = [m.end() for m in _SENTENCE_END.finditer(before)]
        before = before[starts[0] :] if starts else "…" + before.split(" ", 1)[-1]
    if end + CONTEXT < len(shown):
        ends = [m.start() + 1 for m in _SENTENCE_END.finditer(after)]
        after = after[: ends[-1]] if ends else after.rsplit(" ", 1)[0] + "…"
    return Passage(before, shown[at:end], after)
