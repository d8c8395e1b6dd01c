"""Claims checked against the words that cite them, not only against their sources.

`verify` (loaders/verify.py) finds each quote in its source; this module asks whether the
quotes say what the dataset records, wherever a machine can tell:

- value: a measure's value is in one of its quotes, as figures (`4.2%`, `1,200`) or words
  (`three`, `half` and `all` for 50 and 100 per cent, `doubling` for a ratio of 2);
- unit: the quote holding the value also holds a word of its unit (`%`, `per cent`, `half`,
  `all` for percent; `children` or `child` for children, ...);
- qualifier: a measure's hedge (`approximately`, `over half`) is in one of its quotes;
- grade: a judgement's grade is in every quote that cites it;
- date: every date's year (and its month at month or day precision, its day at day
  precision) is in one quote of that claim, or is its source's own date (`published`);
- capacity: a tenure's capacity (interim, permanent, acting) is in one of its quotes;
- visit number: an inspection's number is in one of its quotes (`4` or `fourth`);
- name: a person's name or one of their aliases is in a quote of every claim about them
  (the person, and each relationship with a person at one end);
- alias: every alias is in the text of a source that cites the record;
- quote length: every quote has at least WORD_FLOOR words: a name and what it is
  ("Mayor John Biggs") and no fewer. One word cannot say that someone held a post.

What no machine can check (a stance, a lineage status, that a link holds at all) is counted
as unchecked, kind by kind, never passed in silence. A claim that rests on reasoning rather
than words is marked `inferred: <reason>` in the dataset; `suspected_inferences` finds
unmarked ones a machine can see (a lineage link whose words share no subject with the
finding it follows up; a reporting line whose quotes do not name both posts).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from oversight.loaders.dataset import Cite, Dataset, NodeRecord, RelRecord, Where
from oversight.loaders.documents.extract import word_list, words
from oversight.loaders.verify import normalise

WORD_FLOOR = 3

# Properties the checks below cover (dates are checked wherever they are), and properties that
# describe a record rather than claim anything (a source's file is checked by finding quotes
# in it). Every other property is counted as unchecked, under its kind below or as
# "<label> <property>": none passes in silence.
CHECKED_PROPERTIES = frozenset(
    {
        ("Measure", "value"),
        ("Measure", "unit"),
        ("Measure", "qualifier"),
        ("Judgement", "grade"),
        ("Inspection", "number"),
        ("HOLDS", "capacity"),
        ("Source", "file"),
        ("Source", "content_hash"),
    }
)
UNCHECKED_PROPERTIES = {
    ("Finding", "ref"): "paragraph ref",
    ("CONCERNS", "stance"): "stance",
    ("ABOUT", "stance"): "stance",
    ("FOLLOWS_UP", "status"): "lineage status",
    ("Finding", "kind"): "finding kind",
    ("Finding", "text"): "finding text",
    ("Statement", "text"): "statement text",
    ("Statement", "medium"): "statement medium",
    ("Judgement", "area"): "judgement area",
    ("Judgement", "overall"): "judgement area",
    ("MEMBER_OF", "role"): "role",
    ("INSPECTOR_ON", "role"): "role",
    ("INSPECTOR_ON", "lead"): "lead inspector",
    ("HOLDS", "ended"): "tenure ended",
    ("Measure", "indicator"): "measure indicator",
    ("Measure", "period"): "measure period",
    ("Body", "kind"): "entity kind",
    ("Service", "kind"): "entity kind",
    ("Inspection", "kind"): "entity kind",
    ("Inspection", "focus"): "visit focus",
    ("Source", "title"): "source metadata",
    ("Source", "kind"): "source metadata",
    ("Source", "reliability"): "source metadata",
    ("Source", "publisher"): "source metadata",
    ("Source", "author"): "source metadata",
    ("Source", "url"): "source metadata",
}

_MONTHS = word_list(
    "January February March April May June July August September October November December"
)
_UNITS = word_list(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS = word_list("twenty thirty forty fifty sixty seventy eighty ninety")
_ORDINALS = word_list(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
)
NUMBER_WORDS: dict[str, float] = {word: float(n) for n, word in enumerate(_UNITS)}
NUMBER_WORDS |= {word: float(20 + 10 * n) for n, word in enumerate(_TENS)}
NUMBER_WORDS |= {"hundred": 100.0, "a hundred": 100.0, "dozen": 12.0, "a dozen": 12.0}
# Words that stand for a figure only in a unit: `half` is 50 per cent, `doubling` a ratio of 2.
UNIT_NUMBER_WORDS: dict[str, dict[str, float]] = {
    "percent": {"half": 50.0, "all": 100.0, "none": 0.0, "a quarter": 25.0, "a third": 100 / 3},
    "ratio": {
        "doubling": 2.0,
        "doubled": 2.0,
        "double": 2.0,
        "twice": 2.0,
        "halved": 0.5,
        "tripled": 3.0,
        "trebled": 3.0,
    },
}
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "percent": ("%", "per cent", "percent", "half", "all", "none", "a quarter", "a third"),
    "ratio": ("doubling", "doubled", "double", "twice", "halved", "tripled", "trebled", "times"),
    "children": ("children", "child"),
    "people": ("people", "person"),
    "families": ("families", "family"),
}

_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?!\w)")
_WORD_NUMBER = re.compile(
    r"\b(?:("
    + "|".join(_TENS)
    + r")(?:[- ]("
    + "|".join(_UNITS[1:10])
    + r"))?|("
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r"))\b"
)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})\b")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Check:
    """One mechanical check of one claim: what was checked, where, and what was found."""

    kind: str
    element: str
    where: Where
    passed: bool
    detail: str

    @property
    def message(self) -> str:
        return f"{self.element}: {self.detail}"


@dataclass
class ClaimReport:
    """Every check run, every claim left unchecked, every inference marked."""

    checks: list[Check] = field(default_factory=list)
    unchecked: list[tuple[str, str]] = field(default_factory=list)  # (kind, element id)
    inferred: dict[str, str] = field(default_factory=dict)  # element id -> reason

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def checked_counts(self) -> dict[str, tuple[int, int]]:
        """kind -> (passed, run), in the order the kinds were first run."""
        counts: dict[str, list[int]] = {}
        for check in self.checks:
            tally = counts.setdefault(check.kind, [0, 0])
            tally[0] += check.passed
            tally[1] += 1
        return {kind: (passed, run) for kind, (passed, run) in counts.items()}

    def unchecked_counts(self) -> Counter[str]:
        return Counter(kind for kind, _ in self.unchecked)

    def inferred_counts(self, dataset: Dataset) -> Counter[str]:
        """Inferences marked, per label or relationship type."""
        return Counter(_kind_of(dataset, element) for element in self.inferred)

    def of(self, element: str) -> tuple[list[Check], list[str]]:
        """The checks run on one element and the kinds left unchecked there."""
        return (
            [c for c in self.checks if c.element == element],
            [kind for kind, e in self.unchecked if e == element],
        )


# --- text matching ---------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case, quote marks and dashes folded, spacing collapsed: how quotes are compared."""
    return normalise(text).lower()


