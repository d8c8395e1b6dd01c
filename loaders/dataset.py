"""Curated dataset files -> validated nodes and relationships, or one error naming file:line.

Nothing is written to a store until every file has been read and every reference checked.
The format is described in docs/dataset-format.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from oversight.graph import collector
from oversight.graph.errors import OversightError
from oversight.graph.inputs import InputError, check_inside, folder_members
from oversight.graph.rows import RowTable
from oversight.graph.schema import Label, Property, RelType, Schema, schema
from oversight.loaders.records import Citation, first_error, node_model, rel_model
from oversight.loaders.yamlfile import LineDict, YamlError, read_yaml_parts
from pydantic import ValidationError

# Package data (importlib.resources), so an installed wheel finds it as a checkout does.
BUNDLED = Path(str(resources.files("oversight.data") / "tower_hamlets"))
BASIS_ORDER = ("primary", "reported", "statement", "opinion")


class DatasetError(OversightError):
    """One problem in the dataset, as `path:line: message`."""

    def __init__(self, where: Where, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where, self.message = where, message


@dataclass(frozen=True, slots=True)
class Where:
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(slots=True)
class Cite:
    source: str
    quote: str | None
    ref: str | None
    reports: str | None
    opinion: bool
    where: Where


@dataclass(slots=True)
class NodeRecord:
    id: str
    label: Label
    values: dict[str, Any]
    where: Where
    cites: list[Cite] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # the line of each key

    def where_of(self, key: str) -> Where:
        return Where(self.where.path, self.lines.get(key, self.where.line))


@dataclass(slots=True)
class RelRecord:
    id: str
    type: RelType
    start: str
    end: str
    values: dict[str, Any]
    where: Where
    cites: list[Cite] = field(default_factory=list)  # read only: may be its owner's own list
    inherits: tuple[str, ...] = ()  # records whose citations support it
    lines: dict[str, Where] = field(default_factory=dict)  # where each key of its entry is

    def where_of(self, key: str) -> Where:
        return self.lines.get(key, self.where)


@dataclass
class Dataset:
    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    relationships: dict[str, RelRecord] = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)

    def citations(self) -> Iterable[tuple[str, Cite]]:
        """Every citation with the id of the element it supports."""
        for node in self.nodes.values():
            for cite in node.cites:
                yield node.id, cite
        for rel in self.relationships.values():
            for cite in rel.cites:
                yield rel.id, cite


def dataset_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files of folders (sorted; `texts/` below holds the sources) and files given.

    A folder's files must be inside it (a symlink may not lead out); a FIFO or device named
    `.yaml` is listed, to be refused when read.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            members = folder_members(path, (".yaml", ".yml"))
            for member in members:
                _inside(member, path)
            files.extend(members)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            raise DatasetError(Where(path, 0), "no such file or folder")
    return files


def _inside(path: Path, folder: Path) -> Path:
    """`path` resolved; DatasetError if it leads outside `folder`."""
    try:
        return check_inside(path, folder)
    except InputError as error:
        raise DatasetError(Where(path, 0), error.reason) from error


def text_name_problem(name: str) -> str | None:
    """Why a source's `file` cannot name a text inside the dataset's texts folder, or None.

    verify reads `texts/<file>`: an absolute path or `..` would read anything on the machine
    (and its quotes would tell whether a secret holds a string).
    """
    pure = PurePosixPath(name)
    if not name.strip() or "\x00" in name:
        return "is not a file name"
    if pure.is_absolute() or PureWindowsPath(name).drive or name.startswith("~"):
        return "is an absolute path: name a file inside the texts folder"
    if ".." in pure.parts or ".." in PureWindowsPath(name).parts:
        return "leads out of the texts folder (`..`): name a file inside it"
    return None


def read_dataset(
    paths: Iterable[Path] = (BUNDLED,), model: Schema | None = None, *, lines: bool = True
) -> Dataset:
    """Read, merge and check every record; raise DatasetError at the first problem.

    With `lines` every record knows the file:line of each of its keys (verify and review
    report them). Without, files are read fast and records have no lines (`load` needs none
    once all is well); the first problem found has the files read again with lines, so
    its error names the line all the same.
    """
    paths = list(paths)
    with collector.paused():
        if lines:
            return _read_dataset(paths, model, lines=True)
        try:
            return _read_dataset(paths, model, lines=False)
        except DatasetError:
            return _read_dataset(paths, model, lines=True)  # raises it again, with the line


def _read_dataset(paths: list[Path], model: Schema | None, *, lines: bool) -> Dataset:
    builder = _Builder(model or schema())
    files = dataset_files(paths)
    if not files:
        raise DatasetError(Where(paths[0] if paths else Path("."), 0), "no .yaml files here")
    for path in files:
        try:
            for content in read_yaml_parts(path, lines=lines):  # a part of a big file at a time
                builder.add_file(path, content)
        except YamlError as error:
            raise DatasetError(Where(error.path, error.line), error.message) from error
    dataset = builder.finish()
    dataset.folders = [p if p.is_dir() else p.parent for p in paths]
    return dataset


def _only(record: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The record's entries under these keys (with their lines): what is kept of a record
    until every record is read, so the rest of the file's data can go (a 50 MB file is 380 MB
    as Python objects)."""
    if isinstance(record, LineDict):
        part = LineDict((key, record[key]) for key in keys if key in record)
        part.line, part.key_lines = record.line, record.key_lines
        return part
    return {key: record[key] for key in keys if key in record}


