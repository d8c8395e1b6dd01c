"""The statement gate (graph/gate.py, issue #11): user Cypher never reaches the file system.

The attacks run as a user would run them, through `oversight cypher`, `cypher --write` and a
saved query in `--queries-dir`, in real subprocesses on a copy of a loaded LadybugDB file. Each
must fail with one line on stderr and exit 1, read nothing (a secret file's content appears
nowhere), write nothing (the target path stays absent), load no library (its constructor
leaves no marker) and leave the store's fingerprint as it was. The engine-level tests show
that LadybugDB itself, even opened read-only and inside a read-only transaction, would do
each of them: the gate is what stops them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fingerprint import NODES, RELATIONSHIPS, fingerprint
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oversight.graph import gate, resolve, statements
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.gate import StatementRefused
from oversight.graph.schema import schema
from oversight.loaders.documents import evaluate, linker, load
from oversight.queries.library import BUNDLED_DIR, HeaderError, parse_query
from oversight.visualise import citations, explore, export

SECRET = "SECRET-7f3c9e1d"
HEADER = "// name: {name}\n// title: Looks harmless\n\n"


@dataclass
class Scene:
    """A copy of the loaded database and the files an attack would touch."""

    tmp: Path
    db: Path
    secret: Path  # a file whose content must never be printed
    out: Path  # where COPY ... TO would write
    export: Path  # where EXPORT DATABASE would write
    marker: Path  # what the shared library's constructor writes when it is loaded

    def library(self) -> Path:
        """A shared library whose constructor writes `marker` when anything loads it (built
        with cc on first use; without a C compiler the test is skipped)."""
        library = self.tmp / "libmark.so"
        if library.exists():
            return library
        cc = shutil.which("cc")
        if cc is None:
            pytest.skip("no C compiler (cc) to build the shared library the attack loads")
        source = self.tmp / "mark.c"
        source.write_text(
            "#include <stdio.h>\n"
            "__attribute__((constructor)) static void mark(void) {\n"
            f'    FILE *f = fopen({json.dumps(str(self.marker))}, "w");\n'
            '    if (f) { fputs("constructor ran\\n", f); fclose(f); }\n'
            "}\n",
            encoding="utf-8",
        )
        subprocess.run([cc, "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
        return library


@pytest.fixture
def scene(tmp_path: Path, loaded_db: Path) -> Scene:
    db = tmp_path / "db.lbug"
    shutil.copy(loaded_db, db)
    secret = tmp_path / "secret.csv"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    out, exported, marker = (tmp_path / n for n in ("out.csv", "exported", "marker.txt"))
    return Scene(tmp_path, db, secret, out, exported, marker)


# --- the attacks -----------------------------------------------------------------------------

# name -> the statement, given the scene. Each is something LadybugDB runs if it gets it.
ATTACKS: dict[str, Callable[[Scene], str]] = {
    "load-from": lambda s: f"LOAD FROM '{s.secret}' RETURN *",
    "load-from-after-match": lambda s: f"MATCH (n) LOAD FROM '{s.secret}' RETURN *",
    # The old saved-query guard read `\` in a backquoted name as an escape, and so took all
    # up to the backquote in the trailing comment for one name; Cypher has no such escape.
    "backquote-trick": lambda s: f"MATCH (`x\\`) LOAD FROM '{s.secret}' RETURN * // `",
    "copy-to": lambda s: f"COPY (MATCH (n) RETURN n.id) TO '{s.out}'",
    "export-database": lambda s: f"EXPORT DATABASE '{s.export}'",
    "load-extension": lambda s: f"LOAD EXTENSION '{s.library()}'",
    "load-library": lambda s: f"LOAD '{s.library()}'",
    "install": lambda s: "INSTALL json",
    "table-function": lambda s: f"CALL READ_CSV_SERIAL('{s.secret}') RETURN *",
    "two-statements": lambda s: f"MATCH (n) RETURN count(n); LOAD FROM '{s.secret}' RETURN *",
    "two-writes": lambda s: "MATCH (n) SET n.name = 'x'; MATCH (n) DETACH DELETE n",
    "copy-after-semicolon": lambda s: f"RETURN 1;\nCOPY (MATCH (n) RETURN n.id) TO '{s.out}'",
    "comment-ends-twice": lambda s: f"RETURN /* **/ 1 */ 2 AS x LOAD FROM '{s.secret}' RETURN *",
}
MODES = ("cypher", "cypher-write", "saved-query")


def _arguments(scene: Scene, mode: str, text: str) -> list[str]:
    if mode == "cypher":
        return ["cypher", text]
    if mode == "cypher-write":
        return ["cypher", "--write", text]
    folder = scene.tmp / "queries"
    folder.mkdir(exist_ok=True)
    (folder / "attack.cypher").write_text(HEADER.format(name="attack") + text + "\n")
    return ["--queries-dir", str(folder), "query", "run", "attack"]


def _oversight(scene: Scene, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oversight", "--db", str(scene.db), *args],
        capture_output=True,
        text=True,
        cwd=scene.tmp,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_attacks_are_refused_and_touch_nothing(scene: Scene, attack: str, mode: str) -> None:
    text = ATTACKS[attack](scene)
    before = fingerprint(scene.db)
    proc = _oversight(scene, *_arguments(scene, mode, text))
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    assert "statement refused" in lines[0] or "changes the graph" in lines[0], lines[0]
    assert SECRET not in proc.stdout + proc.stderr
    assert not scene.out.exists()
    assert not scene.export.exists()
    assert not scene.marker.exists()
    assert fingerprint(scene.db) == before


def test_a_refusal_names_the_word_and_where(scene: Scene) -> None:
    proc = _oversight(scene, "cypher", f"MATCH (n)\n  LOAD FROM '{scene.secret}' RETURN *")
    assert proc.stderr.startswith(
        "error: statement refused: LOAD at line 2, column 3 is not allowed in a read-only query"
        " (allowed: MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN, ORDER BY"
    ), proc.stderr
    folder = scene.tmp / "queries"
    folder.mkdir()
    text = HEADER.format(name="sneaky") + "MATCH (`x\\`)\nLOAD FROM 'x' RETURN * // `\n"
    (folder / "sneaky.cypher").write_text(text)
    proc = _oversight(scene, "--queries-dir", str(folder), "query", "run", "sneaky")
    assert re.search(r"sneaky\.cypher:5: statement refused: LOAD at column 1 ", proc.stderr)


# --- without the gate, the engine does all of it --------------------------------------------


def test_the_engine_itself_reads_and_writes_files_in_a_read_only_transaction(
    scene: Scene,
) -> None:
    """`_read` is the store's read path without the gate: a read-only database, a read-only
    transaction. LadybugDB still reads the secret, writes files and exports the database."""
    with EmbeddedStore(scene.db, read_only=True) as store:
        for name in ("load-from", "backquote-trick"):
            rows = store._read(ATTACKS[name](scene), None).rows
            assert SECRET in json.dumps(rows, default=str), name
        store._read(ATTACKS["copy-to"](scene), None)
        store._read(ATTACKS["export-database"](scene), None)
    assert scene.out.exists()
    assert scene.export.exists()
    with EmbeddedStore(scene.db, read_only=True) as store:
        for name in ("load-from", "backquote-trick", "copy-to", "export-database"):
            with pytest.raises(StatementRefused):
                store.read(ATTACKS[name](scene))


def test_the_engine_itself_loads_a_shared_library(scene: Scene) -> None:
    """In a subprocess: loading runs the library's constructor in the process that loads it."""
    library = scene.library()
    script = (
        "import sys\n"
        "from oversight.graph.embedded import EmbeddedStore\n"
        "with EmbeddedStore(__import__('pathlib').Path(sys.argv[1]), read_only=True) as s:\n"
        "    try:\n"
        "        s._read(sys.argv[2], None)\n"
        "    except Exception as error:\n"
        "        print(error)\n"
    )
    text = f"LOAD EXTENSION '{library}'"
    proc = subprocess.run(
        [sys.executable, "-c", script, str(scene.db), text],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert scene.marker.exists(), proc.stdout + proc.stderr  # LadybugDB dlopened it
    scene.marker.unlink()
    with EmbeddedStore(scene.db, read_only=True) as store, pytest.raises(StatementRefused):
        store.read(text)
    assert not scene.marker.exists()


# --- what must pass ----------------------------------------------------------------------------


def _internal_reads() -> dict[str, str]:
    """Every statement the code sends through Store.read, by where it comes from."""
    model = schema()
    reads = {f"count-{label.name}": statements.count_nodes(label) for label in model.labels}
    reads |= {f"count-{r.name}": statements.count_relationships(r) for r in model.reltypes}
    reads |= {
        "resolve-names": resolve.ALL_NAMES,
        "resolve-id": resolve.BY_ID,
        "explore-entity": "MATCH (n {id: $id}) RETURN n",
        "export-nodes": export.WHOLE_GRAPH[0],
        "export-relationships": export.WHOLE_GRAPH[1],
        "citations-nodes": citations.NODE_CITATIONS,
        "citations-sources": citations.SOURCES,
        "linker-entities": linker.ENTITIES_QUERY,
        "linker-tenures": linker.TENURES_QUERY,
        "linker-parents": linker.PARENTS_QUERY,
        "load-sources": load.SOURCES_QUERY,
        "load-passages": load.PASSAGES_QUERY,
        "load-source-passages": load.SOURCE_PASSAGES_QUERY,
        "evaluate-nodes": evaluate.NODE_CITATIONS,
        "evaluate-relationships": evaluate.relationship_citations_query(),
        "fingerprint-nodes": NODES,
        "fingerprint-relationships": RELATIONSHIPS,
    }
    for depth in range(1, explore.MAX_DEPTH + 1):
        types = explore.relationship_types(None)
        reads[f"explore-depth-{depth}"] = explore.neighbourhood_query(depth, types)
    return reads


INTERNAL = _internal_reads()


@pytest.mark.parametrize("path", sorted(BUNDLED_DIR.glob("*.cypher")), ids=lambda p: p.stem)
def test_every_bundled_query_passes(path: Path) -> None:
    gate.check(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", list(INTERNAL))
def test_every_internal_read_passes(name: str) -> None:
    gate.check(INTERNAL[name])


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (n) RETURN n;",
        "MATCH (n) RETURN n ; // done",
        "MATCH (m) WHERE EXISTS { MATCH (m)-[:PART_OF]->() } RETURN COUNT { MATCH (m)--() } AS c",
        "MATCH p = (a)-[:PART_OF* SHORTEST 1..3]->(b) RETURN p",
        "MATCH p = (a)-[* ALL SHORTEST 1..3]->(b) RETURN p",
        "MATCH (x:Service|Body {id: $id}) RETURN x.name AS name ORDER BY name",
        'RETURN `x``y` AS `LOAD FROM`, \'CALL x(); COPY\' AS s, "it\\"s" AS t // COPY',
        "MATCH (n) RETURN n.name AS start, {copy: 1, load: 2} AS m, n.call AS c",
        "RETURN [x IN range(1, 3) WHERE x > 1 | x * 2] AS l, all(x IN [1] WHERE x > 0) AS a",
        "UNWIND [1, 2] AS change WITH change ORDER BY change DESC SKIP 0 LIMIT 1 RETURN change",
        "MATCH (n) RETURN n UNION ALL MATCH (n) RETURN n",
        "OPTIONAL MATCH (n)-[r]->(m) RETURN type(r), labels(n), toLower(n.name), 1e5, .5",
    ],
)
def test_read_queries_pass(text: str) -> None:
    gate.check(text)


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (n:Person {id: 'person/a'}) SET n.name = 'A'",
        "MERGE (n:Person {id: 'x'}) ON CREATE SET n.name = 'X' ON MATCH SET n.name = 'Y'",
        "MATCH (n) DETACH DELETE n",
        "CREATE (:Person {id: 'person/z', name: 'Z'})",
        "CREATE p = (a:Person {id: 'a'})-[:HOLDS]->(b:Post {id: 'b'}) RETURN p",
        "UNWIND range(1, 3) AS i CREATE (:Person {id: 'x' + CAST(i AS STRING)})",
        "MATCH (n) REMOVE n.name",
    ],
)
def test_graph_updates_pass_only_with_write(text: str) -> None:
    gate.check(text, write=True)
    with pytest.raises(
        StatementRefused, match=r"changes the graph; reads are read-only$"
    ) as refused:
        gate.check(text)  # no command-line flag named: the server shows these words too
    assert refused.value.writes


