"""The statement gate: what a user's Cypher may do, decided before any store sees it.

Both engines reach past the graph from plain Cypher: LadybugDB reads and writes files (`LOAD
FROM`, `COPY ... TO`, `EXPORT DATABASE`), loads shared libraries (`LOAD EXTENSION`) and runs
table functions (`CALL ...`); Neo4j has `LOAD CSV`, procedures and admin commands. A read-only
transaction stops none of that, so every statement from a user (`oversight cypher`, saved
queries) passes this gate first. It is an allowlist:

- The text is split into tokens the way both engines split it: backquoted names have no
  escapes (a doubled backquote is a literal one), strings have backslash escapes, `//` and
  `/* */` are comments. Whatever the two engines could read differently is refused: an
  unterminated string, name or comment, a block comment whose end LadybugDB and Neo4j see in
  different places (`**/`), a number run into a name (`1LOAD`), a name run into a string
  (Cypher 25's `s'{...}'`), control characters.
- One statement: a `;` is allowed only at the very end.
- Every unquoted word that is a keyword of either engine (KEYWORDS: openCypher's reserved
  words, LadybugDB's grammar, Neo4j 5 and Cypher 25) must be allowed for the mode: read
  clauses and expression words, a few keywords that are only ever names (NAMES), and with
  `write=True` graph updates. Words that cannot be keywords there are exempt: a property key
  right after `.`, a name right after `AS`, a map key or variable right before `:`.
- Every call, `name(`, must be one of FUNCTIONS, which only compute values; a namespaced
  call (`db.labels()`, `apoc.load.json()`) is never allowed, backquoted or not.
- The statement starts with a read clause (or, to write, CREATE or MERGE).

A word the gate does not know is taken for a name; an engine that read it as a keyword would
need it in clause position, and a new clause keyword in a later engine release would have to
be added here. The store's read-only transaction stays the second line of defence.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from oversight.graph.errors import OversightError

# --- what the gate knows ---------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Keywords of openCypher 9 (reserved words), LadybugDB 0.14 (src/antlr4/keywords.txt and
# Cypher.g4, plus the keywords of later grammars) and Neo4j (Cypher5Lexer.g4, Cypher25Lexer.g4
# and the EXPLAIN/PROFILE/CYPHER prefixes). Any of these, unquoted, must be allowed for the mode.
_OPENCYPHER = """
ADD ALL AND AS ASC ASCENDING BY CALL CASE CONSTRAINT CONTAINS CREATE DELETE DESC DESCENDING
DETACH DISTINCT DO DROP ELSE END ENDS EXISTS FALSE FOR IN IS LIMIT MANDATORY MATCH MERGE NOT
NULL OF ON OPTIONAL OR ORDER REMOVE REQUIRE RETURN SCALAR SET SKIP STARTS THEN TRUE UNION
UNIQUE UNWIND WHEN WHERE WITH XOR YIELD
"""
_LADYBUG = """
ACYCLIC ADD ALL ALTER ANALYZE AND ANY AS ASC ASCENDING ATTACH BEGIN BY CALL CASE CAST
CHECKPOINT COLUMN COMMENT COMMIT COMMIT_SKIP_CHECKPOINT CONTAINS COPY COUNT CREATE CSR CYCLE
DATABASE DBTYPE DECIMAL DEFAULT DELETE DESC DESCENDING DETACH DISTINCT DROP ELSE END ENDS
EXISTS EXPLAIN EXPORT EXTENSION FALSE FOR FORCE FROM GLOB GRAPH GROUP HASH HEADERS HINT IF
IMPORT IN INCREMENT INDEX INSTALL IS JOIN KEY LIMIT LIST LOAD LOGICAL MACRO MAP MATCH MAXVALUE
MERGE MINVALUE MULTI_JOIN NO NODE NONE NOT NULL ON ONLY OPTIONAL OPTIONS OR ORDER PARTITION
PARTITIONS PASSWORD PRIMARY PROFILE PROJECT RANGE READ REL RENAME RETURN ROLE ROLLBACK
ROLLBACK_SKIP_CHECKPOINT SEQUENCE SET SHORTEST SINGLE SKIP SORTED START STARTS STRUCT TABLE
THEN TO TRAIL TRANSACTION TRUE TYPE UNINSTALL UNION UNWIND UPDATE USE USER WHEN WHERE WITH
WRITE WSHORTEST XOR YIELD
"""
_NEO4J = """
ACCESS ACTIVE ACYCLIC ADD ADMIN ADMINISTRATOR ALIAS ALIASES ALL ALLREDUCE ALLSHORTESTPATHS
ALTER ANALYZER AND ANY ARRAY AS ASC ASCENDING ASSERT ASSIGN AT AUTH AUTO BINDINGS BOOL
BOOLEAN BOOSTED BOTH BREAK BRIEF BTREE BUILT BY CALL CASCADE CASE CHANGE CIDR COLLECT
COMMAND COMMANDS COMMIT COMPOSITE CONCURRENT CONDITION CONSTRAINT CONSTRAINTS CONTAINS
CONTINUE COPY COSINE COUNT CREATE CREDENTIAL CREDENTIALS CSV CURRENT CYPHER DATA DATABASE
DATABASES DATE DATETIME DBMS DEALLOCATE DEFAULT DEFINE DEFINED DELETE DENY DESC DESCENDING
DESTROY DETACH DIFFERENT DISJOINT DISTINCT DOT DRIVER DROP DRYRUN DUMP DURATION EACH EDGE
ELEMENT ELEMENTS ELSE ENABLE ENABLED ENCRYPTED END ENDS ERROR EUCLIDEAN EXECUTABLE EXECUTE
EXIST EXISTENCE EXISTS EXPAND EXPLAIN FAIL FALSE FIELDTERMINATOR FILTER FINISH FLOAT FOR
FOREACH FORWARDING FROM FULLTEXT FUNCTION FUNCTIONS GRANT GRAPH GRAPHS GROUP GROUPS
HAMMING HEADERS HOME ID IF IMMUTABLE IMPERSONATE IMPLIES IN INDEX INDEXES INF INFINITY
INSERT INT INTEGER INTO IS JOIN KEY LABEL LABELED LABELS LANGUAGE LEADING LET LIMIT LIST
LOAD LOCAL LOOKUP MANAGEMENT MANHATTAN MAP MATCH MERGE METADATA NAME NAMES NAN NEW NEXT
NFC NFD NFKC NFKD NODE NODES NODETACH NONE NORMALIZE NORMALIZED NOT NOTHING NOWAIT NULL OF
OFFSET OIDC ON ONLY OPTION OPTIONAL OPTIONS OR ORDER OUTPUT PASSWORD PASSWORDS PATH PATHS
PERIODIC PLAINTEXT POINT POPULATED PRIMARIES PRIMARY PRIVILEGE PRIVILEGES PROCEDURE
PROCEDURES PROFILE PROPERTIES PROPERTY PROVIDER PROVIDERS RANGE READ REALLOCATE REDUCE REL
RELATIONSHIP RELATIONSHIPS REMOVE RENAME REPEATABLE REPLACE REPLICA REPLICAS REPORT
REQUIRE REQUIRED RESTRICT RETRY RETURN REVOKE ROLE ROLES ROW ROWS RULE RULES SCAN SCORE
SEARCH SEC SECOND SECONDARIES SECONDARY SECONDS SECRET SECRETS SEEK SERVER SERVERS SET
SETTING SETTINGS SHARD SHARDS SHORTEST SHORTESTPATH SHOW SIGNED SINGLE SKIP START STARTS
STATUS STOP STRING SUPPORTED SUSPENDED TAG TAGS TARGET TERMINATE TEXT THEN TIME TIMESTAMP
TIMEZONE TO TOPOLOGY TRAIL TRAILING TRANSACTION TRANSACTIONS TRAVERSE TRIM TRUE TYPE TYPED
TYPES UNION UNIQUE UNIQUENESS UNWIND URL USE USER USERS USING UUID VALUE VARCHAR VECTOR
VERBOSE VERTEX VIA WAIT WALK WHEN WHERE WITH WITHOUT WRITE XOR YIELD ZONE ZONED
"""
KEYWORDS = _words(_OPENCYPHER + _LADYBUG + _NEO4J)

# Read clauses and the words of expressions and patterns.
READ_KEYWORDS = _words(
    """
    MATCH OPTIONAL WHERE WITH UNWIND RETURN ORDER BY SKIP LIMIT UNION ALL EXISTS COUNT COLLECT
    AND OR XOR NOT IN IS NULL TRUE FALSE CASE WHEN THEN ELSE END STARTS ENDS CONTAINS AS
    DISTINCT ASC DESC ASCENDING DESCENDING ANY NONE SINGLE SHORTEST ALLSHORTESTPATHS
    SHORTESTPATH TRAIL ACYCLIC WSHORTEST CAST NAN INF INFINITY
    """
)
# Keywords that are only ever names: of types and values, or words inside admin and schema
# commands whose first word the gate refuses. None starts a statement or a clause in either
# engine. Allowed, so that `ORDER BY date`, `WITH n AS node` or `UNWIND x AS change` work.
NAMES = _words(
    """
    ACTIVE ARRAY BOOL BOOLEAN BOTH BUILT CHANGE COLUMN CONDITION CURRENT CYCLE DATA DATE
    DATETIME DEFAULT DEFINED DIFFERENT DRIVER DURATION EACH EDGE ELEMENT ELEMENTS ERROR FAIL
    FLOAT GROUPS HASH HOME ID INT INTEGER KEY LABEL LABELS LANGUAGE LEADING LIST LOCAL LOOKUP
    MAP METADATA NAME NAMES NEW NODE NODES NOTHING OUTPUT PASSWORD PATH PATHS POINT PRIMARY
    PROPERTIES PROPERTY PROVIDER READ REL RELATIONSHIP RELATIONSHIPS REPEATABLE REPORT REQUIRED
    RETRY ROLE ROLES ROW ROWS RULE RULES SCAN SCORE SECOND SECONDS SECRET SEEK SERVER SETTING
    SIGNED STATUS STRING STRUCT SUPPORTED TAG TAGS TARGET TEXT TIME TIMESTAMP TIMEZONE
    TOPOLOGY TRAILING TYPE TYPES URL USER USERS UUID VALUE VARCHAR VECTOR VERTEX WAIT WALK
    ZONE ZONED
    """
)
# Graph updates, allowed with write=True (in the forms _write_word_problem accepts).
WRITE_KEYWORDS = _words("CREATE MERGE ON SET DELETE DETACH REMOVE")

# Functions that compute values from their arguments and the graph, in both engines' names.
FUNCTIONS = _words(
    """
    abs acos all any asin atan atan2 avg ceil coalesce collect cos cot count date datetime
    degrees duration e elementid endnode exists exp floor haversin head id isnan keys label
    labels last left length list_contains list_extract log log10 lower ltrim max min nodes
    none offset pi properties radians rand range rels relationships replace reverse right
    round rtrim sign sin single size split sqrt startnode starts_with string substring sum
    tail tan timestamp toboolean tofloat tointeger tolower tostring toupper trim type upper
    cast reduce shortestpath allshortestpaths wshortest
    """
)

# Keywords that may stand before `(` without calling a function: clauses that take a pattern or
# an expression, and operators.
_BEFORE_PAREN = _words(
    """
    MATCH WHERE WITH RETURN UNWIND AND OR XOR NOT IN WHEN THEN ELSE CASE DISTINCT BY SKIP
    LIMIT CONTAINS UNION CREATE MERGE SET DELETE REMOVE SHORTEST ANY TRAIL ACYCLIC AS IS
    """
)
_READ_STARTS = ("MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN")
_WRITE_STARTS = (*_READ_STARTS, "CREATE", "MERGE")

READ_CLAUSES = (
    "MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN, ORDER BY, SKIP, LIMIT, UNION [ALL], "
    "EXISTS { }, COUNT { }"
)
WRITE_CLAUSES = "CREATE, MERGE, ON CREATE SET, ON MATCH SET, SET, DELETE, DETACH DELETE, REMOVE"

# White space to either engine (LadybugDB's WHITESPACE and Neo4j's SPACE, together).
_SPACE = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \xa0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class StatementRefused(OversightError):
    """A statement outside what the gate allows; the message says what and where.

    `what` is the refused thing (`LOAD`, `read_csv()`, `';'`); `reason` the rest of
    the sentence; `line` and `column` (1-based, in the statement's text) where it starts;
    `writes` whether it was refused only because the statement is read-only.
    """

    def __init__(
        self,
        what: str,
        reason: str,
        line: int | None = None,
        column: int | None = None,
        *,
        writes: bool = False,
    ) -> None:
        self.what, self.reason, self.line, self.column = what, reason, line, column
        self.writes = writes
        where = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(f"statement refused: {what}{where} {reason}")


# --- tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """One token. kind: word, name (backquoted), string, number, param or punct.

    `text` is the token as written, except for names and params: the name itself (no
    backquotes, doubled backquotes undone; no `$`). `spaced`: white space or a comment
    stands between this token and the one before.
    """

    kind: str
    text: str
    start: int
    line: int
    column: int
    spaced: bool

    @property
    def keyword(self) -> str | None:
        """The keyword this word is to an engine (ASCII, any case), else None."""
        if self.kind != "word" or not self.text.isascii():
            return None
        upper = self.text.upper()
        return upper if upper in KEYWORDS else None

    def shows(self) -> str:
        """How a message names the token."""
        return self.text.upper() if self.keyword else repr(self.text)


class _Lexer:
    """A single pass over the text; refuses what the engines could split differently."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.tokens: list[Token] = []
        self.spaced = False

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.lines, offset)
        return line, offset - self.lines[line - 1] + 1

    def refuse(self, offset: int, what: str, reason: str) -> StatementRefused:
        return StatementRefused(what, reason, *self.where(offset))

    def add(self, kind: str, text: str, start: int) -> None:
        self.tokens.append(Token(kind, text, start, *self.where(start), self.spaced))
        self.spaced = False

    def run(self) -> list[Token]:
        text, i = self.text, 0
        while i < len(text):
            i = self.step(i)
        return self.tokens

    def step(self, i: int) -> int:
        """Read what starts at i; return where the next thing starts."""
        text, ch = self.text, self.text[i]
        nxt = text[i + 1 : i + 2]
        if ch in _SPACE:
            self.spaced = True
            return i + 1
        if ch == "/" and nxt in ("/", "*"):
            self.spaced = True
            return self.line_comment(i) if nxt == "/" else self.block_comment(i)
        if ch in "'\"":
            return self.string(i)
        if ch == "`":
            end, name = self.backquoted(i)
            self.add("name", name, i)
            return end
        if ch == "$":
            return self.param(i)
        if _is_digit(ch) or (ch == "." and _is_digit(nxt)):
            return self.number(i)
        if _starts_word(ch):
            return self.word(i)
        if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            code = f"U+{ord(ch):04X}"
            raise self.refuse(i, f"the character {code}", "is not allowed outside a string")
        two = text[i : i + 2]
        if two in ("..", "::"):
            self.add("punct", two, i)
            return i + 2
        self.add("punct", ch, i)
        return i + 1

    def line_comment(self, i: int) -> int:
        """A `//` comment ends before the first CR or LF (as Neo4j reads it; LadybugDB agrees
        or fails to parse)."""
        ends = [p for p in (self.text.find("\n", i), self.text.find("\r", i)) if p >= 0]
        return min(ends) if ends else len(self.text)

    def block_comment(self, i: int) -> int:
        """Neo4j ends `/*` at the first `*/`; LadybugDB's grammar pairs a `*` with the
        character after it, so `**/` does not end a comment there. Refuse when they differ."""
        text = self.text
        first = text.find("*/", i + 2)
        j = i + 2
        while j < len(text):
            if text.startswith("*/", j):
                break
            j += 2 if text[j] == "*" else 1
        if first < 0:
            raise self.refuse(i, "the comment", "is not closed with */")
        if j != first:
            raise self.refuse(  # the `*` before `first`: LadybugDB paired it with `*/`'s `*`
                first - 1, "'**/'", "ends a comment for Neo4j but not for LadybugDB; write '* /'"
            )
        return first + 2

    def string(self, i: int) -> int:
        text, quote, j = self.text, self.text[i], i + 1
        if self.tokens and not self.spaced and self.tokens[-1].kind in ("word", "name"):
            before = self.tokens[-1]
            raise self.refuse(
                before.start, f"{before.text}{quote}", "(a name run into a string) is not allowed"
            )
        while j < len(text) and text[j] != quote:
            j += 2 if text[j] == "\\" else 1
        if j >= len(text):
            raise self.refuse(i, "the string", f"is not closed with {quote}")
        self.add("string", text[i : j + 1], i)
        return j + 1

    def backquoted(self, i: int) -> tuple[int, str]:
        """A backquoted name: no escapes; a doubled backquote stands for one."""
        text, j, parts = self.text, i + 1, []
        while True:
            stop = text.find("`", j)
            if stop < 0:
                raise self.refuse(i, "the backquoted name", "is not closed with `")
            parts.append(text[j:stop])
            if not text.startswith("``", stop):
                return stop + 1, "`".join(parts)
            j = stop + 2

    def param(self, i: int) -> int:
        """`$name`, `` $`name` `` or `$1` (digits only: LadybugDB reads `$1LOAD` as `$1 LOAD`)."""
        text, j = self.text, i + 1
        if text[j : j + 1] == "`":
            end, name = self.backquoted(j)
            self.add("param", name, i)
            return end
        if j < len(text) and _starts_word(text[j]):
            end = _word_end(text, j)
        elif _is_digit(text[j : j + 1]):
            end = j
            while _is_digit(text[end : end + 1]):
                end += 1
            if end < len(text) and (_continues_word(text[end]) or text[end] == "$"):
                raise self.refuse(
                    i,
                    repr(text[i : _word_end(text, end)]),
                    "(a number run into a name) is not allowed",
                )
        else:
            self.add("punct", "$", i)
            return j
        self.add("param", text[j:end], i)
        return end

    def number(self, i: int) -> int:
        """Digits (Neo4j's `1_000` too), a fraction, an exponent. Neo4j's `0x1F` is refused
        with the rest: LadybugDB reads `0xor` as `0 XOR`."""
        text = self.text
        j = _digits(text, i)
        if text[j : j + 1] == "." and _is_digit(text[j + 1 : j + 2]):
            j = _digits(text, j + 1)
        if text[j : j + 1] in ("e", "E"):
            k = j + 1 + (text[j + 1 : j + 2] in ("+", "-"))
            if _is_digit(text[k : k + 1]):
                j = _digits(text, k)
        if j < len(text) and (_continues_word(text[j]) or text[j] == "$"):
            raise self.refuse(
                i, repr(text[i : _word_end(text, j)]), "(a number run into a name) is not allowed"
            )
        self.add("number", text[i:j], i)
        return j

    def word(self, i: int) -> int:
        end = _word_end(self.text, i)
        self.add("word", self.text[i:end], i)
        return end


