"""Which known people, posts, bodies, services and inspections each passage speaks of.

The known entities come from the store (`Known.from_store`), so a document links to whatever
dataset is loaded. Every name and alias becomes one or more *forms*, matched against the text
token by token after the same normalisation on both sides:

- case is ignored except in acronyms (`MASH` is not `mash`); quote marks, apostrophes and
  possessives are dropped (`Tower Hamlets’`, `Ofsted's`, `‘edge of care’ team`); a hyphen inside
  a word is dropped and every dash variant is one (`multi‑agency` = `Multi Agency`,
  `multiagency`); `&` is `and`; a final plural `s` is folded (`IROs` = `IRO`, `boards` =
  `board`); line breaks are spaces;
- forms derived from names: a caption's qualifier in parentheses is dropped (`Fourth monitoring
  visit (August 2018)`), titles are taken off people's aliases (`Cllr. Rachael Saunders`, `Mayor
  John Biggs`), so that the title is free to name the post; a post's organisation is taken off
  its name when the organisation's own name contains it (`Mayor of Tower Hamlets` -> `Mayor`);
  a council's place is a form of the council (`London Borough of Tower Hamlets`, `Tower Hamlets
  Council` -> `Tower Hamlets`); a leading `the` is optional for names of three words or more.

Overlapping matches keep the longest. Then each match must be unambiguous in the document:

- An entity that is part of a larger one (a post or service of a council, an inspection of a
  service) links only when the document also names its organisation (the root of its PART_OF or
  INSPECTED chain): "the chief executive" or "the multi-agency safeguarding hub" in an article
  about another council links to nothing. A root's `the …` alias ("the local authority") needs
  the root itself named elsewhere in the document.
- `the` + one word ("the board", "the council", "the regulator") is an anaphor: it links to the
  entity with that alias or that head noun mentioned most recently before it.
- Acronyms defined in the text, "multi-agency safeguarding hub (MASH)" (or the other way round,
  or "(Mash)" in a paper that writes acronyms so),
  link the acronym to the entity the expansion names, for the whole document, even if the
  dataset does not list it; a known acronym defined as something else ("artificial intelligence
  (AI)") does not link in that document.
- People: the full name (titles around it are free); a title with a surname ("Cllr. Saunders",
  "Ms Jones") when one known person has that surname, or one mentioned earlier does; a bare
  surname, or a first name not at the start of a sentence, when it belongs to exactly one person
  already named in the document; a capitalised name one or two letters off a known name
  (rapidfuzz, "Rachel Saunders") when only one name is that close.
- A post stands for its holder at the document's date: "the Director of Children's Services"
  in a 2017 text links the post and, through HOLDS dates (a tenure without dates counts as
  open), the one person who held it then (method `post-holder`); not where the text names the
  person meant ("Mayor John Biggs", "the chief executive, Jane Roe") or a past holder ("former
  mayor").

A match that stays ambiguous is kept as a `Mention` with `entity=None` and its candidates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from oversight.graph.schema import schema
from oversight.loaders.documents.extract import words

if TYPE_CHECKING:
    from oversight.graph.store import Store

LINKED_LABELS = ("Person", "Post", "Body", "Service", "Inspection")
PreciseDate = tuple[dt.date, str]

ENTITIES_QUERY = (
    "MATCH (n:Person|Post|Body|Service|Inspection) "
    "RETURN n.id AS id, n.name AS name, n.aliases AS aliases"
)
TENURES_QUERY = (
    "MATCH (p:Person)-[h:HOLDS]->(o:Post) "
    "RETURN p.id AS person, o.id AS post, h.start_date AS since, "
    "h.start_precision AS since_precision, h.end_date AS until, h.end_precision AS until_precision"
)
PARENTS_QUERY = "MATCH (a)-[:PART_OF|INSPECTED]->(b) RETURN a.id AS part, b.id AS whole"
QUERIES = (ENTITIES_QUERY, TENURES_QUERY, PARENTS_QUERY)

# Titles and honorifics before a name (lower case, no final full stop).
TITLES = words(
    "cllr councillor mr mrs ms miss mx dr sir dame lord lady baroness baron professor prof "
    "rev reverend hon mayor hmi inspector judge justice"
)
MULTIWORD_TITLES = (("deputy", "mayor"), ("rt", "hon"), ("right", "honourable"))
_ABBREVIATIONS = words("cllr mr mrs ms mx dr st prof rev hon no co ltd inc jr sr rt")
FUNCTION_WORDS = words("a an and of the for in on at to by with from or as")

SCORES = {"exact": 1.0, "alias": 0.95, "acronym": 0.9}


# --- known entities ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tenure:
    person: str
    post: str
    start: dt.date | None = None  # first day it may have begun
    end: dt.date | None = None  # last day it may have run to


@dataclass
class Known:
    """The entities a document can link to, who held which post when, and what is part of what."""

    entities: dict[str, Entity]
    tenures: list[Tenure] = field(default_factory=list)
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store: Store) -> Known:
        entities = {}
        model = schema()
        for row in store.read(ENTITIES_QUERY).records():
            label = model.label_of_id(row["id"])
            if label is None or label.name not in LINKED_LABELS:
                continue
            aliases = tuple(a for a in row["aliases"] or () if a)
            entities[row["id"]] = Entity(row["id"], label.name, row["name"] or row["id"], aliases)
        tenures = []
        result = store.read(TENURES_QUERY)  # rows, not records(): dates must stay dates
        for values in result.rows:
            row = dict(zip(result.columns, values, strict=True))
            tenures.append(
                Tenure(
                    row["person"],
                    row["post"],
                    _date(row["since"]),
                    period_end(_date(row["until"]), row["until_precision"]),
                )
            )
        parents: dict[str, list[str]] = {}
        for row in store.read(PARENTS_QUERY).records():
            parents.setdefault(row["part"], []).append(row["whole"])
        return cls(entities, tenures, {k: tuple(v) for k, v in parents.items()})

    def roots(self, entity: str) -> frozenset[str]:
        """The tops of an entity's PART_OF/INSPECTED chains (itself if it has none)."""
        found: set[str] = set()
        todo, seen = [entity], {entity}
        while todo:
            current = todo.pop()
            ups = [p for p in self.parents.get(current, ()) if p in self.entities]
            if not ups:
                found.add(current)
            for up in ups:
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
        return frozenset(found)

    def ancestors(self, entity: str) -> list[str]:
        out: list[str] = []
        todo = list(self.parents.get(entity, ()))
        while todo:
            current = todo.pop(0)
            if current in self.entities and current not in out and current != entity:
                out.append(current)
                todo.extend(self.parents.get(current, ()))
        return out


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def period_end(date: dt.date | None, precision: str | None) -> dt.date | None:
    """The last day of the period a date with its precision stands for."""
    if date is None:
        return None
    if precision == "year":
        return dt.date(date.year, 12, 31)
    if precision == "month":
        return dt.date(date.year, date.month, calendar.monthrange(date.year, date.month)[1])
    return date


