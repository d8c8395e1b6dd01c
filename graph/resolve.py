"""Which entity a person means: an id, a name or an alias, as investigators type them.

One resolver for every place that takes an entity (`explore`, `render`, saved queries' entity
parameters, the notebook API): case and spacing do not matter, a title or a possessive may be
left off ("Ms Debbie Jones", "Ofsted's"), and a small misspelling of one name is forgiven. It
never guesses between several: an ambiguous or unknown name is an error that lists the choices
or the closest names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from oversight.graph.errors import OversightError
from oversight.graph.schema import schema
from oversight.graph.store import Store

ALL_NAMES = (
    "MATCH (n) RETURN n.id AS id, labels(n) AS labels, n.name AS name, n.aliases AS aliases "
    "ORDER BY id"
)
BY_ID = "MATCH (n {id: $id}) RETURN n.id AS id, labels(n) AS labels, n.name AS name"
# How alike a misspelling must be to a name (difflib's ratio) to be taken without asking.
CLOSE_ENOUGH = 0.85
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "cllr", "councillor", "sir", "dame", "prof"}


class ResolveError(OversightError):
    """No entity, or several, answer to the name given."""


@dataclass(frozen=True)
class Match:
    id: str
    name: str
    label: str
    how: str  # "id", "name", "alias", "part of the name", "close to the name"

    def describe(self) -> str:
        return f"{self.id} ({self.name})"


def normal(text: str) -> str:
    """A name as compared: case-folded, possessive and titles off, spaces and quotes evened."""
    text = text.replace("\u2019", "'").casefold().strip()
    text = re.sub(r"'s\b", "", text)
    words = [w for w in re.split(r"[\s.,]+", text) if w]
    while len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words)


def by_id(labels: Sequence[str] = ()) -> str:
    """The look-up by id, in the tables of `labels` only where they are all the schema's
    (LadybugDB then reads those tables, not all eleven: 2.7 -> 0.6 ms at N=153)."""
    if not labels or not set(labels) <= set(schema().label_names):
        return BY_ID
    return BY_ID.replace("(n {", f"(n:{'|'.join(labels)} {{", 1)


def _by_id(store: Store, entity_id: str, labels: Sequence[str]) -> list[tuple]:
    """The rows of the id look-up: first in the table its prefix names (a loaded id's prefix
    is its label), then, if not there, in every table of `labels` (all if none)."""
    guess = schema().label_of_id(entity_id)
    if guess is not None and (not labels or guess.name in labels):
        rows = store.read(by_id([guess.name]), {"id": entity_id}).rows
        if rows:
            return rows
    return store.read(by_id(labels), {"id": entity_id}).rows


def resolve(store: Store, entity: str, labels: Sequence[str] = ()) -> Match:
    """The one entity (of `labels`, if given) whose id, name or alias is `entity`."""
    for i, ls, n in _by_id(store, entity.strip(), labels):  # the usual case: an id
        label = ls[0] if isinstance(ls, list) else ls
        if not labels or label in labels:
            return Match(i, n or i, label, "id")
    rows = [
        (i, ls[0] if isinstance(ls, list) else ls, n or i, list(a or []))
        for i, ls, n, a in store.read(ALL_NAMES).rows
        if i is not None
    ]
    if labels:
        rows = [r for r in rows if r[1] in labels]
    kind = " or ".join(labels) if labels else "entity"
    wanted = normal(entity)
    if not wanted:
        raise ResolveError(f"an empty name does not name any {kind}")
    for i, label, name, _ in rows:
        if i.casefold() == entity.strip().casefold():
            return Match(i, name, label, "id")
    steps: list[tuple[str, list[Match]]] = [
        ("the name", [Match(i, n, lb, "name") for i, lb, n, _ in rows if normal(n) == wanted]),
        (
            "an alias",
            [Match(i, n, lb, "alias") for i, lb, n, a in rows if wanted in map(normal, a)],
        ),
        (
            "part of the name",
            [Match(i, n, lb, "part of the name") for i, lb, n, _ in rows if wanted in normal(n)],
        ),
    ]
    for how, found in steps:
        unique = list({m.id: m for m in found}.values())
        if len(unique) == 1:
            return unique[0]
        if len(unique) > 1:
            choices = "; ".join(m.describe() for m in unique[:10])
            more = f" (and {len(unique) - 10} more)" if len(unique) > 10 else ""
            among = f" ({kind})" if labels else ""
            raise ResolveError(
                f"'{entity}' is {how} of {len(unique)} entities{among}: {choices}{more}; "
                "give one of these ids"
            )
    names = {normal(n): (i, n, lb) for i, lb, n, _ in rows}
    close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.6)
    best = [c for c in close if difflib.SequenceMatcher(None, wanted, c).ratio() >= CLOSE_ENOUGH]
    if len(best) == 1:
        i, n, lb = names[best[0]]
        return Match(i, n, lb, "close to the name")
    hint = (
        "; did you mean " + ", ".join(f"'{names[c][1]}' ({names[c][0]})" for c in close)
        if close
        else ""
    )
    raise ResolveError(f"no {kind} is called '{entity}'{hint}")