def has_phrase(folded_text: str, phrase: str) -> bool:
    """`phrase` occurs in `folded_text` as whole words (case and marks folded)."""
    pattern = _phrase(phrase)
    return pattern is not None and pattern.search(folded_text) is not None


@lru_cache(maxsize=1 << 14)
def _phrase(phrase: str) -> re.Pattern[str] | None:
    """The pattern of a phrase as whole words, or None for an empty one."""
    wanted = fold(phrase)
    if not wanted:
        return None
    left = r"(?<!\w)" if wanted[0].isalnum() else ""
    right = r"(?!\w)" if wanted[-1].isalnum() else ""
    return re.compile(left + re.escape(wanted) + right)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def numbers_in(folded_text: str, unit: str | None = None) -> set[float]:
    """Every figure a text states: digits, number words, and the unit's own words."""
    found: set[float] = set()
    for whole, decimals in _NUMBER.findall(folded_text):
        found.add(float(whole.replace(",", "") + (f".{decimals}" if decimals else "")))
    for tens, unit_word, single in _WORD_NUMBER.findall(folded_text):
        if single:
            found.add(NUMBER_WORDS[single])
        else:
            found.add(NUMBER_WORDS[tens] + (NUMBER_WORDS[unit_word] if unit_word else 0))
    for word, value in UNIT_NUMBER_WORDS.get(unit or "", {}).items():
        if has_phrase(folded_text, word):
            found.add(value)
    return found


