"""What `oversight load-documents --report` shows, as plain data (the CLI draws it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from oversight.loaders.documents.candidates import find_candidates, summarise
from oversight.loaders.documents.evaluate import Score, found_by_name, gold_sets
from oversight.loaders.documents.linker import Linker
from oversight.loaders.documents.load import LoadedDocument
from oversight.loaders.documents.ofsted import extract_ofsted, is_ofsted

if TYPE_CHECKING:
    from oversight.graph.store import Store


def describe(document: LoadedDocument, linker: Linker) -> dict[str, Any]:
    """One document: the entities linked, the ambiguous mentions, the candidate names and,
    for an Ofsted letter, its visit dates, inspectors, judgement lines and figures."""
    known = linker.known
    where = [p.ref or f"¶{i}" for i, p in enumerate(document.paragraphs, start=1)]
    linked = []
    for entity, mentions in document.linked().items():
        passages = sorted(
            {i for i, ms in enumerate(document.mentions) for m in ms if m.entity == entity}
        )
        linked.append(
            {
                "entity": entity,
                "name": known.entities[entity].name,
                "label": known.entities[entity].label,
                "passages": [where[i] for i in passages],
                "methods": sorted({m.method for m in mentions}),
                "surfaces": list(dict.fromkeys(m.surface for m in mentions)),
                "score": max(m.score for m in mentions),
            }
        )
    linked.sort(key=lambda item: (item["label"], item["name"]))
    ambiguous = [
        {
            "surface": m.surface,
            "method": m.method,
            "candidates": list(m.candidates),
            "passage": where[i],
        }
        for i, ms in enumerate(document.mentions)
        for m in ms
        if m.entity is None
    ]
    candidates = [
        {
            "name": s.text,
            "kind": s.kind,
            "cues": s.cues,
            "count": s.count,
            "passages": [where[i] for i in s.passages],
            "context": s.context,
        }
        for s in summarise(find_candidates(document.texts, document.mentions, linker))
    ]
    report: dict[str, Any] = {
        "file": str(document.path),
        "source": document.source,
        "title": document.title,
        "status": document.status,
        "date": _date(document),
        "passages": len(document.paragraphs),
        "linked": linked,
        "ambiguous": ambiguous,
        "candidates": candidates,
        "ofsted": None,
    }
    if is_ofsted(document.meta, document.paragraphs):
        facts = extract_ofsted(document.paragraphs)
        report["ofsted"] = {
            "visits": [
                {"start": v.start.isoformat(), "end": v.end.isoformat(), "sentence": v.sentence}
                for v in facts.visits
            ],
            "inspectors": [
                {"name": i.name, "role": i.role, "lead": i.lead} for i in facts.inspectors
            ],
            "judgements": [
                {"area": j.area, "grade": j.grade, "passage": where[j.passage]}
                for j in facts.judgements
            ],
            "measures": [
                {
                    "value": m.value,
                    "unit": m.unit,
                    "written": m.written,
                    "qualifier": m.qualifier,
                    "passage": where[m.passage],
                    "sentence": m.sentence,
                }
                for m in facts.measures
            ],
        }
    return report


def evaluate(store: Store, documents: Sequence[LoadedDocument], linker: Linker) -> list[Score]:
    """Precision and recall of the links of every document whose source the curated dataset
    cites (see evaluate.py for the gold set); [] when none is."""
    curated = [d for d in documents if d.curated]
    if not curated:
        return []
    gold = gold_sets(store, linker.known, [d.source for d in curated])
    return [
        Score(d.source, gold.get(d.source, set()), found_by_name(d.mentions))
        for d in curated
        if d.source in gold
    ]


def _date(document: LoadedDocument) -> str | None:
    if document.date is None:
        return None
    date, precision = document.date
    if precision == "year":
        return f"{date.year}"
    if precision == "month":
        return f"{date.year}-{date.month:02d}"
    return date.isoformat()
