"""The graph as FollowTheMoney entities, one JSON object a line (what `ftm` and Aleph read).

Every node becomes an FtM entity (graph/ftm.py says which schema), every relationship one
more entity (Occupancy, Membership, or an UnknownLink whose role is the type in words), every
node citation a Documentation (the source's Document or Article, the entity, the verbatim
quote as `summary`), and a relationship's citations its `proof` (the sources) and `summary`
(each quote with its source). Passages are the `bodyText` of their source, in order; a
mention of a person or body is a Mention, of anything else an UnknownLink. docs/ftm.md has
the table and what does not map.

Entities are built and checked with the followthemoney library (imported here, inside the
functions, so that `oversight --help` never loads it): a value FtM would refuse, a missing
required property or a reference to an entity not written is an ExportError, never a line
Aleph would reject.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oversight.graph.errors import OversightError
from oversight.graph.ftm import (
    NAMESPACE,
    REL_ENDS,
    REL_SCHEMATA,
    ftm_id,
    link_role,
    node_schema,
    note_line,
    stored_value,
)
from oversight.graph.result import Node, Relationship, Result
from oversight.graph.schema import schema

if TYPE_CHECKING:
    from followthemoney.model import Model
    from followthemoney.proxy import EntityProxy
    from oversight.graph.store import Store

INSTALL = "pip install 'oversight-graph[ftm]'"
CITATIONS = "MATCH (n)-[c:CITED_IN]->(s:Source) WHERE n.id IN $ids RETURN n, c, s ORDER BY c.id"
SOURCES = "MATCH (s:Source) WHERE s.id IN $ids RETURN s"
PASSAGE_SOURCES = (
    "MATCH (p:Passage)-[r:IN_SOURCE]->(s:Source) WHERE p.id IN $ids OR s.id IN $sources "
    "RETURN p, r, s"
)
# Every statement this module sends to a store, with its parameters (for the lint gate).
STATEMENTS: tuple[tuple[str, list[str]], ...] = (
    (CITATIONS, ["ids"]),
    (SOURCES, ["ids"]),
    (PASSAGE_SOURCES, ["ids", "sources"]),
)

# Node properties with an FtM property of the same meaning; the rest become `notes` lines.
COMMON = {"name": "name", "aliases": "alias", "description": "description"}
NODE_PROPERTIES: dict[str, dict[str, str]] = {
    "Person": COMMON,
    "Post": COMMON,
    "Body": {**COMMON, "kind": "classification"},
    "Service": {**COMMON, "kind": "classification"},
    "Inspection": {**COMMON, "start": "startDate", "end": "endDate", "focus": "summary"},
    "Judgement": {**COMMON, "description": "summary"},
    "Finding": {**COMMON, "text": "description", "description": "summary"},
    "Measure": {**COMMON, "description": "summary"},
    "Statement": {**COMMON, "date": "date", "text": "summary"},
    "Source": {
        **COMMON,
        "title": "title",
        "publisher": "publisher",
        "author": "author",
        "published": "publishedAt",
        "file": "fileName",
        "url": "sourceUrl",
    },
}
# Relationship properties that FtM holds natively; the rest become `description` lines.
REL_PROPERTIES = {"start": "startDate", "end": "endDate", "role": "role"}
SKIPPED = {"id", "cite_sources", "cite_quotes", "cite_refs"}


class ExportError(OversightError):
    """The FtM file could not be made or written."""


def ftm_model() -> Model:
    """followthemoney's model, or an error saying how to install it."""
    try:
        from followthemoney import model
    except ImportError as error:
        raise ExportError(f"the ftm format needs the followthemoney library: {INSTALL}") from error
    return model


def complete(store: Store, result: Result) -> Result:
    """`result` with what its FtM entities refer to: its nodes' citations and their sources,
    the sources its relationships cite, and the passages (and sources) of its mentions."""
    nodes = dict(result.nodes)
    rels = dict(result.relationships)

    def add(part: Result) -> None:
        nodes.update(part.nodes)
        rels.update(part.relationships)

    cited = sorted(n.id for n in nodes.values() if n.label not in ("Source", "Passage"))
    if cited:
        add(store.read(CITATIONS, {"ids": cited}))
    wanted = {s for r in rels.values() for s in r.properties.get("cite_sources") or []}
    missing = sorted(wanted - set(nodes))
    if missing:
        add(store.read(SOURCES, {"ids": missing}))
    passages = sorted(n.id for n in nodes.values() if n.label == "Passage")
    sources = sorted(n.id for n in nodes.values() if n.label == "Source")
    if passages or sources:
        add(store.read(PASSAGE_SOURCES, {"ids": passages, "sources": sources}))
    return Result(columns=[], rows=[], nodes=nodes, relationships=rels)


