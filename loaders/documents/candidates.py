"""Names in a document that match no known entity: who and what might deserve a place.

What counts, and the cue that says so (strongest first):

- `inspector`: "X Y, Her Majesty's Inspector", "X Y HMI", "X Y, Ofsted Inspector";
- `title`: "Cllr X", "Councillor X Y", "Mr/Ms/Dr X", "Mayor X Y";
- `byline`: a passage that starts "By X Y";
- `speech`: "X Y said", "said X Y", "X Y commented";
- `definition`: an acronym defined in the text whose expansion names nothing known
  ("newly qualified social workers (NQSWs)");
- `body`: a capitalised name ending in an organisation's word (Board, Council, Panel, Team,
  Trust, …), or "the … board/panel/team/committee/…" in lower case;
- `name`: two or three capitalised words, not at the start of a sentence and without an
  organisation's word: a person, probably.

Words the linker linked (or found ambiguous) are never candidates, and neither is anything whose
words are all part of a known name ("Tower Hamlets" is part of "Tower Hamlets Council").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from oversight.loaders.documents.extract import words
from oversight.loaders.documents.linker import (
    FUNCTION_WORDS,
    TITLES,
    Linker,
    Mention,
    Token,
    is_acronym,
    tokenise,
)

CUES = ("inspector", "title", "byline", "speech", "definition", "body", "name")
ORGANISATION_WORDS = words(
    "board council committee panel team service hub group department office authority "
    "borough school academy trust partnership agency unit centre center commission party "
    "government ministry court police forum network alliance association society foundation "
    "charity institute university college hospital clinic federation union inspectorate"
)
_NOT_NAMES = words(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday the this that these those a "
    "an in on at of for and or but our we it its their they he she his her i you your my if "
    "as by with from to read more contact us image leave reply spread news said says "
    "children child young people care report plan summary executive leadership management "
    "inspection inspector inspectors ofsted mr mrs ms dr cllr north south east west road "
    "street lane avenue gateway park square place way drive house building floor"
)
_SPEECH = words("said says commented added told explained stated argued warned")
_INSPECTOR_ROLE = re.compile(
    r",?\s*((?:Senior\s+)?Her\s+Majesty[’']s\s+Inspector|(?:Senior\s+)?HMI\b|Ofsted\s+Inspector"
    r"|Social\s+Care\s+Regulatory\s+Inspector|Regulatory\s+Inspector)"
)
_BODY_HEADS = words(
    "board boards panel panels team teams committee committees group groups forum forums "
    "partnership partnerships hub service services unit units trust network commission"
)
_STOP_IN_BODY = words(
    "is are was were be been being has have had will would can could should may might must "
    "this that these those their its his her our your my which who whom whose what where "
    "when to by with from in on at as than then also not no all any each every some such "
    "current new former previous same whole entire other own"
)


@dataclass(frozen=True)
class Candidate:
    text: str
    kind: str  # person, body or term
    cue: str
    passage: int  # index of the passage
    start: int
    end: int
    context: str  # the sentence it is in


@dataclass
class CandidateSummary:
    """One candidate name with every place it occurs."""

    text: str
    kind: str
    cues: list[str]
    count: int
    passages: list[int] = field(default_factory=list)
    context: str = ""

    @property
    def strength(self) -> int:
        return min(CUES.index(c) for c in self.cues)


def find_candidates(
    texts: Sequence[str], mentions: Sequence[Sequence[Mention]], linker: Linker
) -> list[Candidate]:
    """Candidates of every passage of one document, in order."""
    known_words = _known_words(linker)
    found: list[Candidate] = []
    for index, (text, passage_mentions) in enumerate(zip(texts, mentions, strict=True)):
        passage = _Passage(index, text, tokenise(text), passage_mentions, known_words)
        tokens = passage.tokens
        for first, stop in _people(tokens):
            cue = _person_cue(text, tokens, first, stop)
            if cue:
                passage.add(first, stop, "person", cue)
        for definition in linker.definitions([text]):
            if linker.expansion_entity(definition.expansion) is None and not _known_acronym(
                linker, definition.acronym
            ):
                first = next(i for i, t in enumerate(tokens) if t.start >= definition.start)
                stop = max(i for i, t in enumerate(tokens) if t.end <= definition.end) + 1
                kind = "body" if definition.expansion[-1] in _BODY_HEADS else "term"
                passage.add(first, stop, kind, "definition")
        for first, stop in _capitalised_bodies(tokens):
            passage.add(first, stop, "body", "body")
        for first, stop in _lowercase_bodies(tokens):
            passage.add(first, stop, "body", "body")
        for first, stop in _people(tokens):
            if not _sentence_start(tokens, first) and stop - first >= 2:
                passage.add(first, stop, "person", "name")
        found.extend(sorted(passage.found, key=lambda c: c.start))
    return found


@dataclass
class _Passage:
    """One passage's candidates, kept apart from what was linked and from each other."""

    index: int
    text: str
    tokens: list[Token]
    mentions: Sequence[Mention]
    known_words: set[str]
    found: list[Candidate] = field(default_factory=list)

    def add(self, first: int, stop: int, kind: str, cue: str) -> None:
        start, end = self.tokens[first].start, self.tokens[stop - 1].end
        if any(m.start < end and start < m.end for m in self.mentions):
            return
        keys = [t.key for t in self.tokens[first:stop] if t.word]
        content = [k for k in keys if k not in FUNCTION_WORDS]
        if not content or all(k in self.known_words for k in content):
            return
        if any(c.start < end and start < c.end for c in self.found):
            return
        name = _squash(self.text[start:end])
        context = _sentence(self.text, start)
        self.found.append(Candidate(name, kind, cue, self.index, start, end, context))


