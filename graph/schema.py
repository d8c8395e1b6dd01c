"""The data model, declared once as data.

Everything else derives from these declarations: the LadybugDB DDL, the Neo4j constraints,
validation of dataset records, the styles of views and `oversight schema`. Change the model
here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

PropertyType = Literal["STRING", "STRING[]", "INT64", "DOUBLE", "BOOL", "DATE"]


@dataclass(frozen=True)
class Property:
    """A typed property. A DATE property also stores its precision (day, month, year)."""

    name: str
    type: PropertyType = "STRING"
    doc: str = ""
    choices: tuple[str, ...] = ()
    column: str = ""  # the stored name, when it differs from the name used in dataset files

    @property
    def stored(self) -> str:
        return self.column or self.name

    @property
    def precision_column(self) -> str | None:
        return f"{self.name}_precision" if self.type == "DATE" else None


@dataclass(frozen=True)
class Label:
    """A node label: its id prefix in dataset files, its properties and how views draw it."""

    name: str
    prefix: str
    doc: str
    colour: str
    shape: str = "dot"
    properties: tuple[Property, ...] = ()


@dataclass(frozen=True)
class RelType:
    """A relationship type with the labels it may join and the dataset keys that write it.

    `key` writes it from the start node's record, `reverse_key` from the end node's record.
    """

    name: str
    doc: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    key: str | None = None
    reverse_key: str | None = None
    properties: tuple[Property, ...] = ()
    cited: bool = True  # False for CITED_IN (the citation itself) and derived document links

    def allows(self, source: str, target: str) -> bool:
        return source in self.sources and target in self.targets


STANCES = ("criticised", "praised", "neutral")
LINEAGE = ("improved", "persists", "resolved", "worsened")
GRADES = ("outstanding", "good", "requires improvement", "inadequate")
BASES = ("primary", "reported", "statement", "opinion")
PRECISIONS = ("day", "month", "year")

# A claim that rests on the curators' reasoning rather than on a text's words says so: the
# reason, in one sentence. Views draw it dashed; `--facts-only` leaves it out.
INFERRED = Property(
    "inferred", doc="why the claim is inferred, not stated (unset: the cited words state it)"
)

# Properties every node has: `name` is the caption views show.
NODE_PROPERTIES = (
    Property("id", doc="stable readable id, prefix/slug"),
    Property("name", doc="caption"),
    Property("aliases", "STRING[]", "other names, posts and acronyms it goes by"),
    Property("description"),
    Property("basis", doc="the strongest kind of source supporting it", choices=BASES),
    INFERRED,
)
# Properties every cited relationship has: its citations, as parallel lists.
REL_PROPERTIES = (
    Property("id", doc="stable id: start|TYPE|end[|start date]"),
    Property("cite_sources", "STRING[]", "ids of the sources cited"),
    Property("cite_quotes", "STRING[]", "the verbatim quotes, in the same order"),
    Property("cite_refs", "STRING[]", "paragraph references ('' where none), same order"),
    Property("basis", doc="the strongest kind of source supporting it", choices=BASES),
    INFERRED,
)

LABELS: tuple[Label, ...] = (
    Label("Person", "person/", "A named individual.", "#e15759", "dot"),
    Label(
        "Post", "post/", "A position someone holds (DCS, mayor, lead member).", "#f28e2b", "diamond"
    ),
    Label(
        "Body",
        "body/",
        "An organisation, board, panel or committee.",
        "#4e79a7",
        "square",
        (
            Property(
                "kind",
                choices=(
                    "council",
                    "inspectorate",
                    "government-department",
                    "health-commissioner",
                    "board",
                    "panel",
                    "committee",
                    "publisher",
                    "political-party",
                    "provider",
                    "partner",
                ),
            ),
        ),
    ),
    Label(
        "Service",
        "service/",
        "A service, team or process that works with children.",
        "#59a14f",
        "triangle",
        (Property("kind", choices=("service", "team", "hub", "school", "academy", "process")),),
    ),
    Label(
        "Inspection",
        "inspection/",
        "An inspection or monitoring visit.",
        "#76b7b2",
        "star",
        (
            Property("kind", choices=("inspection", "monitoring-visit")),
            Property("number", "INT64", "the visit's number in its series"),
            Property("start", "DATE", column="start_date"),
            Property("end", "DATE", column="end_date"),
            Property("published", "DATE", column="published_date"),
            Property("focus", doc="what the visit looked at"),
        ),
    ),
    Label(
        "Judgement",
        "judgement/",
        "A graded judgement of one area by one inspection.",
        "#edc948",
        "hexagon",
        (
            Property("area"),
            Property("grade", choices=GRADES),
            Property("overall", "BOOL", "true for the overall effectiveness judgement"),
        ),
    ),
    Label(
        "Finding",
        "finding/",
        "A strength, weakness, recommendation or observation an inspection reported.",
        "#b07aa1",
        "dot",
        (
            Property("kind", choices=("strength", "weakness", "recommendation", "observation")),
            Property("text", doc="the finding in the source's words"),
            Property("ref", doc="paragraph reference, where the source numbers paragraphs"),
        ),
    ),
    Label(
        "Measure",
        "measure/",
        "A figure: an indicator's value for a period.",
        "#ff9da7",
        "dot",
        (
            Property("indicator", doc="the same wording for the same indicator over time"),
            Property("value", "DOUBLE"),
            Property("unit"),
            Property("period", doc="the period as the text gives it"),
            Property("as_of", "DATE", column="as_of_date"),
            Property("qualifier", doc="a hedge the text gives, e.g. approximately"),
        ),
    ),
    Label(
        "Statement",
        "statement/",
        "Something a person or body said, verbatim.",
        "#9c755f",
        "box",
        (
            Property("text"),
            Property("date", "DATE", column="statement_date"),
            Property("medium", doc="where it was said"),
        ),
    ),
    Label(
        "Source",
        "source/",
        "A document: inspection letter, news report, blog post.",
        "#bab0ac",
        "ellipse",
        (
            Property("title"),
            Property(
                "kind",
                choices=(
                    "inspectorate-letter",
                    "news-report",
                    "local-blog",
                    "provider-news",
                    "press-release",
                    "document",
                    "other",
                ),
            ),
            Property("reliability", choices=("primary", "reporting", "statement", "opinion")),
            Property("publisher"),
            Property("author"),
            Property("published", "DATE", column="published_date"),
            Property("file", doc="the text's file name"),
            Property("url"),
            Property("content_hash", doc="sha256 of the loaded document's bytes"),
        ),
    ),
    Label(
        "Passage",
        "passage/",
        "A paragraph of a loaded document, in order, with the entities it mentions.",
        "#d7b5a6",
        "box",
        (
            Property("text", doc="the paragraph as extracted"),
            Property("ordinal", "INT64", "its position in the document, from 1"),
            Property("ref", doc="paragraph reference (p21) where the document numbers them"),
        ),
    ),
)

_DATE_RANGE = (
    Property("start", "DATE", column="start_date"),
    Property("end", "DATE", column="end_date"),
)
_ENTITIES = ("Person", "Post", "Body", "Service")

RELTYPES: tuple[RelType, ...] = (
    RelType(
        "HOLDS",
        "A person holds a post (tenure).",
        ("Person",),
        ("Post",),
        key="holds",
        properties=(
            *_DATE_RANGE,
            Property("capacity", choices=("interim", "permanent", "acting")),
            Property("ended", "BOOL", "the tenure has ended, where its end date is not known"),
        ),
    ),
    RelType(
        "MEMBER_OF",
        "Membership of a body.",
        ("Person", "Body"),
        ("Body",),
        key="member_of",
        properties=(Property("role"),),
    ),
    RelType(
        "CHAIRS",
        "Who chairs a body.",
        ("Person", "Post"),
        ("Body",),
        key="chairs",
        properties=_DATE_RANGE,
    ),
    RelType(
        "OVERSEES",
        "A body or post oversees a service or another body.",
        ("Body", "Post"),
        ("Body", "Service"),
        key="oversees",
    ),
    RelType(
        "ACCOUNTABLE_FOR",
        "A post is accountable for a service or body.",
        ("Post",),
        ("Service", "Body"),
        key="accountable_for",
    ),
    RelType("REPORTS_TO", "Reporting line between posts.", ("Post",), ("Post",), key="reports_to"),
    RelType(
        "APPOINTED",
        "Who appointed a person or body to its role.",
        ("Body", "Post", "Person"),
        ("Body", "Person"),
        key="appointed",
    ),
    RelType(
        "PART_OF",
        "A post, service or body belongs to a larger one.",
        ("Post", "Service", "Body"),
        ("Body", "Service"),
        key="part_of",
    ),
    RelType(
        "CONDUCTED_BY",
        "The body that conducted an inspection.",
        ("Inspection",),
        ("Body",),
        key="conducted_by",
    ),
    RelType(
        "INSPECTED",
        "What an inspection inspected.",
        ("Inspection",),
        ("Body", "Service"),
        key="inspected",
    ),
    RelType(
        "INSPECTOR_ON",
        "An inspector on an inspection or visit, with role and whether they led it.",
        ("Person",),
        ("Inspection",),
        key="inspector_on",
        properties=(Property("role"), Property("lead", "BOOL")),
    ),
    RelType(
        "HAS_JUDGEMENT",
        "An inspection's judgement of an area.",
        ("Inspection",),
        ("Judgement",),
        reverse_key="judgement_of",
    ),
    RelType(
        "FOUND",
        "An inspection reported a finding.",
        ("Inspection",),
        ("Finding",),
        reverse_key="found_in",
    ),
    RelType(
        "CONCERNS",
        "What a finding is about, and whether it criticises or praises it.",
        ("Finding",),
        _ENTITIES,
        key="concerns",
        properties=(Property("stance", choices=STANCES),),
    ),
    RelType(
        "FOLLOWS_UP",
        "A later finding revisits an earlier one, with what became of it.",
        ("Finding",),
        ("Finding",),
        key="follows_up",
        properties=(Property("status", choices=LINEAGE),),
    ),
    RelType(
        "REPORTS",
        "A finding or statement reports a figure.",
        ("Finding", "Statement"),
        ("Measure",),
        key="reports",
    ),
    RelType(
        "MEASURE_OF", "What a figure measures.", ("Measure",), ("Service", "Body"), key="measure_of"
    ),
    RelType(
        "SAID", "Who made a statement.", ("Person", "Body"), ("Statement",), reverse_key="said_by"
    ),
    RelType(
        "ABOUT",
        "What a statement is about.",
        ("Statement",),
        ("Inspection", "Judgement", "Finding", *_ENTITIES),
        key="about",
        properties=(Property("stance", choices=STANCES),),
    ),
    RelType(
        "PUBLISHED", "Who published a source.", ("Body",), ("Source",), reverse_key="published_by"
    ),
    RelType("WROTE", "Who wrote a source.", ("Person",), ("Source",), reverse_key="written_by"),
    RelType(
        "COVERS", "The inspection a source reports on.", ("Source",), ("Inspection",), key="covers"
    ),
    RelType(
        "IN_SOURCE",
        "A passage belongs to a loaded document.",
        ("Passage",),
        ("Source",),
        properties=(
            Property("id"),
            Property("ordinal", "INT64", "the passage's position in the document, from 1"),
        ),
        cited=False,
    ),
    RelType(
        "MENTIONS",
        "A passage speaks of a known entity: the words matched, how, and how surely.",
        ("Passage",),
        ("Person", "Post", "Body", "Service", "Inspection"),
        properties=(
            Property("id"),
            Property("surface", doc="the text matched"),
            Property(
                "method",
                doc="how it was matched",
                choices=("exact", "alias", "acronym", "post-holder", "fuzzy"),
            ),
            Property("score", "DOUBLE", "1 for the exact name, lower for weaker evidence"),
        ),
        cited=False,
    ),
    RelType(
        "CITED_IN",
        "A node's citation: the source and the verbatim quote that support it.",
        tuple(label.name for label in LABELS),
        ("Source",),
        properties=(
            Property("id"),
            Property("quote"),
            Property("ref"),
            Property("reports", doc="id of the body the source attributes the claim to"),
            Property("opinion", "BOOL", "the claim is the source's own opinion"),
        ),
        cited=False,
    ),
)


@dataclass(frozen=True)
class Schema:
    labels: tuple[Label, ...] = LABELS
    reltypes: tuple[RelType, ...] = RELTYPES

    def label(self, name: str) -> Label:
        for label in self.labels:
            if label.name == name:
                return label
        raise KeyError(name)

    def reltype(self, name: str) -> RelType:
        for reltype in self.reltypes:
            if reltype.name == name:
                return reltype
        raise KeyError(name)

    def label_of_id(self, node_id: str) -> Label | None:
        """The label an id's prefix names (`person/x` is a Person), or None."""
        for label in self.labels:
            if node_id.startswith(label.prefix) and len(node_id) > len(label.prefix):
                return label
        return None

    def node_properties(self, label: Label) -> tuple[Property, ...]:
        return NODE_PROPERTIES + label.properties

    def rel_properties(self, reltype: RelType) -> tuple[Property, ...]:
        return (REL_PROPERTIES if reltype.cited else ()) + reltype.properties

    def relationship_keys(self) -> dict[str, tuple[RelType, bool]]:
        """Dataset keys that write relationships: key -> (type, written from the end node?)."""
        keys: dict[str, tuple[RelType, bool]] = {}
        for reltype in self.reltypes:
            if reltype.key:
                keys[reltype.key] = (reltype, False)
            if reltype.reverse_key:
                keys[reltype.reverse_key] = (reltype, True)
        return keys

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    @property
    def reltype_names(self) -> tuple[str, ...]:
        return tuple(reltype.name for reltype in self.reltypes)


@cache
def schema() -> Schema:
    """The one schema of the project."""
    return Schema()


def stored_columns(props: tuple[Property, ...]) -> list[tuple[str, PropertyType]]:
    """The stored columns of a property list: DATE properties add a precision column."""
    columns: list[tuple[str, PropertyType]] = []
    for prop in props:
        columns.append((prop.stored, prop.type))
        if prop.precision_column:
            columns.append((prop.precision_column, "STRING"))
    return columns