class _Builder:
    def __init__(self, model: Model, result: Result) -> None:
        self.model = model
        self.schema = schema()
        self.result = result
        self.entities: dict[str, EntityProxy] = {}
        self.sources_of_passages = {
            r.start: r.end for r in result.relationships.values() if r.type == "IN_SOURCE"
        }

    # --- helpers ------------------------------------------------------------------------

    def make(self, schema_name: str, entity_id: str, what: str) -> EntityProxy:
        entity = self.model.make_entity(schema_name)
        entity.id = entity_id
        if entity_id in self.entities:
            raise ExportError(f"{what}: two entities would have the id {entity_id}")
        self.entities[entity_id] = entity
        return entity

    def put(self, entity: EntityProxy, prop: str, values: Any, what: str) -> None:
        """Add values to a property; a value FtM would not keep is an error, not a loss."""
        from followthemoney.util import sanitize_text

        prop_ = entity.schema.properties[prop]
        for value in values if isinstance(values, list) else [values]:
            text = sanitize_text(None if value is None else str(value))
            if not text:
                continue
            valid = prop_.type.validate(text) and len(text) <= prop_.max_length
            if not valid or entity.unsafe_add(prop_, text) is None:  # None: cleaned away
                raise ExportError(f"{what}: FtM's {entity.schema.name}.{prop} cannot hold {text!r}")

    def exported(self, node_id: str) -> bool:
        node = self.result.nodes.get(node_id)
        return node is not None and node.label != "Passage"

    # --- nodes --------------------------------------------------------------------------

    def node(self, node: Node) -> None:
        label = self.schema.label(node.label)
        props = node.properties
        entity = self.make(node_schema(node.label, props), ftm_id(node.id), node.id)
        mapped = NODE_PROPERTIES[node.label]
        notes: list[str] = []
        for prop in self.schema.node_properties(label):
            value = stored_value(prop, props)
            if value is None or prop.name == "id":
                continue
            if prop.name in mapped:
                self.put(entity, mapped[prop.name], value, node.id)
            else:
                notes.append(note_line(prop.name, value))
        if node.label in ("Judgement", "Measure"):  # a Note's caption is its description
            self.put(entity, "description", props.get("name"), node.id)
        self.put(entity, "notes", "\n".join(notes), node.id)

    def body_texts(self) -> None:
        """Each source's passages, in order, as its Document's text."""
        texts: dict[str, list[tuple[int, str]]] = {}
        for rel in self.result.relationships.values():
            passage = self.result.nodes.get(rel.start)
            if rel.type != "IN_SOURCE" or passage is None or rel.end not in self.result.nodes:
                continue
            ordinal = passage.properties.get("ordinal") or rel.properties.get("ordinal") or 0
            texts.setdefault(rel.end, []).append((ordinal, passage.properties.get("text") or ""))
        for source, paragraphs in texts.items():
            entity = self.entities[ftm_id(source)]
            self.put(entity, "bodyText", "\n\n".join(t for _, t in sorted(paragraphs)), source)

    # --- relationships ------------------------------------------------------------------

    def relationship(self, rel: Relationship) -> None:
        if rel.type == "IN_SOURCE":
            return  # the passage's text is in its source's bodyText
        if rel.type == "MENTIONS":
            self.mention(rel)
            return
        if not (self.exported(rel.start) and self.exported(rel.end)):
            return  # an end outside the export: no dangling reference
        if rel.type == "CITED_IN":
            self.citation(rel)
            return
        kind = REL_SCHEMATA.get(rel.type, "UnknownLink")
        entity = self.make(kind, element_id(rel.id), rel.id)
        start, end = REL_ENDS.get(kind, ("subject", "object"))
        self.put(entity, start, ftm_id(rel.start), rel.id)
        self.put(entity, end, ftm_id(rel.end), rel.id)
        if kind == "UnknownLink":
            self.put(entity, "role", link_role(rel.type), rel.id)
        lines: list[str] = []
        for prop in self.schema.rel_properties(self.schema.reltype(rel.type)):
            value = stored_value(prop, rel.properties)
            if value is None or prop.name in SKIPPED:
                continue
            native = REL_PROPERTIES.get(prop.name)
            if native and not (native == "role" and kind == "UnknownLink"):
                self.put(entity, native, value, rel.id)
            elif prop.name in ("stance", "status") and kind == "UnknownLink":
                self.put(entity, "status", value, rel.id)
            else:
                lines.append(note_line(prop.name, value))
        self.put(entity, "description", "\n".join(lines), rel.id)
        self.relationship_citations(entity, rel)

    def relationship_citations(self, entity: EntityProxy, rel: Relationship) -> None:
        props = rel.properties
        sources = props.get("cite_sources") or []
        quotes = props.get("cite_quotes") or [""] * len(sources)
        refs = props.get("cite_refs") or [""] * len(sources)
        for source, quote, ref in zip(sources, quotes, refs, strict=False):
            node = self.result.nodes.get(source)
            if node is None:
                raise ExportError(f"{rel.id}: cites {source}, which is not in the store")
            self.put(entity, "proof", ftm_id(source), rel.id)
            title = node.properties.get("title") or node.name
            where = f"{title}, {ref}" if ref else title
            self.put(entity, "summary", f"“{quote}” ({where})" if quote else where, rel.id)

    def citation(self, rel: Relationship) -> None:
        """A node's citation: a Documentation of the entity by the source's document."""
        props = rel.properties
        entity = self.make("Documentation", element_id(rel.id), rel.id)
        self.put(entity, "document", ftm_id(rel.end), rel.id)
        self.put(entity, "entity", ftm_id(rel.start), rel.id)
        self.put(entity, "role", "citation", rel.id)
        self.put(entity, "summary", props.get("quote"), rel.id)
        lines = [note_line("ref", props["ref"])] if props.get("ref") else []
        if props.get("reports"):
            reported = self.result.nodes.get(props["reports"])
            name = reported.name if reported else props["reports"]
            lines.append(note_line("reports", f"{name} ({props['reports']})"))
        if props.get("opinion"):
            lines.append(note_line("opinion", True))
        self.put(entity, "description", "\n".join(lines), rel.id)

    def mention(self, rel: Relationship) -> None:
        """A passage naming a known entity: a Mention in the passage's source document."""
        source = self.sources_of_passages.get(rel.start)
        target = self.result.nodes.get(rel.end)
        if source is None or source not in self.result.nodes or not self.exported(rel.end):
            return
        assert target is not None
        props = rel.properties
        surface = props.get("surface") or target.name
        key = f"{source}|MENTIONS|{rel.end}|{surface}"  # one per document and wording
        if element_id(key) in self.entities:
            return
        target_schema = self.entities[ftm_id(rel.end)].schema
        if target_schema.is_a("LegalEntity"):
            entity = self.make("Mention", element_id(key), rel.id)
            self.put(entity, "document", ftm_id(source), rel.id)
            self.put(entity, "name", surface, rel.id)
            self.put(entity, "resolved", ftm_id(rel.end), rel.id)
            self.put(entity, "detectedSchema", target_schema.name, rel.id)
            return
        entity = self.make("UnknownLink", element_id(key), rel.id)  # FtM resolves only names
        self.put(entity, "subject", ftm_id(source), rel.id)
        self.put(entity, "object", ftm_id(rel.end), rel.id)
        self.put(entity, "role", "mentions", rel.id)
        lines = [note_line(k, props[k]) for k in ("surface", "method", "score") if k in props]
        self.put(entity, "description", "\n".join(lines), rel.id)

    # --- checks ---------------------------------------------------------------------------

    def check(self) -> None:
        """What an FtM consumer checks: required properties, valid values, no dangling ids."""
        from followthemoney.exc import InvalidData

        for entity in self.entities.values():
            data = entity.to_dict()
            try:
                entity.schema.validate(data)
            except InvalidData as error:
                raise ExportError(f"{entity.id}: {error}") from error
            for name in entity.schema.required:
                if not entity.get(name):
                    raise ExportError(f"{entity.id}: {entity.schema.name} needs `{name}`")
            for prop, value in entity.itervalues():
                if prop.type.name == "entity" and value not in self.entities:
                    raise ExportError(f"{entity.id}: {prop.name} refers to {value}, not written")


