"""The statement gate's edges (graph/gate.py), one exact message each.

tests/test_gate.py runs attacks through the command line and the bundled and internal reads
through the gate; these pin where each rule's border lies (found by mutation testing:
tools/mutation/, docs/mutation.md): block comments the two engines end differently, numbers
run into names, and the forms a graph update may take.
"""

from __future__ import annotations

import pytest
from oversight.graph.gate import StatementRefused, check, tokenize

PASS = [
    ("/* a */ RETURN 1", False),
    ("/**/ RETURN 1", False),
    ("/* * / */ RETURN 1", False),
    ("RETURN 1 /* x ***/", False),  # LadybugDB pairs `**`, then `*/` ends it for both
    ("RETURN 1 /* *x */", False),
    ("RETURN 1 /* x* */", False),
    ("RETURN 1e3 AS x", False),
    ("RETURN 1.5e-3 AS x", False),
    ("RETURN 1.e5", False),
    ("RETURN .5 AS x", False),
    ("MATCH (a:Person) CREATE p = (a)-[:HOLDS]->(:Post {id: 'x'}) RETURN p", True),
    ("CREATE `p` = (:Person {id: 'x'}) RETURN 1", True),
    ("CREATE (n:Person {id: 'x'})", True),
    ("MERGE (n:Person {id: 'x'}) ON CREATE SET n.name = 'a' ON MATCH SET n.name = 'b'", True),
    ("MATCH (n) DETACH DELETE n", True),
    ("MATCH (n)\nRETURN n // c\nLIMIT 1", False),  # a comment after a line break
    ("MATCH (n) // a\r\nRETURN n\r// b\rLIMIT 1", False),
    ("MATCH (n) WHERE n.id = $`a b` RETURN n", False),
    ("MATCH (n) RETURN n LIMIT $1", False),  # a numbered parameter at the very end
]

COMMENT = "ends a comment for Neo4j but not for LadybugDB; write '* /'"
CREATE = "is only allowed to create nodes and relationships, as CREATE (...)"
ON = "is only allowed as MERGE's ON CREATE SET or ON MATCH SET"
RUN_INTO = "(a number run into a name) is not allowed"
NAMESPACED = "is not allowed: procedures and namespaced functions are never run"
WRITES = (
    "is not allowed even with --write (allowed: MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, "
    "RETURN, ORDER BY, SKIP, LIMIT, UNION [ALL], EXISTS { }, COUNT { }; CREATE, MERGE, "
    "ON CREATE SET, ON MATCH SET, SET, DELETE, DETACH DELETE, REMOVE)"
)
READS = (
    "is not allowed in a read-only query (allowed: MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, "
    "RETURN, ORDER BY, SKIP, LIMIT, UNION [ALL], EXISTS { }, COUNT { })"
)
REFUSED = [
    ("/***/ RETURN 1", False, f"'**/' at line 1, column 3 {COMMENT}"),
    ("RETURN /* **/ 1 */ 2", False, f"'**/' at line 1, column 11 {COMMENT}"),
    ("RETURN 1 /*\n x **/ 2", False, f"'**/' at line 2, column 4 {COMMENT}"),
    ("RETURN 1 /* a */ /* b **/", False, f"'**/' at line 1, column 23 {COMMENT}"),
    ("RETURN 1 /* unclosed", False, "the comment at line 1, column 10 is not closed with */"),
    ("RETURN 1 /* unclosed *", False, "the comment at line 1, column 10 is not closed with */"),
    (
        "RETURN 0x1F AS x",
        False,
        f"'0x1F' at line 1, column 8 {RUN_INTO}",
    ),
    (
        "RETURN 1LOAD",
        False,
        f"'1LOAD' at line 1, column 8 {RUN_INTO}",
    ),
    ("RETURN 1e AS x", False, f"'1e' at line 1, column 8 {RUN_INTO}"),
    ("CREATE INDEX i FOR (n:Person) ON (n.name)", True, f"CREATE at line 1, column 1 {CREATE}"),
    ("CREATE p (:Person)", True, f"CREATE at line 1, column 1 {CREATE}"),
    ("MATCH (n) CREATE", True, f"CREATE at line 1, column 11 {CREATE}"),
    (
        "MERGE (n:Person {id: 'x'}) ON DELETE SET n.name = 'a'",
        True,
        f"ON at line 1, column 28 {ON}",
    ),
    ("MATCH (n) ON", True, f"ON at line 1, column 11 {ON}"),
    ("MATCH (n) DETACH n", True, "DETACH at line 1, column 11 is only allowed as DETACH DELETE"),
    ("MATCH (n) DETACH", True, "DETACH at line 1, column 11 is only allowed as DETACH DELETE"),
    # a `//` comment ends at the first line break after it, LF or CR, not before, not later
    (
        "MATCH (n)\nRETURN n // c\nLOAD FROM 'x' RETURN *",
        False,
        f"LOAD at line 3, column 1 {READS}",
    ),
    ("MATCH (n) // a\rLOAD FROM 'x' RETURN *\r", False, f"LOAD at line 1, column 16 {READS}"),
    ("RETURN $1LOAD", False, f"'$1LOAD' at line 1, column 8 {RUN_INTO}"),
    ("RETURN $1$2", False, f"'$1$2' at line 1, column 8 {RUN_INTO}"),
    ("RETURN $`open", False, "the backquoted name at line 1, column 9 is not closed with `"),
    (
        "WHERE true RETURN 1",
        False,
        "WHERE at line 1, column 1 cannot start a query; "
        "start with MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN",
    ),
    ("RETURN `x`'a'", False, "x' at line 1, column 8 (a name run into a string) is not allowed"),
    (
        "MATCH (n) WHERE n.x = 1 RETURN n x'a'",
        False,
        "x' at line 1, column 34 (a name run into a string) is not allowed",
    ),
    ("RETURN 'a\\\\' AS s LOAD", False, f"LOAD at line 1, column 19 {READS}"),  # \\ ends it
    ("RETURN 'a\\'b' AS s LOAD", False, f"LOAD at line 1, column 20 {READS}"),  # \' does not
    ("MATCH (n) RETURN db.`labels`()", False, f"db.labels() at line 1, column 18 {NAMESPACED}"),
    ("MATCH (n) RETURN `db`.labels()", False, f"db.labels() at line 1, column 18 {NAMESPACED}"),
    ("MATCH (n) RETURN a.b.c()", False, f"a.b.c() at line 1, column 18 {NAMESPACED}"),
    ("MATCH (n) RETURN 1.labels()", False, f"labels() at line 1, column 20 {NAMESPACED}"),
    ("MATCH (n) RETURN ().x()", False, f"x() at line 1, column 21 {NAMESPACED}"),
    ("a.b() RETURN 1", False, f"a.b() at line 1, column 1 {NAMESPACED}"),
    ("MATCH (n) RETURN load(1)", False, f"LOAD at line 1, column 18 {READS}"),
    ("MATCH (n) RETURN load(1)", True, f"LOAD at line 1, column 18 {WRITES}"),
    ("MATCH (n) LOAD FROM 'x' RETURN *", True, f"LOAD at line 1, column 11 {WRITES}"),
    (
        "foo RETURN 1",
        False,
        "'foo' at line 1, column 1 cannot start a query; "
        "start with MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN",
    ),
    (
        "SET n.x = 1",
        True,
        "SET at line 1, column 1 cannot start a query; "
        "start with MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN, CREATE, MERGE",
    ),
]


