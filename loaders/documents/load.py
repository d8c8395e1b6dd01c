"""Documents into the graph: a Source per file, its Passages in order, and what they mention.

One load is one transaction (`Store.load`), and is idempotent by content: a file whose bytes
hash to the `content_hash` its Source already has is not written again; a file whose bytes
changed replaces its earlier version (its old passages and their mentions are deleted in the
same transaction, before the new ones are written).

Documents and sources stay in their lane. A document attaches to a source the store
already has only when its manifest (or sidecar) gives that source's `id`, or when a Source
already has the document's content hash; then a curated source's properties stay as they are
and only `content_hash` (and what the curated source lacks) is added. Otherwise the Source is
the document's own, `source/<file name>`, described by its manifest (see manifest.py). A file
name alone never attaches: if `source/<file name>` is already taken, by a curated source or
by another document's (one with another `file`), the load is refused with one line asking for
an `id` in the document's manifest (a changed version of the same document, same `file`,
still replaces its earlier passages).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oversight.graph.inputs import InputError, check_inside, folder_members
from oversight.graph.result import Node
from oversight.graph.schema import schema, stored_columns
from oversight.loaders.documents.extract import (
    SUFFIXES,
    DocumentError,
    Paragraph,
    extract,
    read_document,
    supported,
)
from oversight.loaders.documents.linker import Known, Linker, Mention, PreciseDate
from oversight.loaders.documents.manifest import Meta, read_meta

if TYPE_CHECKING:
    from oversight.graph.store import Store

SOURCES_QUERY = (
    "MATCH (s:Source) OPTIONAL MATCH (n)-[c:CITED_IN]->(s) "
    "OPTIONAL MATCH (p:Passage)-[:IN_SOURCE]->(s) "
    "RETURN s AS source, count(DISTINCT c) AS cites, count(DISTINCT p) AS passages"
)
DELETE_PASSAGES = (
    "UNWIND $sources AS sid MATCH (p:Passage)-[:IN_SOURCE]->(:Source {id: sid}) DETACH DELETE p"
)
PASSAGES_QUERY = (
    "MATCH (p:Passage)-[:IN_SOURCE]->(s:Source) "
    "RETURN s.id AS source, p.ordinal AS ordinal, p.ref AS ref, p.text AS text "
    "ORDER BY source, ordinal"
)
SOURCE_PASSAGES_QUERY = (
    "MATCH (p:Passage)-[:IN_SOURCE]->(s:Source {id: $source}) "
    "RETURN s.id AS source, p.ordinal AS ordinal, p.ref AS ref, p.text AS text "
    "ORDER BY ordinal"
)
# Every statement this package sends to a store, with its parameters (for the lint gate).
STATEMENTS: tuple[tuple[str, list[str]], ...] = (
    (SOURCES_QUERY, []),
    (DELETE_PASSAGES, ["sources"]),
    (PASSAGES_QUERY, []),
    (SOURCE_PASSAGES_QUERY, ["source"]),
)

NodeRows = dict[str, list[dict[str, Any]]]
RelRows = dict[tuple[str, str, str], list[dict[str, Any]]]


@dataclass
class LoadedDocument:
    """One document as read, linked and (unless unchanged) written."""

    path: Path
    source: str
    title: str
    status: str  # new, replaced or unchanged
    content_hash: str
    date: PreciseDate | None
    meta: Meta
    curated: bool  # the source was already in the store with citations (the curated dataset)
    paragraphs: list[Paragraph]
    mentions: list[list[Mention]]
    source_row: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def texts(self) -> list[str]:
        return [p.text for p in self.paragraphs]

    def linked(self) -> dict[str, list[Mention]]:
        """Each linked entity with its mentions, in document order."""
        found: dict[str, list[Mention]] = {}
        for passage in self.mentions:
            for mention in passage:
                if mention.entity:
                    found.setdefault(mention.entity, []).append(mention)
        return found


def document_files(paths: Iterable[Path]) -> list[Path]:
    """The documents of folders (sorted, not their sub-folders) and the files given.

    A folder's documents must be inside it (a symlink may not lead out); a FIFO or a device
    named like a document is listed, to be refused when read.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            members = folder_members(path, tuple(SUFFIXES))
            for member in members:
                try:
                    check_inside(member, path)
                except InputError as error:
                    raise DocumentError(str(error)) from error
            files.extend(members)
        elif path.exists() or path.is_symlink():
            if not supported(path):
                raise DocumentError(f"{path}: not a document (.txt, .md, .html, .pdf)")
            files.append(path)
        else:
            raise DocumentError(f"{path}: no such file or folder")
    if not files:
        raise DocumentError(f"{', '.join(map(str, paths))}: no documents (.txt, .md, .html, .pdf)")
    return list(dict.fromkeys(files))


