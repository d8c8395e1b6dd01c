"""FollowTheMoney entities (JSON lines) into the graph: people, bodies, positions, tenures and
memberships, each cited to the FtM file they came from.

What is read: Person -> Person; PublicBody, Organization, Company -> Body (a Service when the
id is one of ours for a service); Position -> Post; Occupancy -> HOLDS (holder, post,
startDate, endDate at the precision written); Membership -> MEMBER_OF (member, organization,
role). Any other schema, known to FtM or not, is counted and skipped: the summary says how
many of each.

Provenance: the file is one Source, `source/ftm-<dataset>` (the dataset is the one name every
entity's `datasets` gives, else the file's name), with the file's sha256 as `content_hash`
and reliability `reporting`: an FtM dataset is its publisher's compilation. Every element the
import writes or links cites that Source with `ref` = the FtM entity's id, and its `basis`
follows from that citation by the model's own rule (loaders/dataset.py `basis`).

Linking ("the same person"): an entity whose id is one of ours (`oversight-person-x`, as
`oversight export --format ftm` writes) is that node. Otherwise a node imported earlier from
the same FtM id (`person/ftm-<id>`) is it. Otherwise, when the entity's normalised name
(case, accents, punctuation and a leading title such as Cllr or Ms do not count) is the name
or an alias of exactly one known node of its kind, it is that node: the import reuses its id
(there is no SAME_AS relationship; one node is one entity). A name that fits several known
nodes links to none of them: a new node, counted as ambiguous. A node linked this way keeps
its name, aliases and properties; it gains the citation (and a stronger `basis` if the
citation is stronger). A relationship that is already in the store keeps its values, gains
what it lacked and the citation; one whose values contradict the store's is an error.

Strict, like every load: the whole file is read and checked before anything is written
(one transaction), and the first problem is one error, `file:line: message`. A line must be a
JSON object with a known `schema`; an imported entity must have a valid FtM id, only
properties its schema has (none that FtM sets from the other side), values FtM's types
accept, its required properties, and references to entities in the file or the store.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oversight.graph.errors import OversightError
from oversight.graph.ftm import (
    FTM_ID,
    IMPORTED_NODES,
    IMPORTED_RELS,
    NAMESPACE,
    foreign_node_id,
    node_id_of,
    parse_note_lines,
)
from oversight.graph.inputs import InputError, loads, read_file
from oversight.graph.schema import Label, RelType, schema, stored_columns
from oversight.loaders.dataset import (
    BASIS_ORDER,
    Cite,
    Dataset,
    DatasetError,
    NodeRecord,
    Where,
    basis,
)
from oversight.loaders.records import first_error, node_model, parse_date, rel_model, stored_values
from pydantic import ValidationError

if TYPE_CHECKING:
    from followthemoney.model import Model
    from followthemoney.proxy import EntityProxy
    from oversight.graph.store import Store

MAX_BYTES = 256 * 1024 * 1024
INSTALL = "pip install 'oversight-graph[ftm]'"
RELIABILITY = "reporting"
KNOWN = "MATCH (n:Person|Post|Body|Service) RETURN n"
RELATIONSHIPS = "MATCH ()-[r:HOLDS|MEMBER_OF]->() WHERE r.id IN $ids RETURN r"
# Every statement this module sends to a store, with its parameters (for the lint gate).
STATEMENTS: tuple[tuple[str, list[str]], ...] = ((KNOWN, []), (RELATIONSHIPS, ["ids"]))

# Titles before a person's name that do not make another person.
TITLES = frozenset(
    {"cllr", "councillor", "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady"}
    | {"baroness", "professor", "prof", "rev", "reverend", "hon", "mayor"}
)
NAME_PROPERTIES = ("name", "alias", "abbreviation", "previousName", "weakAlias")
# Node properties an entity of ours carries in FtM fields of their own (the rest are lines).
NATIVE = {"id", "name", "aliases", "description", "basis", "kind"}
NodeRows = dict[str, list[dict[str, Any]]]
RelRows = dict[tuple[str, str, str], list[dict[str, Any]]]


class FtmUnavailable(OversightError):
    """followthemoney is not installed."""


def ftm_model() -> Model:
    try:
        from followthemoney import model
    except ImportError as error:
        raise FtmUnavailable(f"FtM import needs the followthemoney library: {INSTALL}") from error
    return model


def normal_name(text: str, person: bool = False) -> str:
    """A name as compared: case, accents, punctuation and spacing folded (normality);
    for a person, leading titles off (`Cllr. Rachael Saunders` is `rachael saunders`)."""
    from normality import normalize

    words = (normalize(text, lowercase=True, ascii=True) or "").split()
    while person and len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    return " ".join(words)


@dataclass
class Entity:
    """One FtM entity the import reads, and the line it started on."""

    proxy: EntityProxy
    line: int

    @property
    def ours(self) -> bool:
        """Written by `oversight export --format ftm`: its lines of our properties are read."""
        return self.proxy.id.startswith(f"{NAMESPACE}-")


@dataclass
class Imported:
    """What an FtM file adds to the store, ready for Store.load, and what it says about it."""

    path: Path
    source: str
    nodes: NodeRows
    relationships: RelRows
    created: Counter[str] = field(default_factory=Counter)  # label -> new nodes
    linked: Counter[str] = field(default_factory=Counter)  # label -> existing nodes reused
    ambiguous: list[str] = field(default_factory=list)  # FtM ids whose name fits several
    rels: Counter[str] = field(default_factory=Counter)  # type -> relationships
    skipped: Counter[str] = field(default_factory=Counter)  # FtM schema -> entities skipped
    unknown: Counter[str] = field(default_factory=Counter)  # schema FtM does not know -> count

    def summary(self) -> list[str]:
        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{n} {name}" for name, n in sorted(counter.items())) or "none"

        found = [
            f"imported from {self.path.name} as {self.source}: nodes new {counts(self.created)}; "
            f"linked to existing {counts(self.linked)}; relationships {counts(self.rels)}"
        ]
        if self.ambiguous:
            found.append(
                f"{len(self.ambiguous)} names fit several known nodes and were kept apart: "
                + ", ".join(self.ambiguous[:5])
                + (" ..." if len(self.ambiguous) > 5 else "")
            )
        skipped = self.skipped + self.unknown
        if skipped:
            found.append(
                f"skipped {sum(skipped.values())} entities of schemata not imported: "
                f"{counts(skipped)}"
                + (
                    f" (not FtM schemata: {', '.join(sorted(self.unknown))})"
                    if self.unknown
                    else ""
                )
            )
        return found


# --- reading the file ----------------------------------------------------------------------


class _Reader:
    def __init__(self, model: Model, path: Path) -> None:
        self.model, self.path = model, path
        self.entities: dict[str, Entity] = {}
        self.skipped: Counter[str] = Counter()
        self.unknown: Counter[str] = Counter()
        self.datasets: set[tuple[str, ...]] = set()
        self.skipped_ids: dict[str, str] = {}  # id -> schema, of entities not imported

    def error(self, line: int, message: str) -> DatasetError:
        return DatasetError(Where(self.path, line), message)

    def read(self, data: bytes) -> None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise self.error(line, "not UTF-8 text; FtM files are UTF-8 JSON lines") from error
        for number, raw in enumerate(text.split("\n"), start=1):
            if raw.strip():
                self.line(number, raw)

    def line(self, number: int, raw: str) -> None:
        try:
            value = loads(raw)
        except json.JSONDecodeError as error:
            message = getattr(error, "message", None) or error.msg
            raise self.error(number, f"not a JSON object: {message}") from None
        if not isinstance(value, dict):
            raise self.error(number, "expected a JSON object (an FtM entity), one a line")
        name = value.get("schema")
        if not isinstance(name, str) or not name:
            raise self.error(number, "an FtM entity needs a `schema`")
        schema_ = self.model.get(name)
        if schema_ is None:
            self.unknown[name] += 1
            return
        if name not in IMPORTED_NODES and name not in IMPORTED_RELS:
            self.skipped[name] += 1
            if isinstance(value.get("id"), str):
                self.skipped_ids[value["id"]] = name
            return
        self.entity(number, value, schema_)

    def entity(self, number: int, value: dict[str, Any], schema_: Any) -> None:
        from followthemoney.exc import InvalidData

        entity_id = value.get("id")
        if not isinstance(entity_id, str) or not FTM_ID.match(entity_id) or len(entity_id) > 200:
            raise self.error(number, f"{schema_.name}: `id` {entity_id!r} is not an FtM id")
        properties = value.get("properties", {})
        if not isinstance(properties, dict):
            raise self.error(number, f"{entity_id}: `properties` must be an object")
        clean: dict[str, list[str]] = {}
        for prop_name, values in properties.items():
            prop = schema_.get(prop_name)
            if prop is None:
                raise self.error(
                    number, f"{entity_id}: {schema_.name} has no property '{prop_name}'"
                )
            if prop.stub:
                raise self.error(
                    number,
                    f"{entity_id}: {schema_.name}.{prop_name} is set from the other entity, "
                    "not written",
                )
            values = values if isinstance(values, list) else [values]
            for item in values:
                if not isinstance(item, str) or prop.validate([item]) is not None:
                    raise self.error(
                        number,
                        f"{entity_id}: {schema_.name}.{prop_name}: {item!r} is not a valid "
                        f"{prop.type.name}",
                    )
            clean[prop_name] = values
        data = {"id": entity_id, "schema": schema_.name, "properties": clean}
        try:
            proxy = self.model.get_proxy(data, cleaned=False)
        except InvalidData as error:
            raise self.error(number, f"{entity_id}: {error}") from None
        for required in sorted(schema_.required):
            if not proxy.get(required):
                raise self.error(number, f"{entity_id}: {schema_.name} needs `{required}`")
        datasets = value.get("datasets")
        if isinstance(datasets, list) and all(isinstance(d, str) for d in datasets):
            self.datasets.add(tuple(sorted(datasets)))
        else:
            self.datasets.add(())
        known = self.entities.get(entity_id)
        if known is None:
            self.entities[entity_id] = Entity(proxy, number)
            return
        try:  # fragments of one entity, as FtM streams may hold them
            known.proxy.merge(proxy)
        except InvalidData as error:
            raise self.error(
                number, f"{entity_id}: cannot merge with line {known.line}: {error}"
            ) from None

    def dataset_name(self) -> str:
        names = {d for d in self.datasets if d}
        if len(names) == 1 and () not in self.datasets and len(next(iter(names))) == 1:
            return next(iter(names))[0]
        stem = self.path.name
        for suffix in (".json", ".jsonl", ".ijson", ".ftm", ".ndjson"):
            stem = stem.removesuffix(suffix)
        return stem.removesuffix(".ftm") or self.path.name


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "dataset"


# --- into the graph -------------------------------------------------------------------------


class _Importer:
    def __init__(self, reader: _Reader, store: Store, digest: str) -> None:
        self.reader, self.store = reader, store
        self.schema = schema()
        self.dataset = reader.dataset_name()
        self.source = f"source/ftm-{_slug(self.dataset)}"
        self.source_row = self._source_row(digest)
        source_label = self.schema.label("Source")
        record = NodeRecord(
            self.source, source_label, {"reliability": RELIABILITY}, Where(reader.path, 0)
        )
        self.cite_context = Dataset(nodes={self.source: record})
        self.known: dict[str, Any] = {}  # our id -> stored Node
        self.names: dict[tuple[str, str], set[str]] = {}  # (label, normal name) -> ids
        self.ids: dict[str, str] = {}  # FtM id -> our id
        self.result = Imported(reader.path, self.source, {}, {})
        self.result.skipped, self.result.unknown = reader.skipped, reader.unknown

    def _source_row(self, digest: str) -> dict[str, Any]:
        title = f"FollowTheMoney dataset {self.dataset}"
        values = {
            "name": title,
            "title": title,
            "kind": "other",
            "reliability": RELIABILITY,
            "description": f"FollowTheMoney entities imported from {self.reader.path.name}",
            "content_hash": digest,
        }
        label = self.schema.label("Source")
        row = stored_values(self.schema.node_properties(label), values)
        row["id"] = self.source
        return row

    def cite(self, entity: Entity) -> Cite:
        return Cite(
            self.source, None, entity.proxy.id, None, False, Where(self.reader.path, entity.line)
        )

    def error(self, entity: Entity, message: str) -> DatasetError:
        return DatasetError(Where(self.reader.path, entity.line), f"{entity.proxy.id}: {message}")

    # --- nodes --------------------------------------------------------------------------

    def load_known(self) -> None:
        for (node,) in self.store.read(KNOWN).rows:
            self.known[node.id] = node
            person = node.label == "Person"
            for name in [node.properties.get("name"), *(node.properties.get("aliases") or [])]:
                if name:
                    key = (node.label, normal_name(name, person))
                    self.names.setdefault(key, set()).add(node.id)

    def resolve(self, entity: Entity) -> tuple[str, Label, bool]:
        """Our id for a node entity, its label, and whether the store already has it."""
        proxy = entity.proxy
        labels = IMPORTED_NODES[proxy.schema.name]
        ours = node_id_of(proxy.id)
        if ours is not None:
            label = self.schema.label_of_id(ours)
            if label is None or label.name not in labels:
                raise self.error(
                    entity,
                    f"the id names a {label.name if label else '?'}, not a {proxy.schema.name}",
                )
            return ours, label, ours in self.known
        label = self.schema.label(labels[0])
        foreign = foreign_node_id(label, proxy.id)
        if foreign in self.known:
            return foreign, label, True
        person = label.name == "Person"
        wanted = {normal_name(n, person) for n in proxy.get("name")}
        matches = sorted(
            {i for lbl in labels for name in wanted for i in self.names.get((lbl, name), ())}
        )
        if len(matches) == 1:
            found = self.schema.label_of_id(matches[0])
            assert found is not None
            return matches[0], found, True
        if len(matches) > 1:
            self.result.ambiguous.append(f"{proxy.caption} ({proxy.id}: {', '.join(matches)})")
        return foreign, label, False

    def node(self, entity: Entity) -> None:
        node_id, label, exists = self.resolve(entity)
        self.ids[entity.proxy.id] = node_id
        cite = self.cite(entity)
        strength = basis([cite], self.cite_context)
        if exists:
            self.result.linked[label.name] += 1
            self._relink(node_id, label, strength)
        else:
            self.result.created[label.name] += 1
            row = stored_values(self.schema.node_properties(label), self.values(entity, label))
            row["id"], row["basis"] = node_id, strength
            self.result.nodes.setdefault(label.name, []).append(row)
            self.known[node_id] = None  # a second entity with this id merges into this node
        self.result.relationships.setdefault(("CITED_IN", label.name, "Source"), []).append(
            {
                "id": f"{node_id}|CITED_IN|{self.source}|{entity.proxy.id}",
                "from_id": node_id,
                "to_id": self.source,
                "quote": None,
                "ref": entity.proxy.id,
                "reports": None,
                "opinion": False,
            }
        )

    def values(self, entity: Entity, label: Label) -> dict[str, Any]:
        proxy = entity.proxy
        name = proxy.caption
        aliases = [n for p in NAME_PROPERTIES for n in proxy.get(p, quiet=True) if n != name]
        values: dict[str, Any] = {"name": name, "aliases": list(dict.fromkeys(aliases)) or None}
        values["description"] = "\n".join(proxy.get("description", quiet=True)) or None
        kinds = [k for k in proxy.get("classification", quiet=True) if k]
        kind_prop = next((p for p in label.properties if p.name == "kind"), None)
        if kind_prop and kinds and kinds[0] in kind_prop.choices:
            values["kind"] = kinds[0]
        if entity.ours:  # our other properties, written as `name: value` notes lines
            lines = parse_note_lines(proxy.get("notes", quiet=True))
            for prop in self.schema.node_properties(label):
                if prop.name not in NATIVE and prop.name in lines:
                    values[prop.name] = lines[prop.name]
        values = {k: v for k, v in values.items() if v is not None}
        try:
            return node_model(label.name)(**values).model_dump(exclude_none=True)
        except ValidationError as error:
            raise self.error(entity, f"{label.name}: {_message(error)}") from None

    def _relink(self, node_id: str, label: Label, strength: str) -> None:
        """An existing node keeps its values; its basis becomes the stronger of the two."""
        node = self.known.get(node_id)
        if node is None:  # created earlier in this file
            return
        current = node.properties.get("basis")
        if _stronger(current, strength) == current:
            return
        columns = stored_columns(self.schema.node_properties(label))
        row = {name: node.properties.get(name) for name, _ in columns}
        row["id"], row["basis"] = node_id, strength
        rows = self.result.nodes.setdefault(label.name, [])
        if not any(r["id"] == node_id for r in rows):
            rows.append(row)

    # --- relationships --------------------------------------------------------------------

    def end(self, entity: Entity, prop: str) -> str:
        """Our id for the entity a reference names: in the file, or in the store."""
        refs = entity.proxy.get(prop)
        if len(refs) != 1:
            raise self.error(
                entity, f"{entity.proxy.schema.name} needs one `{prop}`, not {len(refs)}"
            )
        ref = refs[0]
        if ref in self.ids:
            return self.ids[ref]
        if ref in self.reader.skipped_ids:
            kind = self.reader.skipped_ids[ref]
            raise self.error(entity, f"{prop} {ref} is a {kind}, which is not imported")
        ours = node_id_of(ref)
        candidates = [ours] if ours else []
        candidates += [foreign_node_id(lbl, ref) for lbl in self.schema.labels]
        for candidate in candidates:
            if candidate in self.known:
                return candidate
        raise self.error(entity, f"{prop} {ref} is neither in the file nor in the store")

    def relationship(
        self, entity: Entity, pending: dict[str, tuple[dict[str, Any], Entity]]
    ) -> None:
        proxy = entity.proxy
        reltype = self.schema.reltype(IMPORTED_RELS[proxy.schema.name])
        if reltype.name == "HOLDS":
            start, end = self.end(entity, "holder"), self.end(entity, "post")
        else:
            start, end = self.end(entity, "member"), self.end(entity, "organization")
        start_label = self.schema.label_of_id(start)
        end_label = self.schema.label_of_id(end)
        assert start_label is not None and end_label is not None
        if not reltype.allows(start_label.name, end_label.name):
            raise self.error(
                entity,
                f"{reltype.name} cannot join {start_label.name} '{start}' -> "
                f"{end_label.name} '{end}'",
            )
        values = self.rel_values(entity, reltype)
        rel_id = f"{start}|{reltype.name}|{end}"
        if values.get("start"):
            rel_id += f"|{values['start'][0].isoformat()}"
        row = stored_values(self.schema.rel_properties(reltype), values)
        row |= {"id": rel_id, "from_id": start, "to_id": end}
        known = pending.get(rel_id)
        if known is not None:
            if _clash(reltype, known[0], row):
                raise self.error(
                    entity, f"{reltype.name} {start} -> {end} conflicts with line {known[1].line}"
                )
            _fill(reltype, known[0], row)
            known[0]["_cites"].append(self.cite(entity))
            return
        row["_cites"] = [self.cite(entity)]
        row["_key"] = (reltype.name, start_label.name, end_label.name)
        pending[rel_id] = (row, entity)

    def rel_values(self, entity: Entity, reltype: RelType) -> dict[str, Any]:
        proxy = entity.proxy
        values: dict[str, Any] = {}
        names = {p.name for p in reltype.properties}
        starts = sorted(proxy.get("startDate"))
        ends = sorted(proxy.get("endDate"))
        if starts and "start" in names:
            values["start"] = _date(starts[0])
        if ends and "end" in names:
            values["end"] = _date(ends[-1])
        if "role" in names and proxy.get("role"):
            values["role"] = "; ".join(proxy.get("role"))
        if entity.ours:
            lines = parse_note_lines(proxy.get("description"))
            for name in names - set(values) - {"id"}:
                if name in lines:
                    values[name] = lines[name]
        try:
            return rel_model(reltype)(**values).model_dump(exclude_none=True)
        except ValidationError as error:
            raise self.error(entity, f"{reltype.name}: {_message(error)}") from None

    def finish_relationships(self, pending: dict[str, tuple[dict[str, Any], Entity]]) -> None:
        existing = {}
        if pending:
            for (rel,) in self.store.read(RELATIONSHIPS, {"ids": sorted(pending)}).rows:
                existing[rel.id] = rel
        for rel_id, (row, entity) in pending.items():
            key, cites = row.pop("_key"), row.pop("_cites")
            reltype = self.schema.reltype(key[0])
            old = existing.get(rel_id)
            if old is not None:
                stored = {"id": rel_id, "from_id": row["from_id"], "to_id": row["to_id"]}
                stored |= {
                    n: old.properties.get(n)
                    for n, _ in stored_columns(self.schema.rel_properties(reltype))
                    if n != "id"
                }
                if _clash(reltype, stored, row):
                    raise self.error(
                        entity, f"{reltype.name} '{rel_id}' conflicts with the store's"
                    )
                _fill(reltype, stored, row)
                row = stored
            sources = list(row.get("cite_sources") or [])
            quotes = list(row.get("cite_quotes") or [""] * len(sources))
            refs = list(row.get("cite_refs") or [""] * len(sources))
            for cite in cites:
                if (cite.source, cite.ref) not in set(zip(sources, refs, strict=False)):
                    sources.append(cite.source)
                    quotes.append("")
                    refs.append(cite.ref or "")
            row["cite_sources"], row["cite_quotes"], row["cite_refs"] = sources, quotes, refs
            strength = basis(cites, self.cite_context)
            row["basis"] = _stronger(row.get("basis"), strength)
            self.result.relationships.setdefault(key, []).append(row)
            self.result.rels[reltype.name] += 1

    def run(self) -> Imported:
        self.load_known()
        entities = sorted(self.reader.entities.values(), key=lambda e: e.line)
        for entity in entities:
            if entity.proxy.schema.name in IMPORTED_NODES:
                self.node(entity)
        pending: dict[str, tuple[dict[str, Any], Entity]] = {}
        for entity in entities:
            if entity.proxy.schema.name in IMPORTED_RELS:
                self.relationship(entity, pending)
        self.finish_relationships(pending)
        self.result.nodes.setdefault("Source", []).insert(0, self.source_row)
        return self.result


def _stronger(current: str | None, other: str) -> str:
    """The stronger of two bases (primary > reported > statement > opinion)."""
    if current not in BASIS_ORDER:
        return other
    return min(current, other, key=BASIS_ORDER.index)


def _date(text: str) -> Any:
    return parse_date(text[:10])


def _message(error: ValidationError) -> str:
    return first_error(error)[1]


def _clash(reltype: RelType, old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Both give a value for one of the type's own properties, and the values differ."""
    for name, _ in stored_columns(reltype.properties):
        if name == "id":
            continue
        if old.get(name) is not None and new.get(name) is not None and old[name] != new[name]:
            return True
    return False