def unit_words(unit: str) -> tuple[str, ...]:
    """Words that say a unit: its own list, else the unit and its singular."""
    if unit in UNIT_WORDS:
        return UNIT_WORDS[unit]
    singular = unit[:-1] if unit.endswith("s") and len(unit) > 3 else unit
    return (unit, singular)


def date_in(text: str, date: Any, precision: str) -> bool:
    """`text` (not folded: month names are capitalised) gives the date's year, and its month
    and day as far as the precision goes."""
    year, month, day = date.year, date.month, date.day
    for d, m, y in _NUMERIC_DATE.findall(text):
        full = int(y) + (2000 if len(y) == 2 else 0)
        same_month = precision == "year" or int(m) == month
        if full == year and same_month and (precision != "day" or int(d) == day):
            return True
    if not re.search(rf"(?<!\d){year}(?!\d)", text):
        return False
    if precision == "year":
        return True
    name = _MONTHS[month - 1]
    if not re.search(rf"\b(?:{name}|{name[:3]}\.?)\b", text):
        return False
    return precision != "day" or re.search(rf"(?<!\d){day}(?:st|nd|rd|th)?(?!\d)", text) is not None


def date_is(own: Any, date: Any, precision: str) -> bool:
    """A source's own date (a (date, precision) pair) gives the date as precisely as needed."""
    if not own:
        return False
    source_date, source_precision = own
    order = ("year", "month", "day")
    if order.index(source_precision) < order.index(precision):
        return False
    if source_date.year != date.year:
        return False
    if precision in ("month", "day") and source_date.month != date.month:
        return False
    return precision != "day" or source_date.day == date.day


# --- the checks --------------------------------------------------------------------------------


def check_claims(dataset: Dataset, texts: dict[str, str] | None = None) -> ClaimReport:
    """Run every mechanical check on every claim of the dataset.

    `texts`: each source's normalised text (loaders/verify.py `source_texts`), for the alias
    check; without it aliases are not checked.
    """
    report = ClaimReport()
    checker = _Checker(dataset, report, {k: v.lower() for k, v in (texts or {}).items()})
    seen: set[int] = set()
    for element, cite in dataset.citations():
        if cite.quote is not None and id(cite) not in seen:
            seen.add(id(cite))  # an inherited citation is one quote, checked once
            checker.quote_length(element, cite)
    for node in dataset.nodes.values():
        checker.node(node)
    for rel in dataset.relationships.values():
        checker.relationship(rel)
    return report


