"""Name suggestions for the search box and the entity fields of query forms.

Names are compared as graph/resolve.py compares them (`normal`), so a suggestion is a name the
resolver would take; a few close spellings follow the names that contain what was typed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from oversight.graph.resolve import ALL_NAMES, normal
from oversight.graph.store import Store

LIMIT = 10


@dataclass(frozen=True)
class Entry:
    id: str
    label: str
    name: str
    keys: tuple[str, ...]  # the normal forms of its name and aliases


def read_names(store: Store) -> list[Entry]:
    """Every entity's id, label, name and aliases, read once (the store is read-only)."""
    entries = []
    for id_, labels, name, aliases in store.read(ALL_NAMES).rows:
        if id_ is None:
            continue
        label = labels[0] if isinstance(labels, list) else labels
        if label == "Passage":
            continue
        keys = tuple(normal(t) for t in [name or id_, *(aliases or [])])
        entries.append(Entry(id_, label, name or id_, keys))
    return entries


def suggest(
    entries: list[Entry], text: str, labels: tuple[str, ...] = (), limit: int = LIMIT
) -> list[dict[str, str]]:
    """Entities whose id, name or alias holds `text` (those starting with it first), then
    close spellings of a name."""
    wanted = normal(text)
    if not wanted:
        return []
    pool = [e for e in entries if not labels or e.label in labels]
    ranked = []
    for entry in pool:
        keys = (*entry.keys, entry.id.casefold())
        if any(k.startswith(wanted) for k in keys):
            ranked.append((0, entry.name.casefold(), entry))
        elif any(wanted in k for k in keys):
            ranked.append((1, entry.name.casefold(), entry))
    ranked.sort(key=lambda item: item[:2])
    found = [entry for *_, entry in ranked[:limit]]
    if len(found) < limit:
        by_key = {k: e for e in pool for k in e.keys}
        for key in difflib.get_close_matches(wanted, list(by_key), n=limit, cutoff=0.7):
            if by_key[key] not in found and len(found) < limit:
                found.append(by_key[key])
    return [{"id": e.id, "label": e.label, "name": e.name} for e in found]