# --- tokens --------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+|\S")
_APOSTROPHES = frozenset("'’‘`´ʼ′")
_QUOTES = frozenset('"“”„‟″«»')
_HYPHENS = frozenset("-‐‑‒–—―−")


@dataclass(frozen=True)
class Token:
    key: str  # the normalised form that matching compares
    raw: str
    start: int
    end: int
    word: bool


def is_acronym(raw: str) -> bool:
    """MASH, IROs, DfE: two or more capitals and at most one small letter."""
    return (
        2 <= len(raw) <= 8
        and raw.isalpha()
        and sum(c.isupper() for c in raw) >= 2
        and sum(c.islower() for c in raw) <= 1
    )


def fold(raw: str) -> str:
    """Lower case, a final plural `s` off (IROs -> iro, boards -> board, childrens -> children)."""
    if raw.endswith("s") and len(raw) > 2 and raw[:-1].isupper():
        return raw[:-1].lower()  # IROs, RHIs
    word = raw.lower()
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenise(text: str) -> list[Token]:
    """The tokens matching compares; quote marks, in-word hyphens and possessive 's are left out."""
    raws = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    tokens: list[Token] = []
    for index, (raw, start, end) in enumerate(raws):
        before = raws[index - 1] if index else None
        after = raws[index + 1] if index + 1 < len(raws) else None
        touches_before = before is not None and before[2] == start
        touches_after = after is not None and after[1] == end
        if raw in _APOSTROPHES or raw in _QUOTES:
            continue
        if raw in _HYPHENS:
            if (
                touches_before
                and touches_after
                and before[0][-1].isalnum()
                and after[0][0].isalnum()
            ):
                continue  # multi-agency
            tokens.append(Token("-", raw, start, end, False))
        elif raw == "&":
            tokens.append(Token("and", raw, start, end, True))
        elif raw == ".":
            if touches_before and (
                before[0].lower() in _ABBREVIATIONS or (len(before[0]) == 1 and before[0].isupper())
            ):
                continue  # Cllr. / J. Smith
            tokens.append(Token(".", raw, start, end, False))
        elif raw[0].isalnum():
            if raw.lower() == "s" and touches_before and before[0] in _APOSTROPHES:
                continue  # possessive 's
            tokens.append(Token(fold(raw), raw, start, end, True))
        else:
            tokens.append(Token(raw, raw, start, end, False))
    return tokens