def prepare(
    store: Store,
    files: list[Path],
    *,
    on_document: Callable[[Path], None] | None = None,
) -> tuple[list[LoadedDocument], Linker]:
    """Read, extract and link every file against the store's entities; nothing is written."""
    known = Known.from_store(store)
    linker = Linker(known)
    existing: dict[str, tuple[Node, int, int]] = {}
    by_hash: dict[str, str] = {}
    for source, cites, passages in store.read(SOURCES_QUERY).rows:
        existing[source.id] = (source, cites, passages)
        if source.properties.get("content_hash"):
            by_hash.setdefault(source.properties["content_hash"], source.id)
    documents: list[LoadedDocument] = []
    claimed: dict[str, Path] = {}
    for path in files:
        data = read_document(path)
        digest = hashlib.sha256(data).hexdigest()
        meta = read_meta(path)
        document = extract(path, data)
        source_id = meta.id or by_hash.get(digest) or _own_id(path, existing)
        if source_id in claimed:
            raise DocumentError(
                f"{path}: would load as {source_id}, like {claimed[source_id]}; give one of "
                "them another `id` in its manifest"
            )
        claimed[source_id] = path
        old = existing.get(source_id)
        row = _source_row(source_id, path, digest, meta, document.title, old)
        date = _published(row)
        if old is None:
            status = "new"
        elif old[0].properties.get("content_hash") == digest and old[2] > 0 and _same(old, row):
            status = "unchanged"
        else:
            status = "replaced" if old[2] > 0 else "new"
        paragraphs = list(document.paragraphs)
        documents.append(
            LoadedDocument(
                path=path,
                source=source_id,
                title=row.get("title") or row.get("name") or path.name,
                status=status,
                content_hash=digest,
                date=date,
                meta=meta,
                curated=old is not None and old[1] > 0,
                paragraphs=paragraphs,
                mentions=linker.link([p.text for p in paragraphs], date),
                source_row=row,
            )
        )
        if on_document:
            on_document(path)
    return documents, linker


def graph_rows(documents: Iterable[LoadedDocument]) -> tuple[NodeRows, RelRows, list[str]]:
    """Rows for Store.load of the documents to write, and the sources whose passages go."""
    model = schema()
    nodes: NodeRows = {"Source": [], "Passage": []}
    rels: RelRows = {}
    replaced: list[str] = []
    labels = {}
    for document in documents:
        if document.status == "unchanged":
            continue
        replaced.append(document.source)
        nodes["Source"].append(document.source_row)
        base = document.source.removeprefix(model.label("Source").prefix)
        for ordinal, (paragraph, mentions) in enumerate(
            zip(document.paragraphs, document.mentions, strict=True), start=1
        ):
            passage = f"passage/{base}/{ordinal}"
            nodes["Passage"].append(
                {
                    "id": passage,
                    "name": _caption(paragraph, ordinal),
                    "text": paragraph.text,
                    "ordinal": ordinal,
                    "ref": paragraph.ref,
                }
            )
            rels.setdefault(("IN_SOURCE", "Passage", "Source"), []).append(
                {
                    "id": f"{passage}|IN_SOURCE|{document.source}",
                    "from_id": passage,
                    "to_id": document.source,
                    "ordinal": ordinal,
                }
            )
            best: dict[str, Mention] = {}
            for mention in mentions:
                if mention.entity and (
                    mention.entity not in best or mention.score > best[mention.entity].score
                ):
                    best[mention.entity] = mention
            for entity, mention in best.items():
                if entity not in labels:
                    label = model.label_of_id(entity)
                    labels[entity] = label.name if label else ""
                rels.setdefault(("MENTIONS", "Passage", labels[entity]), []).append(
                    {
                        "id": f"{passage}|MENTIONS|{entity}",
                        "from_id": passage,
                        "to_id": entity,
                        "surface": mention.surface,
                        "method": mention.method,
                        "score": float(mention.score),
                    }
                )
    return {k: v for k, v in nodes.items() if v}, rels, replaced


