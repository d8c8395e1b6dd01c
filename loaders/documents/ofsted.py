"""What an Ofsted letter or report states in set forms, for a curator to check and add.

- the dates of the visit or inspection ("on 15 and 16 August 2018", "between 23 January and
  16 February 2017", "from 5 to 9 March 2018", "on 12 June 2019"), from sentences about a
  visit or an inspection;
- the inspectors and their roles ("Brenda McLaughlin, Her Majesty's Inspector", "Tom Anthony,
  Ofsted Inspector", "X HMI"); the one who signs the letter ("Yours sincerely" then the name),
  or is called the lead inspector, is the lead;
- judgement lines, "area – grade" on a line of their own ("Leadership, management and
  governance - Inadequate", "Overall effectiveness: Good");
- every percentage and every count with the sentence it is in, as candidate measures
  ("only 22% of initial health assessments…", "approximately 160 children…").

Nothing here is written to the graph: these are proposals for the dataset's curators.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from oversight.loaders.documents.extract import Paragraph, word_list
from oversight.loaders.documents.manifest import MONTH_PATTERN, MONTHS, Meta

GRADES = ("outstanding", "good", "requires improvement", "inadequate")
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
_M = rf"({MONTH_PATTERN})"
_Y = r"(\d{4})"
_TO = r"\s*(?:and|to|until|-|–|—)\s*"
_RANGES = (
    # 23 January 2017 to 16 February 2017
    re.compile(rf"\b{_D}\s+{_M}\s+{_Y}{_TO}{_D}\s+{_M}\s+{_Y}\b", re.IGNORECASE),
    # 23 January to 16 February 2017
    re.compile(rf"\b{_D}\s+{_M}{_TO}{_D}\s+{_M}\s+{_Y}\b", re.IGNORECASE),
    # 15 and 16 August 2018, 5 to 9 March 2018
    re.compile(rf"\b{_D}{_TO}{_D}\s+{_M}\s+{_Y}\b", re.IGNORECASE),
    # 12 June 2019
    re.compile(rf"\b{_D}\s+{_M}\s+{_Y}\b", re.IGNORECASE),
)
_ABOUT_A_VISIT = re.compile(
    r"\b(visit|visited|inspection|inspected|inspectors?|conducted)\b", re.IGNORECASE
)
_ROLE = (
    r"(?:Senior\s+|Lead\s+)?Her\s+Majesty[’']s\s+Inspector|(?:Senior\s+)?HMI\b|Ofsted\s+Inspector"
    r"|Social\s+Care\s+Regulatory\s+Inspector|Regulatory\s+Inspector|Lead\s+[Ii]nspector"
)
_NAME = r"[A-Z][a-zA-Z’'\-]+(?:\s+[A-Z][a-zA-Z’'\-]+){1,3}"
_INSPECTOR = re.compile(rf"(?P<name>{_NAME}),?\s+(?P<role>{_ROLE})")
_LEAD = re.compile(rf"[Ll]ead\s+inspector[:,]?\s+(?P<name>{_NAME})")
_JUDGEMENT = re.compile(
    r"^(?P<area>[A-Z][^:|–—]{2,160}?)\s*(?:\s[-–—]\s|:|\|)\s*"
    r"(?P<grade>(?i:outstanding|good|requires improvement(?: to be good)?|inadequate))\.?$"
)
_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?(%|per\s?cent)", re.IGNORECASE)
_NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        word_list(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
        )
    )
}
_COUNT = re.compile(
    r"(?<![\w.£$€/])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")\b(?![.,]\d)(?!\s?(?:%|per\s?cent))",
    re.IGNORECASE,
)
_QUALIFIERS = (
    "approximately",
    "about",
    "around",
    "nearly",
    "almost",
    "over",
    "more than",
    "fewer than",
    "less than",
    "up to",
    "at least",
    "only",
    "just",
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘'(])")


@dataclass(frozen=True)
class Visit:
    start: dt.date
    end: dt.date
    sentence: str


@dataclass(frozen=True)
class Inspector:
    name: str
    role: str
    lead: bool = False


@dataclass(frozen=True)
class JudgementLine:
    area: str
    grade: str
    passage: int


@dataclass(frozen=True)
class MeasureCandidate:
    value: float
    unit: str  # percent, or the word after the number (children, families, …), or count
    written: str  # the figure as the text writes it
    qualifier: str | None
    sentence: str
    passage: int
    ref: str | None


@dataclass
class OfstedFacts:
    visits: list[Visit] = field(default_factory=list)
    inspectors: list[Inspector] = field(default_factory=list)
    judgements: list[JudgementLine] = field(default_factory=list)
    measures: list[MeasureCandidate] = field(default_factory=list)

    @property
    def visit(self) -> Visit | None:
        """The visit or inspection the document reports: the first dated one it names."""
        return self.visits[0] if self.visits else None


def is_ofsted(meta: Meta, paragraphs: Sequence[Paragraph]) -> bool:
    """An inspectorate letter, something Ofsted published, or a text signed by an inspector."""
    if meta.kind == "inspectorate-letter" or (meta.publisher or "").lower() == "ofsted":
        return True
    text = " ".join(p.text for p in paragraphs)
    return bool(re.search(r"Her Majesty[’']s Inspector|\bHMI\b", text))


def extract_ofsted(paragraphs: Sequence[Paragraph]) -> OfstedFacts:
    facts = OfstedFacts()
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        for sentence in _SENTENCE.split(text):
            if _ABOUT_A_VISIT.search(sentence):
                for visit in _visits(sentence):
                    if visit not in facts.visits:
                        facts.visits.append(visit)
            facts.measures.extend(_measures(sentence, index, paragraph.ref))
        line = re.sub(r"^[•·\-*]\s*", "", text.strip())
        judgement = _JUDGEMENT.match(line)
        if judgement:
            grade = judgement.group("grade").lower()
            grade = "requires improvement" if grade.startswith("requires") else grade
            area = judgement.group("area").strip(" -–—")
            facts.judgements.append(JudgementLine(area, grade, index))
    facts.inspectors = _inspectors(paragraphs)
    return facts


def _visits(sentence: str) -> list[Visit]:
    found: list[Visit] = []
    taken: list[tuple[int, int]] = []
    for number, pattern in enumerate(_RANGES):
        for match in pattern.finditer(sentence):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            g = match.groups()
            try:
                if number == 0:
                    start = _day(g[0], g[1], g[2])
                    end = _day(g[3], g[4], g[5])
                elif number == 1:
                    start, end = _day(g[0], g[1], g[4]), _day(g[2], g[3], g[4])
                elif number == 2:
                    start, end = _day(g[0], g[2], g[3]), _day(g[1], g[2], g[3])
                else:
                    start = end = _day(g[0], g[1], g[2])
            except ValueError:
                continue
            if start <= end:
                taken.append(match.span())
                found.append(Visit(start, end, sentence.strip()))
    return sorted(found, key=lambda v: sentence.find(str(v.start.day)))


def _day(day: str, month: str, year: str) -> dt.date:
    return dt.date(int(year), MONTHS[month.lower()], int(day))


def _inspectors(paragraphs: Sequence[Paragraph]) -> list[Inspector]:
    text = "\n".join(p.text for p in paragraphs)
    found: dict[str, Inspector] = {}
    for match in _INSPECTOR.finditer(text):
        name = _name(match.group("name"))
        role = re.sub(r"\s+", " ", match.group("role")).replace("'", "’")
        if name and name not in found:
            found[name] = Inspector(name, role)
    leads = {_name(m.group("name")) for m in _LEAD.finditer(text)}
    signed = _signatory(paragraphs)
    if signed:
        leads.add(signed)
    return [Inspector(i.name, i.role, i.name in leads) for i in found.values()]


def _name(text: str) -> str:
    """The name without words before it that are not part of it (`The inspectors were X Y`)."""
    words = text.split()
    while words and words[0].lower() in {"and", "the", "were", "was", "inspector", "inspectors"}:
        words = words[1:]
    return " ".join(words) if len(words) >= 2 else ""


def _signatory(paragraphs: Sequence[Paragraph]) -> str | None:
    texts = [p.text.strip() for p in paragraphs]
    for index, text in enumerate(texts):
        match = re.search(r"Yours (?:sincerely|faithfully)[,.]?\s*(.*)$", text, re.IGNORECASE)
        if not match:
            continue
        rest = match.group(1) or (texts[index + 1] if index + 1 < len(texts) else "")
        name = re.match(rf"({_NAME})", rest)
        if name:
            return _name(re.sub(rf"\s*(?:{_ROLE}).*$", "", name.group(1)))
    return None


def _measures(sentence: str, passage: int, ref: str | None) -> list[MeasureCandidate]:
    found: list[MeasureCandidate] = []
    taken: list[tuple[int, int]] = []
    clean = re.sub(r"\s+", " ", sentence).strip()
    for match in _PERCENT.finditer(clean):
        taken.append(match.span())
        found.append(
            MeasureCandidate(
                float(match.group(1)),
                "percent",
                match.group(0),
                _qualifier(clean, match.start()),
                clean,
                passage,
                ref,
            )
        )
    for match in _COUNT.finditer(clean):
        if any(s <= match.start() < e for s, e in taken):
            continue
        written = match.group(1)
        after = clean[match.end() :].lstrip()
        before = clean[: match.start()].rstrip()
        if _is_date_or_label(written, before, after):
            continue
        word = re.match(r"([A-Za-z][\w-]*)", after)
        unit = word.group(1).lower() if word else "count"
        if written.lower() in _NUMBER_WORDS:
            if unit == "count" or not (unit.endswith("s") or unit in ("children", "people")):
                continue
            if unit in ("of", "years", "months", "weeks", "days"):
                continue
            value = float(_NUMBER_WORDS[written.lower()])
        else:
            value = float(written.replace(",", ""))
            if unit in ("and", "or", "to", "of", "in", "the", "a", "on", "at", "was", "were"):
                unit = "count"
        found.append(
            MeasureCandidate(
                value, unit, written, _qualifier(clean, match.start()), clean, passage, ref
            )
        )
    return sorted(found, key=lambda m: clean.find(m.written))


def _is_date_or_label(written: str, before: str, after: str) -> bool:
    if re.match(rf"^(?:st|nd|rd|th)?\s*(?:{MONTH_PATTERN})\b", after, re.IGNORECASE):
        return True  # 15 August
    if re.search(rf"\b(?:{MONTH_PATTERN})$", before, re.IGNORECASE):
        return True  # August 2018
    if re.fullmatch(r"(19|20)\d\d", written) or re.fullmatch(r"0\d+", written):
        return True  # a year, a telephone number
    if not before and after.startswith("."):
        return True  # a list's number
    if re.search(r"(?:\bp|\bparagraph|\bpage|\bsection)$", before, re.IGNORECASE):
        return True
    if re.match(r"^(?:and|to|-|–)\s*\d{1,2}\s+(?:" + MONTH_PATTERN + r")\b", after, re.IGNORECASE):
        return True  # 15 and 16 August
    return bool(re.match(r"^[.:]\d", after))  # 23.07.19, 10:30


def _qualifier(sentence: str, position: int) -> str | None:
    before = sentence[:position].rstrip().lower()
    for qualifier in _QUALIFIERS:
        if before.endswith(" " + qualifier) or before == qualifier:
            return qualifier
    return None