def keys_of(text: str) -> tuple[str, ...]:
    return tuple(token.key for token in tokenise(text))


# --- forms ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    entity: str
    text: str
    keys: tuple[str, ...]
    acronyms: tuple[bool, ...]  # which positions must be written as an acronym
    method: str  # exact, alias or acronym
    kind: str  # "name", "the" (a root's `the …` alias), "anaphor" (`the` + one word)
    score: float
    anchored: bool = False  # names its own organisation (Mayor of Tower Hamlets)
    written: str | None = None  # an acronym as the document defined it (Mash), case and all


_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
_COUNCIL = re.compile(
    r"^(?:(?:the\s+)?(?:london|royal|metropolitan)?\s*borough of|city of|county of)\s+(.+)$"
    r"|^(.+?)\s+(?:(?:london\s+)?borough\s+|county\s+|city\s+|district\s+|town\s+)?council$",
    re.IGNORECASE,
)


def strip_titles(text: str) -> str:
    """`Cllr. Rachael Saunders` -> `Rachael Saunders`; `Deputy Mayor Cllr. X Y` -> `X Y`."""
    words = text.split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        lowered = [w.lower().rstrip(".") for w in words]
        for title in MULTIWORD_TITLES:
            if tuple(lowered[: len(title)]) == title and len(words) > len(title):
                words, changed = words[len(title) :], True
                break
        else:
            if lowered[0] in TITLES:
                words, changed = words[1:], True
    return " ".join(words)


class FormIndex:
    """Every form of every known entity, by its keys."""

    def __init__(self, known: Known) -> None:
        self.known = known
        self.by_keys: dict[tuple[str, ...], list[Form]] = {}
        self.prefixes: dict[tuple[str, ...], set[str]] = {}
        self.heads: dict[str, set[str]] = {}  # last word -> entities with a form ending in it
        self.persons: dict[str, tuple[str, ...]] = {}  # person -> keys of the bare name
        for entity in known.entities.values():
            for form in self._forms(entity):
                self._add(form)
        self.lengths = sorted({len(k) for k in self.by_keys}, reverse=True)
        self.by_entity: dict[str, list[Form]] = {}
        for forms in self.by_keys.values():
            for form in forms:
                self.by_entity.setdefault(form.entity, []).append(form)
        self.by_last: dict[str, list[str]] = {}  # surname -> people
        self.by_first: dict[str, list[str]] = {}  # first name -> people
        for person, keys in self.persons.items():
            self.by_last.setdefault(keys[-1], []).append(person)
            self.by_first.setdefault(keys[0], []).append(person)

    def _add(self, form: Form) -> None:
        if not form.keys:
            return
        forms = self.by_keys.setdefault(form.keys, [])
        if any(f.entity == form.entity and f.kind == form.kind for f in forms):
            return
        forms.append(form)
        if form.kind != "anaphor":
            for n in range(2, len(form.keys)):
                self.prefixes.setdefault(form.keys[:n], set()).add(form.entity)
            if len(form.keys) > 1 and form.keys[-1].isalpha():
                self.heads.setdefault(form.keys[-1], set()).add(form.entity)

    def _forms(self, entity: Entity) -> Iterable[Form]:
        ancestors = self.known.ancestors(entity.id)
        organisations = [
            name
            for up in ancestors
            for name in (self.known.entities[up].name, *self.known.entities[up].aliases)
        ]
        # A form that names its organisation's root (Mayor of Tower Hamlets) anchors itself.
        root_names = [
            keys_of(name)
            for root in self.known.roots(entity.id) - {entity.id}
            for given in (self.known.entities[root].name, *self.known.entities[root].aliases)
            for name in (given, _place(given))
            if name and _specific(keys_of(name))
        ]
        variants: dict[str, tuple[str, float | None]] = {}  # text -> (method, score)

        def add(text: str, method: str, score: float | None = None) -> None:
            text = re.sub(r"\s+", " ", text).strip()
            if text and text not in variants:
                variants[text] = (method, score)

        given = [(entity.name, "exact"), *((alias, "alias") for alias in entity.aliases)]
        for text, method in given:
            text = re.sub(r"\s+", " ", text).strip()
            bare = _PARENTHESIS.sub("", text).strip()
            for candidate in dict.fromkeys(c for c in (text, bare) if c):
                if entity.label == "Person":
                    candidate = strip_titles(candidate)
                same = candidate == text
                add(candidate, method if same else "alias")
                words = candidate.split()
                if len(words) >= 3 and words[0].lower() == "the" and ancestors:
                    add(" ".join(words[1:]), "alias")
                if re.search(r"\w-\w", candidate):
                    add(re.sub(r"(?<=\w)-(?=\w)", "", candidate), "alias")
                if entity.label == "Post" and (short := _unqualified(candidate, organisations)):
                    add(short, "alias")
                if entity.label == "Body" and not ancestors and (place := _place(candidate)):
                    add(place, "alias", 0.8)  # the place standing for its council
        for text, (method, score) in variants.items():
            tokens = tokenise(text)
            keys = tuple(t.key for t in tokens)
            if not keys:
                continue
            acronyms = tuple(is_acronym(t.raw) for t in tokens)
            if len(keys) == 1 and acronyms[0]:
                method = "acronym"
            kind = "name"
            if keys[0] == "the" and len(keys) == 2:
                kind = "anaphor"
            elif keys[0] == "the" and not ancestors:
                kind = "the"
            if score is None:
                score = SCORES[method] if kind == "name" else 0.85 if kind == "the" else 0.75
            anchored = any(_contains(keys, root) for root in root_names)
            if entity.label == "Person" and len(keys) > 1:
                self.persons.setdefault(entity.id, keys)
            yield Form(entity.id, text, keys, acronyms, method, kind, score, anchored)


