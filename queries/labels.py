"""Label slots: an entity parameter's label written into an engine's own text.

A label on a pattern's node lets the planner start from one table (LadybugDB) or one
label's id constraint (Neo4j) instead of every node, but a saved query whose entity parameter
may be of any label cannot spell it.
In an engine's text (`ENGINE/NAME.cypher`) a backquoted name `{PARAM}` after a colon,
`(a:`{from_id}` {id: $from_id})`, is a slot: the runner fills it with the label of the entity
PARAM resolved to. What fills it is one of the schema's labels, never text from the user;
where no schema label is known, the portable text runs instead, and it answers the same.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from oversight.graph import gate

_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class SlotError(ValueError):
    """A slot written where it cannot be filled; `line` is its line in the text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Slot:
    start: int  # the opening backquote
    end: int  # after the closing one
    param: str
    line: int


def find_slots(text: str, entity_params: Collection[str]) -> tuple[Slot, ...]:
    """The slots of a gated text; SlotError for one that is not a label or names no required
    entity parameter (an optional one may be null, and null has no label)."""
    tokens = gate.tokenize(text)
    slots = []
    for before, token in zip([None, *tokens], tokens, strict=False):
        found = _SLOT.fullmatch(token.text) if token.kind == "name" else None
        if found is None:
            continue
        param = found.group(1)
        if before is None or before.kind != "punct" or before.text != ":":
            raise SlotError(token.line, f"`{token.text}` is a label slot: write it after a colon")
        if param not in entity_params:
            raise SlotError(
                token.line, f"label slot `{token.text}`: {param} is not a required entity param"
            )
        end = text.index("`", token.start + 1) + 1
        slots.append(Slot(token.start, end, param, token.line))
    return tuple(slots)


def fill(
    text: str, slots: tuple[Slot, ...], labels: Mapping[str, str], known: Collection[str]
) -> str | None:
    """The text with each slot's label, or None if a parameter has no label in `known`."""
    parts, last = [], 0
    for slot in slots:
        label = labels.get(slot.param)
        if label not in known:
            return None
        parts += [text[last : slot.start], label]
        last = slot.end
    return "".join(parts) + text[last:]