def test_a_verdict_kept_for_a_text_is_its_own() -> None:
    """The gate remembers texts that passed (a saved query is not tokenised at every run):
    a refused text is refused again with its reason, a read that passed is no licence to
    write, and a long text is checked every time."""
    read = "MATCH (n:Person) RETURN n.name AS kept_verdict"
    update = "MATCH (n:Person) SET n.name = 'kept_verdict'"
    for _ in range(2):
        gate.check(read)
        gate.check(update, write=True)
        with pytest.raises(StatementRefused, match="changes the graph"):
            gate.check(update)
        with pytest.raises(StatementRefused, match="LOAD at line 1"):
            gate.check("LOAD EXTENSION '/tmp/x.so' // kept_verdict")
    padding = "// " + "x" * (gate._KEPT_CHARS + 1) + "\n"
    for _ in range(2):
        with pytest.raises(StatementRefused, match="changes the graph"):
            gate.check(padding + update)
        gate.check(padding + read)


# --- Neo4j's forms -----------------------------------------------------------------------------

# Neo4j goes through the same Store.read and Store.write: these never reach it.
NEO4J_FORMS = [
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "LOAD CSV WITH HEADERS FROM 'https://example.org/x.csv' AS row RETURN row",
    "CALL db.labels()",
    "CALL db.labels() YIELD label RETURN label",
    "MATCH (n) CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value",
    "CALL { MATCH (n) RETURN n } RETURN 1",
    "MATCH (n) CALL (n) { RETURN 1 AS x } RETURN x",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS",
    "USE db MATCH (n) RETURN n",
    "USE system SHOW DATABASES",
    "SHOW DATABASES",
    "SHOW PROCEDURES",
    "CREATE DATABASE x",
    "CREATE OR REPLACE DATABASE x",
    "DROP DATABASE neo4j",
    "START DATABASE x",
    "STOP DATABASE neo4j",
    "CREATE USER eve SET PASSWORD 'x'",
    "ALTER USER neo4j SET PASSWORD 'x'",
    "GRANT ROLE admin TO eve",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "CREATE INDEX x FOR (n:Person) ON (n.name)",
    "EXPLAIN MATCH (n) RETURN n",
    "PROFILE MATCH (n) RETURN n",
    "CYPHER runtime=slotted MATCH (n) RETURN n",
    "MATCH (n) RETURN apoc.util.sleep(100000)",
    "RETURN `apoc`.`load`.`json`('file:///etc/passwd')",
    "RETURN `apoc.util.sleep`(1)",
    "MATCH (n) FOREACH (x IN [1] | CREATE (:Person))",
    "MATCH (n) WHERE EXISTS { CALL db.labels() YIELD label RETURN label } RETURN n",
    "MATCH (n) RETURN COLLECT { CALL db.labels() YIELD label RETURN label } AS l",
    "RETURN s'{1}' AS interpolated",
    "RETURN 0x1F AS x",
]