def write(
    store: Store,
    documents: list[LoadedDocument],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the new and changed documents in one transaction; the number of rows written."""
    return write_rows(store, graph_rows(documents), progress=progress)


def write_rows(
    store: Store,
    rows: tuple[NodeRows, RelRows, list[str]],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write `graph_rows(...)`: delete the replaced sources' passages, then upsert, at once."""
    nodes, rels, replaced = rows
    if not replaced:
        return 0
    store.load(nodes, rels, before=[(DELETE_PASSAGES, {"sources": replaced})], progress=progress)
    return row_count(rows)


def row_count(rows: tuple[NodeRows, RelRows, list[str]]) -> int:
    nodes, rels, _ = rows
    return sum(map(len, nodes.values())) + sum(map(len, rels.values()))


def load_documents(
    store: Store,
    paths: Iterable[Path],
    *,
    on_document: Callable[[Path], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[LoadedDocument]:
    """Load documents (files or folders of them) into the store; see the module's docstring."""
    documents, _ = prepare(store, document_files(paths), on_document=on_document)
    write(store, documents, progress=progress)
    return documents


def stored_passages(store: Store, source: str | None = None) -> dict[str, list[Paragraph]]:
    """The passages loaded so far, per source, in order."""
    if source is None:
        rows = store.read(PASSAGES_QUERY).records()
    else:
        rows = store.read(SOURCE_PASSAGES_QUERY, {"source": source}).records()
    found: dict[str, list[Paragraph]] = {}
    for row in rows:
        found.setdefault(row["source"], []).append(Paragraph(row["text"] or "", row["ref"]))
    return found


def _own_id(path: Path, existing: dict[str, tuple[Node, int, int]]) -> str:
    """`source/<file name>`, unless a source that is not this document's already has it."""
    source_id = f"source/{slug(path.stem)}"
    old = existing.get(source_id)
    if old is None:
        return source_id
    source, cites, _ = old
    if cites == 0 and source.properties.get("file") == path.name:
        return source_id  # an earlier version of this document: it is replaced
    holder = (
        f"the curated source {source.name!r}"
        if cites
        else f"the source of another document ({source.properties.get('file') or 'no file'})"
    )
    raise DocumentError(
        f"{path}: would load as {source_id}, which is {holder}; give the document its own "
        f"`id: source/...` in {path.name}.yaml beside it (or that id, to attach it)"
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "document"


# --- the Source row ----------------------------------------------------------------------------


def _source_row(
    source_id: str,
    path: Path,
    digest: str,
    meta: Meta,
    found_title: str | None,
    old: tuple[Node, int, int] | None,
) -> dict[str, Any]:
    """The Source's stored columns: a curated source keeps its own values, the rest follow the
    manifest (and the document's own title where the manifest gives none)."""
    columns = [
        name for name, _ in stored_columns(schema().node_properties(schema().label("Source")))
    ]
    described = {
        "title": meta.title or found_title or path.stem,
        "kind": meta.kind or "document",
        "reliability": meta.reliability,
        "publisher": meta.publisher,
        "author": meta.author,
        "published_date": meta.published[0] if meta.published else None,
        "published_precision": meta.published[1] if meta.published else None,
        "url": meta.url,
        "description": meta.description,
        "file": path.name,
    }
    described["name"] = described["title"]
    if old is not None and old[1] > 0:  # curated: its values stand, the manifest fills gaps
        kept = {k: v for k, v in old[0].properties.items() if k in columns}
        row = {**{k: v for k, v in described.items() if v is not None}, **kept}
        if kept.get("published_date") is None and meta.published:
            row["published_date"], row["published_precision"] = meta.published
    else:
        row = {k: v for k, v in described.items() if v is not None}
    row["id"] = source_id
    row["content_hash"] = digest
    return {name: row.get(name) for name in columns}


def _published(row: dict[str, Any]) -> PreciseDate | None:
    date, precision = row.get("published_date"), row.get("published_precision")
    return (date, precision or "day") if date else None


def _same(old: tuple[Node, int, int], row: dict[str, Any]) -> bool:
    """The stored Source already has these values (so the manifest did not change either)."""
    stored = old[0].properties
    return all(stored.get(k) == v for k, v in row.items() if v is not None)


def _caption(paragraph: Paragraph, ordinal: int) -> str:
    words = paragraph.text
    if paragraph.ref and words.startswith(paragraph.ref):
        words = words[len(paragraph.ref) :].lstrip(". ")
    words = words if len(words) <= 60 else words[:57].rsplit(" ", 1)[0] + "…"
    return f"{paragraph.ref or f'¶{ordinal}'}: {words}"