@pytest.mark.parametrize(("text", "write"), PASS, ids=[t for t, _ in PASS])
def test_passes(text: str, write: bool) -> None:
    check(text, write=write)


@pytest.mark.parametrize(("text", "write", "message"), REFUSED, ids=[t for t, _, _ in REFUSED])
def test_refused_with_what_and_where(text: str, write: bool, message: str) -> None:
    with pytest.raises(StatementRefused) as refused:
        check(text, write=write)
    assert str(refused.value) == f"statement refused: {message}"


def test_parameters_are_one_token_each() -> None:
    tokens = tokenize("RETURN $id, $`a b`, $`x``y`, $1, $23 AS n, $_x, $1.5, $")
    assert [(t.kind, t.text, t.column) for t in tokens if t.kind != "punct" or t.text == "$"] == [
        ("word", "RETURN", 1),
        ("param", "id", 8),
        ("param", "a b", 13),
        ("param", "x`y", 21),
        ("param", "1", 30),
        ("param", "23", 34),
        ("word", "AS", 38),
        ("word", "n", 41),
        ("param", "_x", 44),
        ("param", "1", 49),
        ("number", ".5", 51),
        ("punct", "$", 55),
    ]


def test_an_unknown_function_lists_the_allowed_ones() -> None:
    with pytest.raises(StatementRefused) as refused:
        check("RETURN nope()")
    assert str(refused.value).startswith(
        "statement refused: nope() at line 1, column 8 is not an allowed function "
        "(allowed: abs, acos, all, allshortestpaths, any, asin, "
    )


@pytest.mark.parametrize("word", ["on", "detach"])
def test_a_graph_update_word_called_as_a_function_is_an_unknown_function(word: str) -> None:
    """`on(` and `detach(` are calls, not MERGE's ON or DETACH DELETE: refused as functions
    (the message lists the allowed ones), not with the graph update's form."""
    with pytest.raises(StatementRefused) as refused:
        check(f"MATCH (n) RETURN {word}(n)", write=True)
    assert str(refused.value).startswith(
        f"statement refused: {word}() at line 1, column 18 is not an allowed function "
        "(allowed: abs, acos, "
    )