class _Checker:
    def __init__(self, dataset: Dataset, report: ClaimReport, texts: dict[str, str]) -> None:
        self.dataset, self.report, self.texts = dataset, report, texts

    def add(self, kind: str, element: str, where: Where, passed: bool, detail: str) -> None:
        self.report.checks.append(Check(kind, element, where, passed, detail))

    def quote_length(self, element: str, cite: Cite) -> None:
        count = word_count(cite.quote or "")
        self.add(
            "quote length",
            element,
            cite.where,
            count >= WORD_FLOOR,
            f"quote of {count} word{'s' if count != 1 else ''} is too short to say anything "
            f'(at least {WORD_FLOOR}): "{cite.quote}"'
            if count < WORD_FLOOR
            else f"{count} words",
        )

    # --- nodes -------------------------------------------------------------------------------

    def node(self, node: NodeRecord) -> None:
        label, values = node.label.name, node.values
        if values.get("inferred"):
            self.report.inferred[node.id] = values["inferred"]
        quotes = _quotes(node.cites)
        for prop in node.label.properties:
            if prop.name not in values or (label, prop.name) in CHECKED_PROPERTIES:
                continue
            if prop.type != "DATE":
                kind = UNCHECKED_PROPERTIES.get((label, prop.name), f"{label} {prop.name}")
                self.report.unchecked.append((kind, node.id))
            else:
                self.date(
                    node.id,
                    node.where_of(prop.name),
                    prop.name,
                    values[prop.name],
                    node.cites,
                    own=self.manifest_date(node) if label == "Source" else None,
                )
        if label == "Measure" and "value" in values:
            self.measure(node, quotes)
        if label == "Judgement" and "grade" in values:
            self.grade(node, quotes)
        if label == "Inspection" and "number" in values:
            number = values["number"]
            ok = any(number in numbers_in(q) or _ordinal(number, q) for q in quotes)
            self.add(
                "visit number",
                node.id,
                node.where_of("number"),
                ok,
                f"number {number} is in a quote"
                if ok
                else f"visit number {number} (or its ordinal) is in none of its quotes",
            )
        if label == "Person":
            self.named(node.id, node.where_of("name"), node.id, node.cites)
        if values.get("aliases") and self.texts:
            self.aliases(node)

    def measure(self, node: NodeRecord, quotes: list[str]) -> None:
        value, unit = float(node.values["value"]), node.values.get("unit")
        holding = [q for q in quotes if any(abs(n - value) < 1e-9 for n in numbers_in(q, unit))]
        shown = (
            f"{node.values['value']:g}"
            if isinstance(node.values["value"], float)
            else str(node.values["value"])
        )
        self.add(
            "value",
            node.id,
            node.where_of("value"),
            bool(holding),
            f"value {shown} is in a quote"
            if holding
            else f"value {shown} is in none of its quotes: {_listed(quotes)}",
        )
        if unit:
            wanted = unit_words(unit)
            pool = holding or quotes
            ok = any(has_phrase(q, w) for q in pool for w in wanted)
            self.add(
                "unit",
                node.id,
                node.where_of("unit"),
                ok,
                f"unit {unit} is said"
                if ok
                else f"unit {unit} ({' / '.join(wanted)}) is not in the quote that gives "
                f"the value: {_listed(pool)}",
            )
        qualifier = node.values.get("qualifier")
        if qualifier:
            ok = any(has_phrase(q, qualifier) for q in quotes)
            self.add(
                "qualifier",
                node.id,
                node.where_of("qualifier"),
                ok,
                f"qualifier '{qualifier}' is said"
                if ok
                else f"qualifier '{qualifier}' is in none of its quotes: {_listed(quotes)}",
            )

    def grade(self, node: NodeRecord, quotes: list[str]) -> None:
        grade = node.values["grade"]
        missing = [q for q in quotes if not has_phrase(q, grade)]
        self.add(
            "grade",
            node.id,
            node.where_of("grade"),
            not missing and bool(quotes),
            f"grade '{grade}' is in every quote"
            if not missing and quotes
            else f"grade '{grade}' is not in its quote: {_listed(missing or quotes)}",
        )

    def aliases(self, node: NodeRecord) -> None:
        sources = dict.fromkeys(c.source for c in node.cites)
        for alias in node.values["aliases"]:
            ok = any(has_phrase(self.texts.get(s, ""), alias) for s in sources)
            self.add(
                "alias",
                node.id,
                node.where_of("aliases"),
                ok,
                f"alias '{alias}' is in a citing source"
                if ok
                else f"alias '{alias}' is in no text that cites it ({', '.join(sources)})",
            )

    # --- relationships ------------------------------------------------------------------------

    def relationship(self, rel: RelRecord) -> None:
        if rel.values.get("inferred"):
            self.report.inferred[rel.id] = rel.values["inferred"]
        self.report.unchecked.append((f"{rel.type.name} link", rel.id))
        for prop in rel.type.properties:
            if prop.name not in rel.values or (rel.type.name, prop.name) in CHECKED_PROPERTIES:
                continue
            if prop.type != "DATE":
                kind = UNCHECKED_PROPERTIES.get(
                    (rel.type.name, prop.name), f"{rel.type.name} {prop.name}"
                )
                self.report.unchecked.append((kind, rel.id))
            else:
                self.date(
                    rel.id, rel.where_of(prop.name), prop.name, rel.values[prop.name], rel.cites
                )
        capacity = rel.values.get("capacity")
        if capacity:
            ok = any(has_phrase(q, capacity) for q in _quotes(rel.cites))
            self.add(
                "capacity",
                rel.id,
                rel.where_of("capacity"),
                ok,
                f"capacity '{capacity}' is said"
                if ok
                else f"capacity '{capacity}' is in none of its quotes: "
                f"{_listed(_quotes(rel.cites))}",
            )
        for end in (rel.start, rel.end):
            if self.dataset.nodes[end].label.name == "Person":
                self.named(rel.id, rel.where, end, rel.cites)

    # --- shared ----------------------------------------------------------------------------

    def date(
        self,
        element: str,
        where: Where,
        name: str,
        value: Any,
        cites: list[Cite],
        own: tuple[Any, str] | None = None,
    ) -> None:
        """A date in a quote of the claim, or its sources' own date. A source's own date is
        what the manifest of its text (texts/corpus.yaml) gives, passed as `own`."""
        date, precision = value
        shown = shown_date(date, precision)
        if any(date_in(c.quote or "", date, precision) for c in cites):
            self.add("date", element, where, True, f"{name} {shown} is in a quote")
            return
        if element in self.dataset.nodes and self.dataset.nodes[element].label.name == "Source":
            ok = date_is(own, date, precision)
            given = shown_date(*own) if own else "none"
            self.add(
                "date",
                element,
                where,
                ok,
                f"{name} {shown} is the date its manifest gives"
                if ok
                else f"{name} {shown} is in none of its quotes and is not the date the "
                f"manifest of its text gives ({given})",
            )
            return
        for cite in cites:
            source = self.dataset.nodes.get(cite.source)
            if source and date_is(source.values.get("published"), date, precision):
                self.add("date", element, where, True, f"{name} {shown} is {cite.source}'s date")
                return
        self.add(
            "date",
            element,
            where,
            False,
            f"{name} {shown} is in none of its quotes nor its sources' dates: "
            f"{_listed(_quotes(cites))}",
        )

    def manifest_date(self, source: NodeRecord) -> tuple[Any, str] | None:
        """The date the manifest of a source's text gives (texts/corpus.yaml), if any."""
        from oversight.loaders.documents.extract import DocumentError
        from oversight.loaders.documents.manifest import read_meta

        name = source.values.get("file")
        for folder in self.dataset.folders if name else ():
            path = folder / "texts" / name
            if path.is_file():
                try:
                    return read_meta(path).published
                except DocumentError:
                    return None
        return None

    def named(self, element: str, where: Where, person: str, cites: list[Cite]) -> None:
        record = self.dataset.nodes[person]
        names = [record.values["name"], *record.values.get("aliases", [])]
        quotes = _quotes(cites)
        ok = any(has_phrase(q, n) for q in quotes for n in names)
        self.add(
            "name",
            element,
            where,
            ok,
            f"{person} is named"
            if ok
            else f"{record.values['name']} ({person}) is named in none of its quotes: "
            f"{_listed(quotes)}",
        )