def _unqualified(name: str, organisation_names: list[str]) -> str | None:
    """`Mayor of Tower Hamlets` -> `Mayor`, when the organisation's name holds `Tower Hamlets`."""
    match = re.match(r"^(.+?)(?:,\s*|\s+of\s+|\s+for\s+)(.+)$", name)
    if not match:
        return None
    qualifier = keys_of(match.group(2))
    if any(_contains(keys_of(org), qualifier) for org in organisation_names):
        return match.group(1).strip()
    return None


def _place(name: str) -> str | None:
    """A council's place: `London Borough of Tower Hamlets`, `Tower Hamlets Council`."""
    match = _COUNCIL.match(name.strip())
    if not match:
        return None
    place = (match.group(1) or match.group(2) or "").strip()
    return place if place[:1].isupper() else None


def _contains(keys: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return n > 0 and any(keys[i : i + n] == part for i in range(len(keys) - n + 1))


def _specific(keys: tuple[str, ...]) -> bool:
    return not (keys and keys[0] == "the")


# --- mentions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """Words of a passage that speak of a known entity (or, if `entity` is None, might)."""

    start: int
    end: int
    surface: str
    entity: str | None
    method: str  # exact, alias, acronym, post-holder, fuzzy
    score: float
    candidates: tuple[str, ...] = ()  # the entities it might be, when it stays ambiguous


@dataclass
class _Match:
    first: int  # token positions, end exclusive
    stop: int
    forms: list[Form]


@dataclass
class Definition:
    """An acronym the text defines, with the words it stands for."""

    acronym: str  # folded key
    raw: str
    expansion: tuple[str, ...]  # keys
    text: str  # expansion as written
    passage: int
    start: int  # characters of the whole definition
    end: int


class Linker:
    """Links the passages of one document at a time to the known entities."""

    def __init__(self, known: Known, fuzzy_cutoff: float = 88.0) -> None:
        self.known = known
        self.index = FormIndex(known)
        self.fuzzy_cutoff = fuzzy_cutoff
        self._fuzzy_targets = self._fuzzy_names()

    # -- the document ---------------------------------------------------------------------

    def link(self, texts: Sequence[str], date: PreciseDate | None = None) -> list[list[Mention]]:
        """The mentions of each passage, in order (ambiguous ones with `entity=None`)."""
        passages = [tokenise(text) for text in texts]
        definitions = [
            d for i, toks in enumerate(passages) for d in _definitions(toks, texts[i], i)
        ]
        extra, suppressed = self._acronyms(definitions)
        matches = [self._matches(toks, extra, suppressed) for toks in passages]
        context, named = self._context(matches)
        state = _State()
        result = []
        for text, toks, found in zip(texts, passages, matches, strict=True):
            mentions = [self._resolve(text, toks, m, context, named, state) for m in found]
            mentions = [m for m in mentions if m is not None]
            covered = {i for m in found for i in range(m.first, m.stop)}
            mentions += self._people(text, toks, covered, state)
            covered |= {
                i for i, t in enumerate(toks) for m in mentions if m.start <= t.start < m.end
            }
            mentions += self._fuzzy(text, toks, covered, state)
            mentions += self._holders(text, mentions, date)
            result.append(sorted(mentions, key=lambda m: (m.start, -m.score)))
        return result

    def definitions(self, texts: Sequence[str]) -> list[Definition]:
        return [d for i, t in enumerate(texts) for d in _definitions(tokenise(t), t, i)]

    # -- acronyms defined in the text -----------------------------------------------------

    def _acronyms(
        self, definitions: list[Definition]
    ) -> tuple[dict[tuple[str, ...], list[Form]], set[tuple[str, str]]]:
        extra: dict[tuple[str, ...], list[Form]] = {}
        suppressed: set[tuple[str, str]] = set()  # (acronym key, entity)
        for definition in definitions:
            key = (definition.acronym,)
            holders = {f.entity for f in self.index.by_keys.get(key, []) if f.kind == "name"}
            meant = self.expansion_entity(definition.expansion)
            if meant is not None:
                suppressed |= {(definition.acronym, h) for h in holders if h != meant}
                if meant not in holders or not is_acronym(definition.raw):
                    form = Form(
                        meant,
                        definition.raw,
                        key,
                        (True,),
                        "acronym",
                        "name",
                        SCORES["acronym"],
                        written=definition.raw,
                    )
                    extra.setdefault(key, []).append(form)
            else:
                for holder in holders:
                    if not self._consistent(definition.expansion, holder):
                        suppressed.add((definition.acronym, holder))
        return extra, suppressed

    def expansion_entity(self, keys: tuple[str, ...]) -> str | None:
        """The one entity whose name (or the start of it) the expansion of an acronym is."""
        exact = {f.entity for f in self.index.by_keys.get(keys, []) if f.kind == "name"}
        if len(exact) == 1:
            return next(iter(exact))
        if exact:
            return None
        starts = self.index.prefixes.get(keys, set())
        return next(iter(starts)) if len(starts) == 1 else None

    def _consistent(self, expansion: tuple[str, ...], entity: str) -> bool:
        words = {k for k in expansion if k not in FUNCTION_WORDS}
        for form in self.index.by_entity.get(entity, []):
            other = {k for k in form.keys if k not in FUNCTION_WORDS and k.isalpha()}
            if len(form.keys) > 1 and words and len(words & other) >= 0.5 * len(words | other):
                return True
        return False

    # -- matching -------------------------------------------------------------------------

    def _matches(
        self,
        tokens: list[Token],
        extra: dict[tuple[str, ...], list[Form]],
        suppressed: set[tuple[str, str]],
    ) -> list[_Match]:
        found: list[_Match] = []
        keys = [t.key for t in tokens]
        lengths = sorted(set(self.index.lengths) | {len(k) for k in extra}, reverse=True)
        for first in range(len(tokens)):
            for length in lengths:
                stop = first + length
                if stop > len(tokens):
                    continue
                span = tuple(keys[first:stop])
                forms = self.index.by_keys.get(span, []) + extra.get(span, [])
                forms = [
                    f
                    for f in forms
                    if _written_as(f, tokens[first:stop])
                    and not (length == 1 and (span[0], f.entity) in suppressed)
                    and not (f.acronyms[0] and length == 1 and _shouting(tokens, first))
                ]
                if forms:
                    found.append(_Match(first, stop, forms))
        chosen: list[_Match] = []
        taken: set[int] = set()
        for match in sorted(found, key=lambda m: (m.first - m.stop, m.first)):
            span = set(range(match.first, match.stop))
            if not span & taken:
                chosen.append(match)
                taken |= span
        return sorted(chosen, key=lambda m: m.first)

    def _context(self, matches: list[list[_Match]]) -> tuple[set[str], set[str]]:
        """Organisations the document names (roots), and entities named other than by `the …`."""
        context: set[str] = set()
        named: set[str] = set()
        for found in matches:
            for match in found:
                for form in match.forms:
                    if form.kind != "name":
                        continue
                    named.add(form.entity)
                    if self.known.entities[form.entity].label == "Person":
                        continue
                    if not self.known.parents.get(form.entity) or form.anchored:
                        context |= self.known.roots(form.entity)
        return context, named

    def _admissible(self, form: Form, context: set[str], named: set[str]) -> bool:
        entity = form.entity
        if self.known.entities[entity].label == "Person":
            return True
        if self.known.parents.get(entity):
            return form.anchored or bool(self.known.roots(entity) & context)
        if form.kind == "the":
            return entity in named
        return True

    def _resolve(
        self,
        text: str,
        tokens: list[Token],
        match: _Match,
        context: set[str],
        named: set[str],
        state: _State,
    ) -> Mention | None:
        start, end = tokens[match.first].start, tokens[match.stop - 1].end
        surface = text[start:end]
        best: dict[str, Form] = {}
        anaphors = [f for f in match.forms if f.kind == "anaphor"]
        for form in match.forms:
            if form.kind == "anaphor" or not self._admissible(form, context, named):
                continue
            if form.entity not in best or form.score > best[form.entity].score:
                best[form.entity] = form
        if not best and anaphors:
            entity = self._antecedent(match, anaphors, context, named, state)
            if entity is None:
                candidates = tuple(sorted({f.entity for f in anaphors}))
                return Mention(start, end, surface, None, "alias", 0.0, candidates)
            state.see(entity)
            return Mention(start, end, surface, entity, "alias", anaphors[0].score)
        if not best:
            candidates = tuple(sorted({f.entity for f in match.forms}))
            return Mention(start, end, surface, None, match.forms[0].method, 0.0, candidates)
        if len(best) > 1:
            seen = [e for e in best if e in state.last]
            if len(seen) != 1:
                return Mention(start, end, surface, None, "alias", 0.0, tuple(sorted(best)))
            best = {seen[0]: best[seen[0]]}
        entity, form = next(iter(best.items()))
        state.see(entity)
        return Mention(start, end, surface, entity, form.method, form.score)

    def _antecedent(
        self,
        match: _Match,
        anaphors: list[Form],
        context: set[str],
        named: set[str],
        state: _State,
    ) -> str | None:
        """`the board`: the last entity mentioned that has this alias or this head noun."""
        holders = {f.entity for f in anaphors}
        labels = {self.known.entities[e].label for e in holders}
        head = anaphors[0].keys[-1]
        pool = holders | {
            e for e in self.index.heads.get(head, ()) if self.known.entities[e].label in labels
        }
        recent = [(state.last[e], e) for e in pool if e in state.last]
        if recent:
            return max(recent)[1]
        ready = [e for e in holders if e in named or self.known.roots(e) & context]
        return ready[0] if len(ready) == 1 else None

    # -- people by part of their name -----------------------------------------------------

    def _people(
        self, text: str, tokens: list[Token], covered: set[int], state: _State
    ) -> list[Mention]:
        mentions = []
        for index, token in enumerate(tokens):
            if index in covered or not _capitalised(token):
                continue
            if index + 1 < len(tokens) and _capitalised(tokens[index + 1]):
                continue  # part of a longer capitalised name: not a surname on its own
            if index > 0 and _capitalised(tokens[index - 1]) and not _title_before(tokens, index):
                before = tokens[index - 1]
                if not _sentence_start(tokens, index - 1) or before.key in self.index.by_first:
                    continue  # "Carwyn Jones" is not Debbie Jones; "Later Jones" may be
            titled = _title_before(tokens, index)
            by_last = self.index.by_last.get(token.key, [])
            by_first = self.index.by_first.get(token.key, [])
            seen_last = [p for p in by_last if p in state.last]
            entity, score = None, 0.0
            if titled and len(by_last) == 1:
                entity, score = by_last[0], 0.9
            elif len(seen_last) == 1:
                entity, score = seen_last[0], 0.85 if titled else 0.8
            elif not titled and not _sentence_start(tokens, index):
                seen_first = [p for p in by_first if p in state.last]
                if len(seen_first) == 1:
                    entity, score = seen_first[0], 0.7
            if entity is None and titled and len(by_last) > 1:
                mentions.append(
                    Mention(token.start, token.end, token.raw, None, "alias", 0.0, tuple(by_last))
                )
                continue
            if entity is not None:
                state.see(entity)
                mentions.append(Mention(token.start, token.end, token.raw, entity, "alias", score))
        return mentions

    # -- small misspellings ---------------------------------------------------------------

    def _fuzzy_names(self) -> dict[int, list[tuple[str, str]]]:
        """Proper names by word count: (name in lower case, entity)."""
        targets: dict[int, list[tuple[str, str]]] = {}
        for forms in self.index.by_keys.values():
            for form in forms:
                words = form.text.split()
                proper = [w for w in words if w.lower() not in FUNCTION_WORDS]
                if form.kind != "name" or form.method == "acronym" or not proper:
                    continue
                if not all(w[:1].isupper() for w in proper) or len(form.text) < 5:
                    continue
                if any(is_acronym(w) for w in words) or form.text.lower().startswith("the "):
                    continue
                entry = (_plain(form.text).lower(), form.entity)
                if entry not in targets.setdefault(len(words), []):
                    targets[len(words)].append(entry)
        return targets

    def _fuzzy(
        self, text: str, tokens: list[Token], covered: set[int], state: _State
    ) -> list[Mention]:
        from rapidfuzz import fuzz, process

        mentions = []
        for first, stop in _capitalised_runs(tokens, covered):
            run = tokens[first:stop]
            while run and (run[0].key in TITLES or run[0].key in FUNCTION_WORDS):
                run = run[1:]
            if not run:
                continue
            start, end = run[0].start, run[-1].end
            surface = text[start:end]
            if len(run) == 1 and len(surface) < 6:
                continue
            targets = self._fuzzy_targets.get(len(surface.split()), [])
            cutoff = self.fuzzy_cutoff + (2 if len(run) == 1 else 0)
            choices = [name for name, _ in targets]
            found = process.extract(
                _plain(surface).lower(), choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3
            )
            entities = {targets[i][1]: score for _, score, i in found if score < 100}
            if not entities or any(score == 100 for _, score, _ in found):
                continue
            ranked = sorted(entities.items(), key=lambda item: -item[1])
            if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - 2:
                candidates = tuple(e for e, _ in ranked)
                mentions.append(Mention(start, end, surface, None, "fuzzy", 0.0, candidates))
                continue
            entity, score = ranked[0]
            state.see(entity)
            mentions.append(Mention(start, end, surface, entity, "fuzzy", round(score / 100, 3)))
        return mentions

    # -- posts stand for their holders ----------------------------------------------------

    def holders(self, post: str, date: PreciseDate | None) -> list[tuple[str, bool]]:
        """The people who may have held a post on a date: (person, tenure dated)."""
        if date is None:
            return []
        first, last = date[0], period_end(*date) or date[0]
        tenures = [t for t in self.known.tenures if t.post == post]
        # A person's dated tenures of a post say when; an undated one then adds nothing.
        dated_people = {t.person for t in tenures if t.start is not None or t.end is not None}
        found: dict[str, bool] = {}
        for tenure in tenures:
            dated = tenure.start is not None or tenure.end is not None
            if not dated and tenure.person in dated_people:
                continue
            if tenure.start is not None and tenure.start > last:
                continue
            if tenure.end is not None and tenure.end < first:
                continue
            found[tenure.person] = found.get(tenure.person, False) or dated
        return list(found.items())

    def _holders(
        self, text: str, mentions: list[Mention], date: PreciseDate | None
    ) -> list[Mention]:
        """The holder of each post mentioned, unless the text names who is meant: a person in
        apposition ("Mayor John Biggs", "Will Tuckley, the chief executive") or a past holder
        ("former mayor", "the then director")."""
        extra = []
        direct = {m.entity for m in mentions if m.entity}
        people_at = [
            m for m in mentions if m.entity and self.known.entities[m.entity].label == "Person"
        ]
        for mention in mentions:
            if mention.entity is None or self.known.entities[mention.entity].label != "Post":
                continue
            if (
                _PAST.search(text[: mention.start])
                or _NAMED_AFTER.match(text, mention.end)
                or any(
                    _APPOSITION.fullmatch(text[mention.end : p.start])
                    or _APPOSITION.fullmatch(text[p.end : mention.start])
                    for p in people_at
                )
            ):
                continue
            people = self.holders(mention.entity, date)
            if len(people) == 1:
                person, dated = people[0]
                if person not in direct:
                    score = 0.8 if dated else 0.6
                    extra.append(
                        Mention(
                            mention.start,
                            mention.end,
                            mention.surface,
                            person,
                            "post-holder",
                            score,
                        )
                    )
            elif len(people) > 1:
                candidates = tuple(sorted(p for p, _ in people))
                extra.append(
                    Mention(
                        mention.start,
                        mention.end,
                        mention.surface,
                        None,
                        "post-holder",
                        0.0,
                        candidates,
                    )
                )
        return extra


_PAST = re.compile(r"\b(?:former|ex|previous|then|late|erstwhile|one-time)[\s-]+(?:the\s+)?$", re.I)
# A capitalised name right after a post ("the chief executive, Jane Roe"): someone named.
_NAMED_AFTER = re.compile(r"[ \t]*,?[ \t]*(?:[A-Z][\w'’-]+[ \t]+){1,2}[A-Z][\w'’-]+")
_APPOSITION = re.compile(r"[\s,]*|\s*,\s*(?:(?:the|its|their|our|his|her)\s+)?")


@dataclass
class _State:
    """What the document has mentioned so far, in order (for anaphors and short names)."""

    last: dict[str, int] = field(default_factory=dict)
    counter: int = 0

    def see(self, entity: str) -> None:
        self.counter += 1
        self.last[entity] = self.counter


# --- helpers -------------------------------------------------------------------------------


def _written_as(form: Form, tokens: list[Token]) -> bool:
    """Acronym positions must be written as acronyms in the text (MASH, not mash), or as the
    document defined them ("(Mash)" in a paper that writes acronyms so)."""
    if form.written is not None:
        return tokens[0].raw.removesuffix("s") == form.written.removesuffix("s")
    return all(not acro or is_acronym(t.raw) for acro, t in zip(form.acronyms, tokens, strict=True))


def _defined_acronym(raw: str) -> bool:
    """An acronym in a definition: MASH, IROs, or Mash where a paper writes them so."""
    return is_acronym(raw) or (2 <= len(raw) <= 6 and raw.isalpha() and raw.istitle())


def _shouting(tokens: list[Token], index: int) -> bool:
    """An acronym among words in capitals (`THE PAST YEAR`) is no acronym."""
    near = [tokens[i] for i in (index - 1, index + 1) if 0 <= i < len(tokens) and tokens[i].word]
    return bool(near) and all(t.raw.isupper() and len(t.raw) > 1 for t in near)


def _capitalised(token: Token) -> bool:
    return token.word and token.raw[:1].isupper() and token.raw[:1].isalpha()


def _title_before(tokens: list[Token], index: int) -> bool:
    if index > 0 and tokens[index - 1].key in TITLES:
        return True
    return index > 1 and (tokens[index - 2].key, tokens[index - 1].key) in MULTIWORD_TITLES


def _sentence_start(tokens: list[Token], index: int) -> bool:
    return index == 0 or tokens[index - 1].key in {".", "!", "?", ":", "-", "(", "["}


def _capitalised_runs(tokens: list[Token], covered: set[int]) -> Iterable[tuple[int, int]]:
    """Runs of capitalised words (with `of`, `for`, `and` inside) that nothing matched."""
    index = 0
    while index < len(tokens):
        if index in covered or not _capitalised(tokens[index]):
            index += 1
            continue
        stop = index + 1
        while stop < len(tokens) and stop not in covered and stop - index < 5:
            token = tokens[stop]
            inner = token.key in ("of", "for", "and") and stop + 1 < len(tokens)
            if _capitalised(token) or (inner and _capitalised(tokens[stop + 1])):
                stop += 1
            else:
                break
        yield index, stop
        index = stop


def _plain(text: str) -> str:
    text = re.sub(r"[’‘`´]", "'", text)
    return re.sub(r"\s+", " ", text).strip()


def _definitions(tokens: list[Token], text: str, passage: int) -> list[Definition]:
    """`multi-agency safeguarding hub (MASH)` and `MASH (multi-agency safeguarding hub)`."""
    found = []
    for index, token in enumerate(tokens):
        if token.key != "(":
            continue
        close = next(
            (j for j in range(index + 1, min(index + 12, len(tokens))) if tokens[j].key == ")"),
            None,
        )
        if close is None:
            continue
        inside = tokens[index + 1 : close]
        if len(inside) == 1 and _defined_acronym(inside[0].raw):
            acronym = inside[0]
            words = _words_before(tokens, index)
            span = _expansion(acronym.raw, words)
            if span:
                found.append(
                    Definition(
                        acronym.key,
                        acronym.raw,
                        tuple(t.key for t in span),
                        text[span[0].start : span[-1].end],
                        passage,
                        span[0].start,
                        inside[0].end + 1,
                    )
                )
        elif len(inside) >= 2 and index > 0 and _defined_acronym(tokens[index - 1].raw):
            acronym = tokens[index - 1]
            words = [t for t in inside if t.word]
            span = _expansion(acronym.raw, words)
            if span and span[-1] is words[-1] and len(span) == len(words):
                found.append(
                    Definition(
                        acronym.key,
                        acronym.raw,
                        tuple(t.key for t in span),
                        text[span[0].start : span[-1].end],
                        passage,
                        acronym.start,
                        tokens[close].end,
                    )
                )
    return found


def _words_before(tokens: list[Token], index: int) -> list[Token]:
    words: list[Token] = []
    position = index - 1
    while position >= 0 and tokens[position].word and len(words) < 14:
        words.insert(0, tokens[position])
        position -= 1
    return words


def _expansion(acronym: str, words: list[Token]) -> list[Token] | None:
    """The shortest run of words ending the list whose letters spell the acronym in order
    (Schwartz and Hearst's rule), starting with its first letter on a word that is not `of`,
    `and` or the like."""
    letters = (
        acronym[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else acronym
    ).lower()
    if not letters:
        return None
    for size in range(1, min(len(words), len(letters) + 5) + 1):
        span = words[-size:]
        first = span[0].raw.lower()
        if first in FUNCTION_WORDS or first[0] != letters[0]:
            continue
        if _spells(letters, [t.raw.lower() for t in span]):
            return span
    return None


def _spells(letters: str, words: list[str]) -> bool:
    text = " ".join(words)
    position = len(text) - 1
    for index in range(len(letters) - 1, -1, -1):
        char = letters[index]
        while position >= 0 and (
            text[position] != char or (index == 0 and position > 0 and text[position - 1].isalnum())
        ):
            position -= 1
        if position < 0:
            return False
        position -= 1
    return True