def summarise(candidates: Sequence[Candidate]) -> list[CandidateSummary]:
    """One entry per name (compared as the linker compares), strongest cue and most often first."""
    groups: dict[tuple[str, ...], CandidateSummary] = {}
    for candidate in candidates:
        key = tuple(t.key for t in tokenise(candidate.text) if t.word and t.key != "the")
        summary = groups.get(key)
        if summary is None:
            summary = groups[key] = CandidateSummary(
                candidate.text, candidate.kind, [], 0, [], candidate.context
            )
        summary.count += 1
        if candidate.cue not in summary.cues:
            summary.cues.append(candidate.cue)
        if candidate.passage not in summary.passages:
            summary.passages.append(candidate.passage)
        if candidate.kind == "person" and summary.kind != "person":
            summary.kind = "person"
    return sorted(groups.values(), key=lambda s: (s.strength, -s.count, s.text.lower()))


# --- patterns ------------------------------------------------------------------------------


def _known_words(linker: Linker) -> set[str]:
    """Every word of a known name: a candidate made only of these is part of a known name."""
    return {key for keys in linker.index.by_keys for key in keys if key.isalpha()}


def _known_acronym(linker: Linker, key: str) -> bool:
    return bool(linker.index.by_keys.get((key,)))


def _name_word(token: Token) -> bool:
    raw = token.raw
    return (
        token.word
        and raw[:1].isupper()
        and raw.isalpha()
        and not is_acronym(raw)
        and token.key not in _NOT_NAMES
        and token.key not in ORGANISATION_WORDS
        and raw.lower() not in _NOT_NAMES
    )


def _people(tokens: list[Token]) -> list[tuple[int, int]]:
    """Runs of two to four capitalised words that could be a person's name."""
    runs = []
    index = 0
    while index < len(tokens):
        if not _name_word(tokens[index]) or tokens[index].key in TITLES:
            index += 1
            continue
        stop = index + 1
        while stop < len(tokens) and _name_word(tokens[stop]) and stop - index < 4:
            stop += 1
        if stop < len(tokens) and tokens[stop].word and tokens[stop].raw[:1].isupper():
            index = stop + 1  # part of a longer capitalised phrase: a title, a heading
            while index < len(tokens) and tokens[index].word and tokens[index].raw[:1].isupper():
                index += 1
            continue
        first = index
        if stop - index >= 3 and _sentence_start(tokens, index):
            first += 1  # "Later Peter Walsh said": the sentence's first word is not the name's
        runs.append((first, stop))
        index = stop
    return runs


def _person_cue(text: str, tokens: list[Token], first: int, stop: int) -> str | None:
    if _INSPECTOR_ROLE.match(text, tokens[stop - 1].end):
        return "inspector"
    before = tokens[first - 1].key if first > 0 else ""
    if before in TITLES:
        return "title"
    if first == 1 and before == "by" and stop - first >= 2:
        return "byline"
    after = tokens[stop].key if stop < len(tokens) else ""
    if stop - first >= 2 and (after in _SPEECH or before in _SPEECH):
        return "speech"
    return None


def _capitalised_bodies(tokens: list[Token]) -> list[tuple[int, int]]:
    """`Children and Families Partnership Board`: capitalised words ending in an organisation's."""
    runs = []
    index = 0
    while index < len(tokens):
        if not (tokens[index].word and tokens[index].raw[:1].isupper()):
            index += 1
            continue
        stop = index + 1
        while stop < len(tokens) and stop - index < 8:
            token = tokens[stop]
            if token.word and token.raw[:1].isupper():
                stop += 1
            elif token.key in ("of", "for", "and") and stop + 1 < len(tokens):
                nxt = tokens[stop + 1]
                if nxt.word and nxt.raw[:1].isupper():
                    stop += 1
                else:
                    break
            else:
                break
        last = stop
        while last > index and tokens[last - 1].key not in ORGANISATION_WORDS:
            last -= 1
        if last - index >= 2:
            first = index + 1 if tokens[index].key == "the" else index
            if last - first >= 2:
                runs.append((first, last))
        index = stop
    return runs


def _lowercase_bodies(tokens: list[Token]) -> list[tuple[int, int]]:
    """`the multi-agency improvement and operational boards`: `the` … a body's word."""
    runs = []
    for index, token in enumerate(tokens):
        if token.key not in _BODY_HEADS or not token.raw.islower():
            continue
        first = index
        while first > 0 and index - first < 6:
            before = tokens[first - 1]
            if before.key == "the":
                break
            if (
                not before.word
                or before.key in _STOP_IN_BODY
                or before.key in FUNCTION_WORDS - {"and"}
            ):
                first = -1
                break
            first -= 1
        if first > 0 and tokens[first - 1].key == "the" and index - first >= 1:
            words = [t for t in tokens[first : index + 1] if t.word]
            if words[0].key != "and" and len(words) >= 2:
                runs.append((first, index + 1))
    return runs


def _sentence_start(tokens: list[Token], index: int) -> bool:
    return index == 0 or tokens[index - 1].key in {".", "!", "?", ":", "-", "(", "["}


def _sentence(text: str, position: int) -> str:
    starts = [m.end() for m in re.finditer(r"[.!?]\s+", text) if m.end() <= position]
    start = starts[-1] if starts else 0
    end_match = re.search(r"[.!?](\s|$)", text[position:])
    end = position + end_match.end() if end_match else len(text)
    sentence = _squash(text[start:end])
    return sentence if len(sentence) <= 300 else sentence[:297] + "…"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