def _line(mapping: dict[str, Any], default: int = 0) -> int:
    """A mapping's line: a LineDict's own, 0 for a plain dict (read without lines)."""
    return mapping.line if isinstance(mapping, LineDict) else default


def _line_of(mapping: dict[str, Any], key: str) -> int:
    return mapping.line_of(key) if isinstance(mapping, LineDict) else 0


def _key_lines(mapping: dict[str, Any]) -> dict[str, int]:
    return mapping.key_lines if isinstance(mapping, LineDict) else _NONE


# One empty mapping for the many records that have no values or no lines (read fast, a 50 MB
# file has 200,000 relationships written as a bare id): only ever read, never changed.
_NONE: dict[str, Any] = {}


_CITE_KEYS = frozenset(("source", "quote", "ref", "reports", "opinion"))


def _plain_cite(item: dict[str, Any], where: Where) -> Cite | None:
    """The citation when it is already what `Citation` would make of it (text values, a real
    boolean): most are, and checking that is a fifth of what pydantic takes. None: let
    `Citation` convert it or say what is wrong."""
    source, quote, ref, reports = (item.get(key) for key in ("source", "quote", "ref", "reports"))
    opinion = item.get("opinion", False)
    if (
        type(source) is str
        and (quote is None or type(quote) is str)
        and (ref is None or type(ref) is str)
        and (reports is None or type(reports) is str)
        and type(opinion) is bool
        and _CITE_KEYS.issuperset(item)
    ):
        return Cite(source, quote, ref, reports, opinion, where)
    return None