@pytest.mark.parametrize("text", NEO4J_FORMS)
@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_neo4j_forms_are_refused(text: str, write: bool) -> None:
    with pytest.raises(StatementRefused) as refused:
        gate.check(text, write=write)
    message = str(refused.value)
    assert message.startswith("statement refused: ") and "\n" not in message


# --- the tokenizer ------------------------------------------------------------------------------


def test_tokens_follow_cypher() -> None:
    tokens = gate.tokenize("MATCH (`a\\`) RETURN 'x\\'y' AS `b``c` // `LOAD\n/* CALL */ $p")
    assert [(t.kind, t.text) for t in tokens] == [
        ("word", "MATCH"),
        ("punct", "("),
        ("name", "a\\"),
        ("punct", ")"),
        ("word", "RETURN"),
        ("string", "'x\\'y'"),
        ("word", "AS"),
        ("name", "b`c"),
        ("param", "p"),
    ]
    assert (tokens[-1].line, tokens[-1].column) == (2, 12)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("RETURN 'open", "the string at line 1, column 8 is not closed"),
        ('RETURN "open', "the string at line 1, column 8 is not closed"),
        ("RETURN `open", "the backquoted name at line 1, column 8 is not closed"),
        ("RETURN 1 /* open", "the comment at line 1, column 10 is not closed"),
        ("RETURN /* a **/ 1", "'**/' at line 1, column 13 ends a comment for Neo4j but not"),
        ("RETURN 1LOAD", "'1LOAD' at line 1, column 8 (a number run into a name)"),
        ("RETURN $1LOAD", "'$1LOAD' at line 1, column 8 (a number run into a name)"),
        ("RETURN 1 AS x\u200b", "the character U+200B at line 1, column 14"),
        ("RETURN 1; RETURN 2", "';' at line 1, column 9 starts a second statement"),
        ("RETURN 1;;", "';' at line 1, column 9 starts a second statement"),
        ("// nothing", "an empty statement has nothing to run"),
        ("WHERE x RETURN 1", "WHERE at line 1, column 1 cannot start a query"),
        ("RETURN read_csv('x')", "read_csv() at line 1, column 8 is not an allowed function"),
        ("RETURN db.x.y(1)", "db.x.y() at line 1, column 8 is not allowed: procedures"),
        ("CREATE (n)", "CREATE at line 1, column 1 changes the graph"),
    ],
)
def test_refusals_say_what_and_where(text: str, problem: str) -> None:
    with pytest.raises(StatementRefused) as refused:
        gate.check(text)
    assert problem in str(refused.value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("CREATE DATABASE x", "CREATE at line 1, column 1 is only allowed to create nodes"),
        ("CREATE MACRO m(x) AS x", "CREATE at line 1, column 1 is only allowed to create nodes"),
        ("CREATE NODE TABLE T(id INT64, PRIMARY KEY (id))", "is only allowed to create nodes"),
        ("DETACH db", "DETACH at line 1, column 1 is only allowed as DETACH DELETE"),
        ("COPY T FROM 'x.csv'", "COPY at line 1, column 1 is not allowed even with --write"),
        ("MATCH (n) SET n.x = 1 FOREACH (x IN [1] | SET n.y = x)", "FOREACH at line 1"),
    ],
)
def test_write_mode_allows_graph_updates_only(text: str, problem: str) -> None:
    with pytest.raises(StatementRefused) as refused:
        gate.check(text, write=True)
    assert problem in str(refused.value)