class _Quote(str):
    """A quote folded for matching (the string itself) that remembers how it reads."""

    shown: str


def _quotes(cites: Iterable[Cite]) -> list[str]:
    """The claim's quotes, folded (`fold`), each once."""
    found: dict[str, _Quote] = {}
    for cite in cites:
        if cite.quote:
            quote = _Quote(fold(cite.quote))
            quote.shown = normalise(cite.quote)
            found.setdefault(quote, quote)
    return list(found.values())


def _ordinal(number: int, folded: str) -> bool:
    return 1 <= number <= len(_ORDINALS) and has_phrase(folded, _ORDINALS[number - 1])


def _listed(quotes: list[str], size: int = 60) -> str:
    if not quotes:
        return "(no quotes)"
    texts = [getattr(q, "shown", q) for q in quotes[:3]]
    shown = [q if len(q) <= size else q[: size - 1] + "…" for q in texts]
    more = f" and {len(quotes) - 3} more" if len(quotes) > 3 else ""
    return "; ".join(f'"{q}"' for q in shown) + more


def shown_date(date: Any, precision: str) -> str:
    """A date as precise as it was written: 2016, 2016-03 or 2016-03-01."""
    return {"year": f"{date:%Y}", "month": f"{date:%Y-%m}"}.get(precision, date.isoformat())


