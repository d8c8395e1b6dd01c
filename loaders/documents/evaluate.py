"""How well the linker finds what the curated dataset says a source speaks of.

The gold set of a source is every known entity (person, post, body, service, inspection) that

1. the curated dataset cites with a quote from that source: the quote is one of the entity's
   own citations (`CITED_IN`), or it supports a relationship the entity is an end of (a `HOLDS`,
   `CONCERNS`, `INSPECTED`… whose `cite_quotes` hold it); and
2. that quote names the entity by its name or one of its aliases, compared without regard to
   case, quote marks, dashes or spacing, as whole words (a caption's qualifier in parentheses,
   as in "Fourth monitoring visit (August 2018)", is not part of the name).

Why both. (1) alone would put in the gold set entities a quote supports without naming them:
"This team provides intensive wraparound support…" supports the edge of care team, but no
linker can be asked to find that team in those words. (2) alone would count any alias that
happens to occur in the text, whether or not the curators read it as that entity ("the board"
is one board in one paragraph and another in the next). Together they ask for what a careful
reader did find by name, which is what a mention linker is for. The test is deliberately
plainer than the linker's (no acronyms defined in the text, no titles, no plurals, no
misspellings), so the gold set does not borrow the linker's cleverness.

What the linker found in a document is the set of entities some passage mentions by name, alias,
acronym or close spelling. Links made through a post to its holder (`post-holder`) are left out
of the comparison: they are inferences, not mentions by name, and the gold set holds mentions by
name. Precision is |found ∩ gold| / |found|, recall |found ∩ gold| / |gold|; the totals add up
the counts of every source.

Read what this measures with care: an entity the text names but the curators never cited from
that source counts against precision, even when the link is right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oversight.graph.schema import schema
from oversight.loaders.documents.linker import LINKED_LABELS, Known

if TYPE_CHECKING:
    from oversight.graph.store import Store

NODE_CITATIONS = (
    "MATCH (n)-[c:CITED_IN]->(s:Source) WHERE s.id IN $sources "
    "RETURN n.id AS node, s.id AS source, c.quote AS quote"
)


def relationship_citations_query() -> str:
    """Citations of every cited relationship type (the types come from the schema)."""
    types = "|".join(r.name for r in schema().reltypes if r.cited)
    return (
        f"MATCH (a)-[r:{types}]->(b) WHERE r.cite_sources IS NOT NULL "
        "RETURN a.id AS start, b.id AS finish, r.cite_sources AS sources, r.cite_quotes AS quotes"
    )


_MARKS = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ", "\u2011": "-"}
)


def plain(text: str) -> str:
    """Case, quote marks, dashes and spacing folded: the gold set's only normalisation."""
    return re.sub(r"\s+", " ", text.translate(_MARKS)).strip().casefold()


def names(known: Known, entity: str) -> set[str]:
    found = known.entities[entity]
    written = {found.name, *found.aliases}
    written |= {re.sub(r"\s*\([^()]*\)\s*$", "", n) for n in written}
    return {plain(n) for n in written if n.strip()}


def names_in(quote: str, forms: Iterable[str]) -> bool:
    text = plain(quote)
    return any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) for form in forms)


def gold_sets(store: Store, known: Known, sources: list[str]) -> dict[str, set[str]]:
    """The gold set of each source (see the module's docstring); {} for uncited sources."""
    quotes: dict[str, list[tuple[str, list[str]]]] = {s: [] for s in sources}
    for row in store.read(NODE_CITATIONS, {"sources": sources}).records():
        if row["quote"]:
            quotes[row["source"]].append((row["quote"], [row["node"]]))
    for row in store.read(relationship_citations_query()).records():
        for source, quote in zip(row["sources"] or [], row["quotes"] or [], strict=False):
            if source in quotes and quote:
                quotes[source].append((quote, [row["start"], row["finish"]]))
    gold: dict[str, set[str]] = {}
    for source, cited in quotes.items():
        if not cited:
            continue
        found: set[str] = set()
        for quote, entities in cited:
            for entity in entities:
                if (
                    entity in known.entities
                    and known.entities[entity].label in LINKED_LABELS
                    and entity not in found
                    and names_in(quote, names(known, entity))
                ):
                    found.add(entity)
        gold[source] = found
    return gold


@dataclass
class Score:
    source: str
    gold: set[str]
    found: set[str]
    missed: set[str] = field(init=False)
    extra: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.missed = self.gold - self.found
        self.extra = self.found - self.gold

    @property
    def hits(self) -> int:
        return len(self.gold & self.found)

    @property
    def precision(self) -> float:
        return self.hits / len(self.found) if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.hits / len(self.gold) if self.gold else 1.0


def total(scores: list[Score]) -> tuple[float, float]:
    """Precision and recall over every source's counts together."""
    hits = sum(s.hits for s in scores)
    found = sum(len(s.found) for s in scores)
    gold = sum(len(s.gold) for s in scores)
    return (hits / found if found else 1.0, hits / gold if gold else 1.0)


def found_by_name(mentions: Iterable[Iterable[object]]) -> set[str]:
    """Entities mentioned by name, alias, acronym or close spelling (not via a post's holder)."""
    return {
        m.entity  # type: ignore[attr-defined]
        for passage in mentions
        for m in passage
        if m.entity and m.method != "post-holder"  # type: ignore[attr-defined]
    }