class _Builder:
    def __init__(self, model: Schema) -> None:
        self.schema = model
        self.keys = model.relationship_keys()
        self.key_order = {key: order for order, key in enumerate(self.keys)}
        self.wheres: dict[tuple[Path, int], Where] = {}
        self.nodes: dict[str, NodeRecord] = {}
        self.extensions: list[tuple[str, dict[str, Any], Where]] = []
        self.pending_rels: list[tuple[str, dict[str, Any], Where]] = []  # (owner id, record, where)

    def where(self, path: Path, line: int) -> Where:
        """One Where per file and line, shared: read without lines, every element of a file
        has the same one (a 50 MB file has a million elements and citations)."""
        found = self.wheres.get((path, line))
        if found is None:
            found = self.wheres[path, line] = Where(path, line)
        return found

    # --- reading -------------------------------------------------------------------

    def add_file(self, path: Path, content: Any) -> None:
        if content is None:
            raise DatasetError(Where(path, 1), "empty file: expected a list of records")
        if not isinstance(content, list):
            line = getattr(content, "line", 1)
            raise DatasetError(Where(path, line), "expected a list of records (`- id: ...`)")
        for item in content:
            if not isinstance(item, dict):
                raise DatasetError(Where(path, 0), f"expected a record, found {item!r:.40}")
            self._add_record(path, item)

    def _add_record(self, path: Path, record: dict[str, Any]) -> None:
        where = self.where(path, _line(record))
        if "id" in record and "extend" in record:
            raise DatasetError(where, "a record has `id` or `extend`, not both")
        if "extend" in record:
            self.extensions.append((str(record["extend"]), record, where))
            return
        if "id" not in record:
            raise DatasetError(where, "a record needs an `id` (or `extend`)")
        node_id = record["id"]
        if not isinstance(node_id, str):
            raise DatasetError(where, f"id must be text, not {node_id!r}")
        label = self.schema.label_of_id(node_id)
        if label is None:
            prefixes = ", ".join(lbl.prefix for lbl in self.schema.labels)
            raise DatasetError(where, f"id '{node_id}' has no known prefix ({prefixes})")
        if node_id in self.nodes:
            raise DatasetError(
                where, f"duplicate id '{node_id}' (first declared at {self.nodes[node_id].where})"
            )
        values = {k: v for k, v in record.items() if k not in self.keys and k not in ("id", "cite")}
        try:
            checked = node_model(label.name)(**values).model_dump(exclude_none=True)
        except ValidationError as error:
            key, message = first_error(error)
            line = _line_of(record, key) if key else _line(record)
            raise DatasetError(Where(path, line), f"{label.name} '{node_id}': {message}") from error
        if not checked.get("name"):
            raise DatasetError(where, f"{label.name} '{node_id}' needs a `name`")
        if label.name == "Source" and "file" in checked:
            problem = text_name_problem(checked["file"])
            if problem:
                at = Where(path, _line_of(record, "file"))
                raise DatasetError(at, f"Source '{node_id}': file {checked['file']!r} {problem}")
        node = NodeRecord(
            node_id, label, checked, where, self._cites(path, record), _key_lines(record)
        )
        self.nodes[node_id] = node
        if not self.keys.keys().isdisjoint(record):
            self.pending_rels.append((node_id, _only(record, self.keys), where))

    def _cites(self, path: Path, record: dict[str, Any]) -> list[Cite]:
        raw = record.get("cite")
        if raw is None:
            return []
        line = _line_of(record, "cite")
        if not isinstance(raw, list):
            raise DatasetError(Where(path, line), "`cite` must be a list of citations")
        cites = []
        for item in raw:
            item_line = getattr(item, "line", line)
            if not isinstance(item, dict):
                raise DatasetError(
                    Where(path, item_line), "a citation is `{source: ..., quote: ...}`"
                )
            cite = _plain_cite(item, self.where(path, item_line))
            if cite is None:
                try:
                    checked = Citation(**item)
                except ValidationError as error:
                    key, message = first_error(error)
                    at = _line_of(item, key) if key else item_line
                    raise DatasetError(Where(path, at), f"citation: {message}") from error
                cite = Cite(
                    checked.source,
                    checked.quote,
                    checked.ref,
                    checked.reports,
                    checked.opinion,
                    self.where(path, item_line),
                )
            if not cite.quote and not cite.ref:
                raise DatasetError(Where(path, item_line), "a citation needs a `quote` or a `ref`")
            cites.append(cite)
        return cites

    # --- merging and checking --------------------------------------------------------

    def finish(self) -> Dataset:
        for target, record, where in self.extensions:
            node = self.nodes.get(target)
            if node is None:
                raise DatasetError(where, f"extend: no record declares '{target}'")
            extra = set(record) - set(self.keys) - {"extend", "cite"}
            if extra:
                key = sorted(extra)[0]
                raise DatasetError(
                    Where(where.path, _line_of(record, key)),
                    f"extend may add only `cite` and relationships, not '{key}'",
                )
            node.cites.extend(self._cites(where.path, record))
            self.pending_rels.append((target, record, where))
        relationships: dict[str, RelRecord] = {}
        for owner, record, where in self.pending_rels:
            for rel in self._relationships(owner, record, where):
                self._merge(relationships, rel)
        dataset = Dataset(self.nodes, relationships)
        self._check_citations(dataset)
        return dataset

    def _relationships(
        self, owner: str, record: dict[str, Any], where: Where
    ) -> Iterable[RelRecord]:
        present = self.keys.keys() & record.keys()
        for key in sorted(present, key=self.key_order.__getitem__) if present else ():
            reltype, reverse = self.keys[key]
            line = _line_of(record, key)
            entries = record[key] if isinstance(record[key], list) else [record[key]]
            for entry in entries:
                yield self._relationship(
                    owner, key, reltype, reverse, entry, self.where(where.path, line)
                )

    def _relationship(
        self, owner: str, key: str, reltype: RelType, reverse: bool, entry: Any, where: Where
    ) -> RelRecord:
        end_key = "from" if reverse else "to"
        cites: list[Cite] = []
        lines: dict[str, Where] = _NONE
        if isinstance(entry, str):
            other, values = entry, _NONE
        elif isinstance(entry, dict):
            where = self.where(where.path, _line(entry, where.line))
            if isinstance(entry, LineDict):
                lines = {key: Where(where.path, line) for key, line in entry.key_lines.items()}
            other = entry.get(end_key)
            if not isinstance(other, str):
                raise DatasetError(where, f"`{key}` entry needs `{end_key}: <id>`")
            values = {k: v for k, v in entry.items() if k not in (end_key, "cite")}
            try:
                values = rel_model(reltype)(**values).model_dump(exclude_none=True)
            except ValidationError as error:
                bad, message = first_error(error)
                at = Where(where.path, _line_of(entry, bad)) if bad else where
                raise DatasetError(at, f"{reltype.name}: {message}") from error
            cites = self._cites(where.path, entry)
        else:
            raise DatasetError(where, f"`{key}` takes an id or a mapping with `{end_key}`")
        found = self.nodes.get(other)
        if found is None:
            raise DatasetError(where, f"{key}: unknown id '{other}'")
        other = found.id  # the id as the record has it: one string, not one per mention
        start, end = (other, owner) if reverse else (owner, other)
        start_label, end_label = self.nodes[start].label.name, self.nodes[end].label.name
        if not reltype.allows(start_label, end_label):
            allowed = f"{'/'.join(reltype.sources)} -> {'/'.join(reltype.targets)}"
            raise DatasetError(
                where,
                f"{reltype.name} cannot join {start_label} '{start}' -> {end_label} '{end}' "
                f"(allowed: {allowed})",
            )
        rel_id = f"{start}|{reltype.name}|{end}"
        if values.get("start"):
            rel_id += f"|{values['start'][0].isoformat()}"
        return RelRecord(rel_id, reltype, start, end, values, where, cites, (owner,), lines)

    @staticmethod
    def _merge(relationships: dict[str, RelRecord], rel: RelRecord) -> None:
        """The same relationship written twice (say, from both files) is one, cited by both."""
        known = relationships.get(rel.id)
        if known is None:
            relationships[rel.id] = rel
            return
        if known.values != rel.values and rel.values and known.values:
            raise DatasetError(
                rel.where, f"{rel.type.name} {rel.start} -> {rel.end} conflicts with {known.where}"
            )
        if not known.values:
            known.values, known.lines = rel.values, rel.lines
        known.cites.extend(rel.cites)
        known.inherits += rel.inherits

    def _check_citations(self, dataset: Dataset) -> None:
        for rel in dataset.relationships.values():
            if not rel.cites:
                owners = dict.fromkeys(rel.inherits)
                if len(owners) == 1:  # most: share the owner's list (nothing changes it now)
                    rel.cites = dataset.nodes[rel.inherits[0]].cites
                else:
                    rel.cites = [cite for owner in owners for cite in dataset.nodes[owner].cites]
        for _, cite in dataset.citations():
            source = dataset.nodes.get(cite.source)
            if source is None or source.label.name != "Source":
                raise DatasetError(cite.where, f"citation: unknown source '{cite.source}'")
            cite.source = source.id  # one string per source, not one per citation
            if cite.reports and cite.reports not in dataset.nodes:
                raise DatasetError(cite.where, f"citation: reports unknown id '{cite.reports}'")
        for node in dataset.nodes.values():
            if not node.cites:
                raise DatasetError(node.where, f"'{node.id}' has no citation: add `cite`")
        for rel in dataset.relationships.values():
            if not rel.cites:
                raise DatasetError(rel.where, f"{rel.type.name} '{rel.id}' has no citation")