def _kind_of(dataset: Dataset, element: str) -> str:
    if element in dataset.nodes:
        return dataset.nodes[element].label.name
    return dataset.relationships[element].type.name


# --- inferences a machine can see ------------------------------------------------------------

# Words too common in this domain to say what a finding is about.
_GENERIC = words(
    """about after also although among been before being both but can cannot care children child
    children's council could does during each every families family from further good have has
    having into is it its just local authority authority's made make many more most much must
    need needs needed not now ofsted only other over report said same services service social
    some still such than that their them then there these they this those through tower hamlets
    under until very were what when where which while whilst will with within work would young
    inspection inspectors inspector found improve improved improvement improving quality
    effective practice staff well yet"""
)


def subject_words(text: str) -> set[str]:
    """The words that say what a text is about: long, not generic, cut to a common stem."""
    found = set()
    for word in _WORD.findall(fold(text)):
        if len(word) < 4 or word in _GENERIC or word.isdigit():
            continue
        found.add(word[:5])
    return found


@dataclass(frozen=True)
class Suspect:
    """A claim that looks inferred but is not marked so."""

    element: str
    where: Where
    reason: str

    @property
    def message(self) -> str:
        return f"{self.element}: unmarked inference: {self.reason}; add `inferred: <why>`"


def suspected_inferences(dataset: Dataset) -> list[Suspect]:
    """Claims a machine can see rest on reasoning, yet carry no `inferred:`."""
    suspects = []
    for rel in dataset.relationships.values():
        if rel.values.get("inferred"):
            continue
        if rel.type.name == "FOLLOWS_UP":
            suspects.extend(_lineage_suspect(dataset, rel))
        elif rel.type.name == "REPORTS_TO":
            suspects.extend(_reporting_suspect(dataset, rel))
    return suspects


def _lineage_suspect(dataset: Dataset, rel: RelRecord) -> Iterator[Suspect]:
    later, earlier = dataset.nodes[rel.start], dataset.nodes[rel.end]
    said = " ".join(
        [
            *(c.quote or "" for c in rel.cites),
            *(c.quote or "" for c in later.cites),
            str(later.values.get("text", "")),
        ]
    )
    before = " ".join(
        [
            str(earlier.values.get("text", "")),
            str(earlier.values.get("name", "")),
            *(c.quote or "" for c in earlier.cites),
        ]
    )
    if not subject_words(said) & subject_words(before):
        yield Suspect(
            rel.id,
            rel.where,
            f"the words of {later.id} share no subject with {earlier.id}",
        )


def _reporting_suspect(dataset: Dataset, rel: RelRecord) -> Iterator[Suspect]:
    quotes = _quotes(rel.cites)
    for end in (rel.start, rel.end):
        record = dataset.nodes[end]
        names = [record.values["name"], *record.values.get("aliases", [])]
        if not any(has_phrase(q, n) for q in quotes for n in names):
            yield Suspect(rel.id, rel.where, f"no quote names {end}, one end of the line")
            return