def test_a_saved_query_refusal_gives_the_line_in_the_file(tmp_path: Path) -> None:
    text = HEADER.format(name="sneaky") + "MATCH (`x\\`)\n  LOAD FROM 'x' RETURN * // `\n"
    with pytest.raises(HeaderError, match=r"sneaky\.cypher:5: statement refused: LOAD at column 3"):
        parse_query(text, tmp_path / "sneaky.cypher")
    wipe = HEADER.format(name="wipe") + "MATCH (n)\nDETACH DELETE n\n"
    with pytest.raises(HeaderError, match=r"wipe\.cypher:5: DETACH changes the graph; saved"):
        parse_query(wipe, tmp_path / "wipe.cypher")


# --- fuzz ----------------------------------------------------------------------------------------

# Words that must never stand as keywords in an accepted read statement.
FORBIDDEN = {"LOAD", "COPY", "CALL", "EXPORT", "INSTALL", "ATTACH", "USE", "FOREACH"}
FORBIDDEN |= {"CREATE", "DELETE", "DETACH", "SET", "MERGE", "REMOVE", "DROP", "SHOW"}
FRAGMENTS = [
    *("MATCH", "RETURN", "WHERE", "WITH", "n", "x", "count", "AND", "1", "*", "(", ")", "{", "}"),
    *("LOAD", "FROM", "COPY", "CALL", "EXPORT", "INSTALL", "USE", "DETACH", "DELETE", "SET"),
    *("read_csv(", "db.labels(", "x.LOAD", "'/secret'", "$p"),
    *("'", '"', "`", "\\", "\\'", "``", "`x\\`", "'a\\\\'", '"\\""', "'it''s'"),
    *("//", "/*", "*/", "**/", "/* **/", "' */", "*/ '", ";", " ", " ", " ", "\n", "\r", "\t"),
]
_REFERENCE_TOKEN = r"""
    (?P<space>[\s]+)
  | (?P<line>//[^\r\n]*)
  | (?P<block>{block})
  | (?P<name>`(?:[^`]|``)*`)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<param>\$\w+)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<number>\d+)
  | (?P<punct>.)
"""
# The two engines' block comments: Neo4j's ends at the first */, LadybugDB's grammar pairs a *
# with the character after it.
REFERENCES = [
    re.compile(_REFERENCE_TOKEN.replace("{block}", block), re.VERBOSE | re.DOTALL)
    for block in (r"/\*.*?\*/", r"/\*(?:[^*]|\*[^/])*\*/")
]