def basis(cites: list[Cite], dataset: Dataset) -> str:
    """The strongest kind of support: primary > reported > statement > opinion.

    A citation is `primary` when its source is (an inspectorate's own text), `opinion` when
    it is marked so or its source is opinion, `reported` when a secondary source relays the
    inspectorate (`reports:` names an inspectorate body), and otherwise `statement`: what
    a party said, whether a politician or body it relays (`reports:` naming them) or the
    outlet in its own words.
    """
    kinds = set()
    for cite in cites:
        reliability = dataset.nodes[cite.source].values.get("reliability")
        if cite.opinion or reliability == "opinion":
            kinds.add("opinion")
        elif reliability == "primary":
            kinds.add("primary")
        elif cite.reports and _is_inspectorate(dataset.nodes.get(cite.reports)):
            kinds.add("reported")
        else:
            kinds.add("statement")
    return next(kind for kind in BASIS_ORDER if kind in kinds)


class _BasisMemo:
    """`basis` of a list of citations, remembered by what it depends on (sources, opinion
    marks, whom they report): the same few combinations recur across a whole dataset."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.known: dict[tuple[tuple[str, bool, str | None], ...], str] = {}

    def __call__(self, cites: list[Cite]) -> str:
        key = tuple((cite.source, cite.opinion, cite.reports) for cite in cites)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = basis(cites, self.dataset)
        return found


def _is_inspectorate(node: NodeRecord | None) -> bool:
    return node is not None and node.values.get("kind") == "inspectorate"


def graph_rows(
    dataset: Dataset, model: Schema | None = None, *, release: bool = False
) -> tuple[dict[str, RowTable], dict[tuple[str, str, str], RowTable]]:
    """Rows for Store.load: nodes per label, relationships per (type, start, end label),
    each table held as columns (graph/rows.py).

    `release`: take each relationship out of the dataset once its row is made, so a caller
    that keeps no other reference frees them on the way (they are most of a big dataset)."""
    with collector.paused():
        return _graph_rows(dataset, model or schema(), release)


def _graph_rows(
    dataset: Dataset, model: Schema, release: bool
) -> tuple[dict[str, RowTable], dict[tuple[str, str, str], RowTable]]:
    basis_of = _BasisMemo(dataset)
    nodes: dict[str, _Columns] = {}
    rels: dict[tuple[str, str, str], _Columns] = {}
    for node in dataset.nodes.values():
        label = node.label
        table = nodes.get(label.name)
        if table is None:
            table = nodes[label.name] = _Columns(model.node_properties(label), ("id", "basis"))
        table.add(node.values, (node.id, basis_of(node.cites)))
        if node.cites:
            key = ("CITED_IN", label.name, "Source")
            cited_in = rels.get(key) or rels.setdefault(key, _Columns((), _CITED_IN))
            for index, cite in enumerate(node.cites):
                cited_in.add_fixed(
                    (
                        f"{node.id}|CITED_IN|{cite.source}|{index}",
                        node.id,
                        cite.source,
                        cite.quote,
                        cite.ref,
                        cite.reports,
                        cite.opinion,
                    )
                )
    labels = {node.id: node.label.name for node in dataset.nodes.values()}
    # The cite columns of relationships that share one list of citations (those inheriting
    # their record's) are one set of lists, shared: rows are only read.
    cite_lists: dict[int, tuple[list[Cite], list[str], list[str], list[str]]] = {}
    stored = dataset.relationships
    taken = (stored.pop(key) for key in list(stored)) if release else stored.values()
    for rel in taken:
        key = (rel.type.name, labels[rel.start], labels[rel.end])
        table = rels.get(key)
        if table is None:
            table = rels[key] = _Columns(model.rel_properties(rel.type), _REL_FIXED)
        cites = rel.cites
        lists = cite_lists.get(id(cites))
        if lists is None:
            lists = cite_lists[id(cites)] = (
                cites,  # kept, so its id is not another list's while this runs
                [c.source for c in cites],
                [c.quote or "" for c in cites],
                [c.ref or "" for c in cites],
            )
        table.add(rel.values, (rel.id, rel.start, rel.end, *lists[1:], basis_of(cites)))
    order = [label.name for label in model.labels]
    return (
        {name: nodes[name].table() for name in order if name in nodes},
        {key: table.table() for key, table in rels.items()},
    )


_CITED_IN = ("id", "from_id", "to_id", "quote", "ref", "reports", "opinion")
_REL_FIXED = ("id", "from_id", "to_id", "cite_sources", "cite_quotes", "cite_refs", "basis")


class _Columns:
    """One table's rows while they are gathered: each record's values and fixed columns; made
    into columns a column at a time (a comprehension per column is several times faster than
    appending a row at a time to each), the fixed ones every CHUNK rows so that a row's tuple
    does not outlive its chunk."""

    CHUNK = 16384

    def __init__(self, props: tuple[Property, ...], fixed: tuple[str, ...]) -> None:
        self.props, self.fixed_names = props, fixed
        self.values: list[dict[str, Any]] = []
        self.fixed: list[tuple[Any, ...]] = []
        self.fixed_columns: list[list[Any]] = [[] for _ in fixed]

    def add(self, values: dict[str, Any], fixed: tuple[Any, ...]) -> None:
        self.values.append(values)
        self.add_fixed(fixed)

    def add_fixed(self, fixed: tuple[Any, ...]) -> None:
        self.fixed.append(fixed)
        if len(self.fixed) == self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self.fixed:
            for column, values in zip(
                self.fixed_columns, zip(*self.fixed, strict=True), strict=True
            ):
                column.extend(values)
            self.fixed = []

    def table(self) -> RowTable:
        """The columns under their stored names, a date split into date and precision (as
        `stored_values` does); the fixed columns and the dates are in every row."""
        columns: dict[str, list[Any]] = {}
        always = list(self.fixed_names)
        for prop in self.props:
            values = [record.get(prop.name) for record in self.values]
            if prop.type == "DATE":
                precision = f"{prop.name}_precision"
                columns[prop.stored] = [value[0] if value else None for value in values]
                columns[precision] = [value[1] if value else None for value in values]
                always += (prop.stored, precision)
            else:
                columns[prop.stored] = values
        self._flush()
        columns.update(zip(self.fixed_names, self.fixed_columns, strict=True))
        self.values, self.fixed_columns = [], []
        return RowTable(columns, always)