def element_id(our_id: str) -> str:
    """The FtM id of an entity made from a relationship, citation or mention of ours."""
    from followthemoney.util import make_entity_id

    return f"{NAMESPACE}-{make_entity_id(our_id, key_prefix=NAMESPACE)}"


def entities(result: Result) -> list[EntityProxy]:
    """The FtM entities of a result (complete it first: `complete`), sorted by id."""
    builder = _Builder(ftm_model(), result)
    for node in sorted(result.nodes.values(), key=lambda n: n.id):
        if node.label != "Passage":
            builder.node(node)
    builder.body_texts()
    for rel in sorted(result.relationships.values(), key=lambda r: r.id):
        builder.relationship(rel)
    builder.check()
    return [builder.entities[key] for key in sorted(builder.entities)]


def lines(found: Iterable[EntityProxy]) -> Iterable[str]:
    """One JSON object a line: `id`, `schema`, `properties` (keys sorted), as `ftm` writes."""
    for entity in found:
        data = {"id": entity.id, "schema": entity.schema.name}
        data["properties"] = {k: v for k, v in sorted(entity.properties.items())}
        yield json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_ftm(result: Result, path: Path) -> int:
    """Write the FtM entities of `result` to `path`; the number of entities written."""
    found = entities(result)
    try:
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(lines(found))
    except OSError as error:
        raise ExportError(f"{path}: cannot write: {error.strerror or error}") from error
    return len(found)
