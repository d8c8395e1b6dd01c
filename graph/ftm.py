"""How the graph maps onto FollowTheMoney (FtM): ids, schemata, dates and notes.

Pure data and small functions, without the followthemoney library (which only the exporter,
visualise/ftm.py, and the importer, loaders/ftm.py, import, inside their functions). The
mapping and the reasons for it are in docs/ftm.md.

Ids. A node's FtM id is readable and reversible: `person/debbie-jones` is
`oversight-person-debbie-jones`; a character FtM ids do not allow (anything but ASCII letters,
digits and inner `-`) is written `.xx`, one per UTF-8 byte, so `source/a_b.txt` is
`oversight-source-a.5fb.2etxt`. A person, post, body or service imported from another FtM
dataset keeps that dataset's id: its own id is `<prefix>ftm-<their id>` (`person/ftm-Q123`),
and it exports as `Q123` again.
Relationships, citations and mentions become entities of their own, with a hash of our id
(`oversight-<sha1>`), so their ids are as stable as ours.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from oversight.graph.schema import Label, Property, schema

NAMESPACE = "oversight"
FOREIGN = "ftm-"  # the slug of a node imported from another FtM dataset: ftm-<their id>
MAX_ID = 200  # followthemoney's ENTITY_ID_LEN
FTM_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?$")  # followthemoney's rule
_PLAIN = re.compile(r"[0-9A-Za-z-]")
_ESCAPE = re.compile(r"((?:\.[0-9a-f]{2})+)")

# Which FtM schema a node becomes. Body kinds that are public authorities are PublicBody;
# publishers, parties, providers and partners are Organization. A service, team, hub or
# process of a council is part of a public body; schools and academies need not be.
PUBLIC_BODY_KINDS = frozenset(
    {
        "council",
        "inspectorate",
        "government-department",
        "health-commissioner",
        "board",
        "panel",
        "committee",
    }
)
PRIVATE_SERVICE_KINDS = frozenset({"school", "academy"})
NEWS_KINDS = frozenset({"news-report", "local-blog", "provider-news", "press-release"})
NODE_SCHEMATA = {
    "Person": "Person",
    "Post": "Position",
    "Inspection": "Event",
    "Statement": "Event",
    "Judgement": "Note",
    "Finding": "Note",
    "Measure": "Note",
}
# Relationships with an FtM schema of their own; every other one is an UnknownLink.
REL_SCHEMATA = {"HOLDS": "Occupancy", "MEMBER_OF": "Membership"}
REL_ENDS = {"Occupancy": ("holder", "post"), "Membership": ("member", "organization")}

# What an import reads: FtM schema -> the labels its entities may become (the first unless
# the id says otherwise: an Organization exported from a Service comes back a Service).
IMPORTED_NODES = {
    "Person": ("Person",),
    "PublicBody": ("Body", "Service"),
    "Organization": ("Body", "Service"),
    "Company": ("Body",),
    "Position": ("Post",),
}
IMPORTED_RELS = {"Occupancy": "HOLDS", "Membership": "MEMBER_OF"}


def _word(label: Label) -> str:
    return label.prefix.rstrip("/")


def _escape(slug: str) -> str:
    out = []
    for index, char in enumerate(slug):
        last = index == len(slug) - 1
        if _PLAIN.fullmatch(char) and not (char == "-" and last):
            out.append(char)
        else:
            out.extend(f".{byte:02x}" for byte in char.encode("utf-8"))
    return "".join(out)


def _unescape(text: str) -> str | None:
    def byte_run(match: re.Match[str]) -> str:
        hexes = match.group(1).split(".")[1:]
        return bytes(int(h, 16) for h in hexes).decode("utf-8")

    if "." in _ESCAPE.sub("", text):
        return None  # a `.` that is no escape: not one of ours
    try:
        return _ESCAPE.sub(byte_run, text)
    except UnicodeDecodeError:
        return None


def ftm_id(node_id: str) -> str:
    """The FtM id of one of our nodes (see the module's docstring)."""
    label = schema().label_of_id(node_id)
    if label is None:
        raise ValueError(f"'{node_id}' has no known prefix")
    slug = node_id[len(label.prefix) :]
    imported = label.name in {name for names in IMPORTED_NODES.values() for name in names}
    if imported and slug.startswith(FOREIGN) and FTM_ID.match(slug[len(FOREIGN) :]):
        foreign = slug[len(FOREIGN) :]
        if node_id_of(foreign) is None:  # else it would read back as one of ours
            return foreign
    text = f"{NAMESPACE}-{_word(label)}-{_escape(slug)}"
    if len(text) > MAX_ID:
        raise ValueError(f"'{node_id}' is too long for an FtM id ({len(text)} > {MAX_ID})")
    return text


def node_id_of(entity_id: str) -> str | None:
    """Our node id for an FtM id in our namespace (`oversight-person-x`), else None."""
    head = f"{NAMESPACE}-"
    if not entity_id.startswith(head):
        return None
    rest = entity_id[len(head) :]
    for label in schema().labels:
        word = f"{_word(label)}-"
        if rest.startswith(word) and len(rest) > len(word):
            slug = _unescape(rest[len(word) :])
            return None if slug is None else f"{label.prefix}{slug}"
    return None


def foreign_node_id(label: Label, entity_id: str) -> str:
    """The id a node imported from another dataset gets: `<prefix>ftm-<their id>`."""
    return f"{label.prefix}{FOREIGN}{entity_id}"


def node_schema(label: str, properties: dict[str, Any]) -> str:
    """The FtM schema of a node of `label` with these (stored) properties."""
    kind = properties.get("kind")
    if label == "Body":
        return "PublicBody" if kind in PUBLIC_BODY_KINDS else "Organization"
    if label == "Service":
        return "Organization" if kind in PRIVATE_SERVICE_KINDS else "PublicBody"
    if label == "Source":
        return "Document" if kind not in NEWS_KINDS and properties.get("file") else "Article"
    return NODE_SCHEMATA[label]


def link_role(type_name: str) -> str:
    """An UnknownLink's role: the relationship type in words (`HAS_JUDGEMENT`: has judgement)."""
    return type_name.lower().replace("_", " ")


def ftm_date(value: Any, precision: str | None) -> str | None:
    """A stored date at its recorded precision, as FtM writes dates: 2015, 2015-07, 2015-07-01."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    text = value.isoformat()
    return {"year": text[:4], "month": text[:7]}.get(precision or "day", text)


def stored_value(prop: Property, properties: dict[str, Any]) -> Any:
    """A property's value from stored columns; a DATE as FtM text at its precision."""
    value = properties.get(prop.stored)
    if prop.type == "DATE":
        return ftm_date(value, properties.get(f"{prop.name}_precision"))
    if value == [] or value == "":
        return None
    return value


def note_line(name: str, value: Any) -> str:
    """One property FtM has no field for, as a line of text: `capacity: interim`."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        value = int(value)  # 22 children, not 22.0
    elif isinstance(value, list):
        value = "; ".join(map(str, value))
    return f"{name}: {value}"


def parse_note_lines(texts: list[str]) -> dict[str, str]:
    """`key: value` lines (as note_line writes them) from FtM text values; other text is left."""
    found: dict[str, str] = {}
    for text in texts:
        for line in text.splitlines():
            key, sep, value = line.partition(": ")
            if sep and re.fullmatch(r"[a-z_]+", key):
                found.setdefault(key, value)
    return found