def _fill(reltype: RelType, old: dict[str, Any], new: dict[str, Any]) -> None:
    """What `old` lacks and `new` gives."""
    for name, _ in stored_columns(reltype.properties):
        if name != "id" and old.get(name) is None and new.get(name) is not None:
            old[name] = new[name]


@dataclass
class Parsed:
    """An FtM file read and checked line by line, before any store is opened."""

    reader: _Reader
    digest: str


def parse_ftm(path: Path) -> Parsed:
    """Read an FtM file and check every line on its own; DatasetError at the first problem."""
    model = ftm_model()
    try:
        data = read_file(
            path, MAX_BYTES, what="an FtM file", advice=": filter it first (ftm sieve, jq)"
        )
    except InputError as error:
        raise DatasetError(Where(path, 0), error.reason) from error
    reader = _Reader(model, path)
    reader.read(data)
    return Parsed(reader, hashlib.sha256(data).hexdigest())


def link_ftm(parsed: Parsed, store: Store) -> Imported:
    """What a parsed file adds to the store: links, references and conflicts checked against
    it; nothing is written (see `write_ftm`)."""
    return _Importer(parsed.reader, store, parsed.digest).run()


def read_ftm(path: Path, store: Store) -> Imported:
    """`parse_ftm` then `link_ftm`."""
    return link_ftm(parse_ftm(path), store)


def write_ftm(store: Store, imported: Imported, progress: Any = None) -> int:
    """Write what `read_ftm` found, in one transaction; the number of rows written."""
    store.load(imported.nodes, imported.relationships, progress=progress)
    return sum(map(len, imported.nodes.values())) + sum(map(len, imported.relationships.values()))