def _reference_tokens(pattern: re.Pattern[str], text: str) -> list[tuple[str, str]]:
    """A plain regular-expression reading of Cypher, written apart from the gate's lexer."""
    found = [(m.lastgroup or "", m.group()) for m in pattern.finditer(text)]
    return [t for t in found if t[0] not in ("space", "line", "block")]


# The clause and operator words among FRAGMENTS that may stand before `(`.
BEFORE_PAREN = {"MATCH", "RETURN", "WHERE", "WITH", "AND"}


def _hidden_danger(tokens: list[tuple[str, str]]) -> str | None:
    """A forbidden keyword, call or second statement that an engine reading `tokens` would see."""
    for index, (kind, text) in enumerate(tokens):
        before = tokens[index - 1][1] if index else ""
        after = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        if kind == "punct" and text == ";" and index != len(tokens) - 1:
            return "a second statement"
        call = kind in ("word", "name") and after == "(" and text.upper() not in BEFORE_PAREN
        if call and (before == "." or text.strip("`").lower() not in gate.FUNCTIONS):
            return f"a call of {text}"
        if kind == "word" and text.upper() in FORBIDDEN and before != ".":
            return text
    return None


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25))
def test_fuzz_accepted_text_hides_no_forbidden_keyword(fragments: list[str]) -> None:
    """Whatever the gate accepts, an independent reading, with either engine's comments,
    finds no forbidden keyword, call or second statement in it."""
    text = "MATCH (n) RETURN " + "".join(fragments)
    try:
        gate.check(text)
    except StatementRefused:
        return
    for pattern in REFERENCES:
        assert _hidden_danger(_reference_tokens(pattern, text)) is None, text