def _starts_word(ch: str) -> bool:
    if ch.isascii():
        return ch.isalpha() or ch == "_"
    return ch.isidentifier()


def _continues_word(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum() or ch == "_"
    return ("a" + ch).isidentifier()


def _word_end(text: str, i: int) -> int:
    j = i + 1
    while j < len(text) and _continues_word(text[j]):
        j += 1
    return j


def _is_digit(ch: str) -> bool:
    return len(ch) == 1 and ch.isascii() and ch.isdigit()


def _digits(text: str, j: int) -> int:
    """Past digits, with single underscores between them (Neo4j's 1_000)."""
    while j < len(text) and (
        _is_digit(text[j]) or (text[j] == "_" and _is_digit(text[j + 1 : j + 2]))
    ):
        j += 1
    return j


def tokenize(text: str) -> list[Token]:
    """The tokens of Cypher text, without white space and comments; StatementRefused if the
    engines could read it differently (see the module's docstring)."""
    return _Lexer(text).run()


# --- the check -------------------------------------------------------------------------------


def check(text: str, *, write: bool = False) -> None:
    """Refuse `text` unless it is one statement of allowed clauses (write: graph updates too).

    A single trailing `;` is allowed and left in the text: both engines accept it.
    """
    if len(text) <= _KEPT_CHARS:
        _passes(text, write)  # a text run again (a saved query) is not tokenised again
    else:
        _check(text, write)


_KEPT_CHARS = 64 * 1024  # longer texts are checked every time rather than kept


@functools.lru_cache(maxsize=256)
def _passes(text: str, write: bool) -> bool:
    """The check, remembered for texts that pass (~0.8 ms each for a saved query); one that
    is refused raises, is not remembered, and is refused with its reason every time."""
    _check(text, write)
    return True


def _check(text: str, write: bool) -> None:
    tokens = _one_statement(tokenize(text))
    if not tokens:
        raise StatementRefused("an empty statement", "has nothing to run")
    for index in range(len(tokens)):
        _check_token(tokens, index, write)
    _check_start(tokens[0], write)


def _one_statement(tokens: list[Token]) -> list[Token]:
    """The tokens without a trailing `;`; a `;` anywhere else starts a second statement."""
    for index, token in enumerate(tokens):
        if token.kind == "punct" and token.text == ";":
            if index != len(tokens) - 1:
                raise StatementRefused(
                    "';'",
                    "starts a second statement; run one statement at a time",
                    token.line,
                    token.column,
                )
            return tokens[:-1]
    return tokens


def _check_start(first: Token, write: bool) -> None:
    starts = _WRITE_STARTS if write else _READ_STARTS
    if first.keyword not in starts:
        shown = ", ".join(s if s != "OPTIONAL" else "OPTIONAL MATCH" for s in starts)
        raise StatementRefused(
            first.shows(), f"cannot start a query; start with {shown}", first.line, first.column
        )


def _check_token(tokens: Sequence[Token], index: int, write: bool) -> None:
    token = tokens[index]
    if token.kind not in ("word", "name"):
        return
    if _is_punct(_at(tokens, index + 1), "("):
        if token.keyword in _BEFORE_PAREN:
            _check_keyword(tokens, index, write)
        else:
            _check_call(tokens, index, write)
    elif token.keyword and not _is_name_position(tokens, index):
        _check_keyword(tokens, index, write)


def _at(tokens: Sequence[Token], index: int) -> Token | None:
    return tokens[index] if 0 <= index < len(tokens) else None


def _is_punct(token: Token | None, text: str) -> bool:
    return token is not None and token.kind == "punct" and token.text == text


def _is_name_position(tokens: Sequence[Token], index: int) -> bool:
    """A property key (`.word`), an alias (`AS word`), a map key or variable (`word:`): places
    where both grammars read any word as a name, never as a keyword."""
    token, before, after = tokens[index], _at(tokens, index - 1), _at(tokens, index + 1)
    if _is_punct(before, ".") and not token.spaced:
        return True
    if before is not None and before.keyword == "AS":
        return True
    return _is_punct(after, ":")


def _check_call(tokens: Sequence[Token], index: int, write: bool) -> None:
    """`name(`: a function from FUNCTIONS, never a namespaced one (`db.labels(`)."""
    token = tokens[index]
    name, first = token.text, index
    while _is_punct(_at(tokens, first - 1), "."):
        part = _at(tokens, first - 2)
        if part is None or part.kind not in ("word", "name"):
            break
        name, first = f"{part.text}.{name}", first - 2
    start = tokens[first]
    if first != index or _is_punct(_at(tokens, index - 1), "."):
        reason = "is not allowed: procedures and namespaced functions are never run"
        raise StatementRefused(f"{name}()", reason, start.line, start.column)
    if name.lower() in FUNCTIONS:
        return
    if token.keyword and token.keyword not in (READ_KEYWORDS | NAMES | WRITE_KEYWORDS):
        _check_keyword(tokens, index, write)  # refuses it, as the keyword it is (CALL, LOAD)
    reason = f"is not an allowed function (allowed: {', '.join(sorted(FUNCTIONS))})"
    raise StatementRefused(f"{name}()", reason, start.line, start.column)


def _check_keyword(tokens: Sequence[Token], index: int, write: bool) -> None:
    token = tokens[index]
    word = token.keyword
    if word in READ_KEYWORDS or word in NAMES:
        return
    if word in WRITE_KEYWORDS:
        problem = _write_word_problem(tokens, index)
        if problem is None and write:
            return
        if problem is None:
            raise StatementRefused(
                token.shows(),
                "changes the graph; reads are read-only",
                token.line,
                token.column,
                writes=True,
            )
        raise StatementRefused(token.shows(), problem, token.line, token.column)
    allowed = f"{READ_CLAUSES}; {WRITE_CLAUSES}" if write else READ_CLAUSES
    mode = "even with --write" if write else "in a read-only query"
    raise StatementRefused(
        token.shows(), f"is not allowed {mode} (allowed: {allowed})", token.line, token.column
    )


def _write_word_problem(tokens: Sequence[Token], index: int) -> str | None:
    """What is wrong with a graph update's form: CREATE only of a pattern, DETACH only before
    DELETE, ON only before CREATE or MATCH (MERGE's actions). None if nothing."""
    word = tokens[index].keyword
    before, after, then = (_at(tokens, index + k) for k in (-1, 1, 2))
    if word == "CREATE":
        pattern = _is_punct(after, "(") or (
            after is not None and after.kind in ("word", "name") and _is_punct(then, "=")
        )
        if pattern or (before is not None and before.keyword == "ON"):
            return None
        return "is only allowed to create nodes and relationships, as CREATE (...)"
    if word == "DETACH":
        ok = after is not None and after.keyword == "DELETE"
        return None if ok else "is only allowed as DETACH DELETE"
    if word == "ON":
        ok = after is not None and after.keyword in ("CREATE", "MATCH")
        return None if ok else "is only allowed as MERGE's ON CREATE SET or ON MATCH SET"
    return None
