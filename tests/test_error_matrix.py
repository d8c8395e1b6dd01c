"""The bad-input matrix: every row is run here, and docs/errors.md is written from the runs.

Each row sets up one bad input, runs the real command in a subprocess against a copy of a
loaded database, and checks: exactly one line on stderr (the message the row documents),
the exit code (2: the command line is wrong; 1: input, data or store failed), no traceback,
and the store holding exactly what it held before (tests/fingerprint.py: every node and
relationship with every property), rows that never open it included. `OVERSIGHT_REGEN_DOCS=1
pytest tests/test_error_matrix.py` rewrites docs/errors.md from what the commands really print.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fingerprint import fingerprint
from hostile_files import bomb_pdf, encrypted_pdf, fifo, link, sparse
from oversight.graph.embedded import EmbeddedStore
from small_dataset import write_dataset

DOC = Path(__file__).resolve().parent.parent / "docs" / "errors.md"
REGEN = os.environ.get("OVERSIGHT_REGEN_DOCS") == "1"


@dataclass
class Case:
    """One row: what is wrong, how to make it, what the user should see."""

    group: str
    input: str
    make: Callable[[Path], list[str]]  # tmp folder -> arguments after `oversight --db DB`
    exit: int
    expect: str  # a regular expression the one stderr line must match
    env: dict[str, str] | None = None  # extra environment variables
    stdout: str | None = None  # a file standard output goes to (default: a pipe)
    secret: str | None = None  # text that must appear nowhere in the output


def dataset(tmp: Path, bad: str | bytes, name: str = "zz-bad.yaml") -> Path:
    folder = write_dataset(tmp / "data")
    target = folder / name
    if isinstance(bad, bytes):
        target.write_bytes(bad)
    else:
        target.write_text(bad, encoding="utf-8")
    return folder


def load_bad(bad: str | bytes) -> Callable[[Path], list[str]]:
    return lambda tmp: ["load", str(dataset(tmp, bad))]


def huge_file(tmp: Path) -> list[str]:
    folder = dataset(tmp, "")
    with (folder / "zz-bad.yaml").open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # 100 MB, sparse
    return ["load", str(folder)]


def unreadable(tmp: Path) -> list[str]:
    """Without read permission; root reads any file, so for root a file whose read fails."""
    folder = dataset(tmp, "- id: person/b\n")
    target = folder / "zz-bad.yaml"
    if os.geteuid() == 0:
        target.unlink()
        target.symlink_to("/proc/self/mem")  # stat says a file; reading it is an I/O error
    else:
        target.chmod(0)
    return ["load", str(folder / "base.yaml"), str(target)]  # named: a folder's may not lead out


def user_queries(tmp: Path, name: str, text: str) -> str:
    folder = tmp / "queries"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.cypher").write_text(text, encoding="utf-8")
    return str(folder)


def saved(name: str, text: str, *run: str) -> Callable[[Path], list[str]]:
    return lambda tmp: ["--queries-dir", user_queries(tmp, name, text), "query", "run", name, *run]


def slot_on_a_number(tmp: Path) -> list[str]:
    """A LadybugDB text whose label slot names an int parameter (queries/labels.py)."""
    text = "// name: slot\n// title: T\n// param n: int, example 1\nRETURN $n AS n\n"
    folder = user_queries(tmp, "slot", text)
    (tmp / "queries" / "ladybug").mkdir()
    (tmp / "queries" / "ladybug" / "slot.cypher").write_text(
        "MATCH (x:`{n}`) RETURN $n AS n\n", encoding="utf-8"
    )
    return ["--queries-dir", folder, "query", "run", "slot", "--example"]


def quote_missing(tmp: Path) -> list[str]:
    folder = dataset(
        tmp,
        "- id: person/bob\n  name: Bob\n  cite:\n    - source: source/s\n"
        '      quote: "Bob was never mentioned"\n',
    )
    return ["verify", str(folder)]


def parent_is_file(tmp: Path) -> list[str]:
    (tmp / "afile").write_text("x")
    return ["--db", str(tmp / "afile" / "x.lbug"), "load"]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- hostile input (files, limits, spreadsheets): how each row makes its input ----------------


def documents(tmp: Path, name: str, content: bytes = b"") -> Path:
    """A folder holding one document `name` (bytes), to be replaced by the caller if need be."""
    folder = tmp / "docs"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(content)
    return folder / name


def load_document(make: Callable[[Path], Path]) -> Callable[[Path], list[str]]:
    return lambda tmp: ["load-documents", str(make(tmp))]


def document_named_like_a_source(tmp: Path) -> Path:
    return documents(tmp, "love-wapping-2017.txt", b"Ofsted condemns Tower Hamlets.\n")


def binary_document(tmp: Path) -> Path:
    return documents(tmp, "notes.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def fifo_document(tmp: Path) -> Path:
    folder = documents(tmp, "notes.txt").parent
    (folder / "notes.txt").unlink()
    fifo(folder / "notes.txt")
    return folder


def zero_document(tmp: Path) -> Path:
    return link(tmp / "notes.txt", "/dev/zero")


def document_linked_out(tmp: Path) -> Path:
    (tmp / "private.txt").write_text("Not for the graph.\n")
    folder = documents(tmp, "a.txt", b"Debbie Jones.\n").parent
    link(folder / "b.txt", tmp / "private.txt")
    return folder


def verify_with_text(text: Callable[[Path], object], file: str = "s.txt") -> Callable:
    """`verify` of the small dataset whose source's text (`file:`) `text` replaces."""

    def make(tmp: Path) -> list[str]:
        folder = dataset(tmp, "- id: person/b\n  name: B\n  cite: [{source: source/s, quote: B}]\n")
        base = folder / "base.yaml"
        base.write_text(base.read_text().replace("file: s.txt", f"file: {file}"))
        (folder / "texts" / "s.txt").unlink()
        text(folder / "texts" / "s.txt")
        return ["verify", str(folder)]

    return make


def text_outside(path: Path) -> None:
    """`path` (texts/s.txt) a symlink to a file beside the dataset folder."""
    secret = path.parents[2] / "secret.txt"
    secret.write_text("B")
    link(path, secret)


def fifo_yaml(tmp: Path) -> list[str]:
    folder = dataset(tmp, "")
    (folder / "zz-bad.yaml").unlink()
    fifo(folder / "zz-bad.yaml")
    return ["load", str(folder)]


def zero_yaml(tmp: Path) -> list[str]:
    folder = dataset(tmp, "")
    return ["load", str(folder / "base.yaml"), str(link(tmp / "zz-bad.yaml", "/dev/zero"))]


def deep_json(depth: int = 5000) -> str:
    return "[" * depth + "]" * depth


def empty_db(tmp: Path) -> list[str]:
    (tmp / "empty.lbug").touch()
    return ["--db", str(tmp / "empty.lbug"), "stats"]


# --- FollowTheMoney: how each row makes its input ----------------------------------------------
FTM_PERSON = '{"id": "nb-1", "schema": "Person", "properties": {"name": ["Alex Example"]}}'


def ftm_load(*lines: str) -> Callable[[Path], list[str]]:
    """`load --format ftm` of a file holding these lines."""

    def make(tmp: Path) -> list[str]:
        path = tmp / "their.ftm.json"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return ["load", "--format", "ftm", str(path)]

    return make


HEADER = "// name: {name}\n// title: T\n"
CASES: dict[str, Case] = {
    # --- dataset files -----------------------------------------------------------------
    "yaml-syntax": Case(
        "dataset",
        "an unclosed `[` in YAML",
        load_bad("- id: person/b\n  name: [B\n"),
        1,
        r"zz-bad\.yaml:3: YAML syntax: .*",
    ),
    "tab-indent": Case(
        "dataset",
        "a tab used for indentation",
        load_bad("- id: person/b\n\tname: B\n"),
        1,
        r"zz-bad\.yaml:2: YAML syntax",
    ),
    "wrong-type": Case(
        "dataset",
        "text where a number belongs",
        load_bad(
            "- id: inspection/x\n  name: X\n  number: four\n"
            "  cite: [{source: source/s, quote: A}]\n"
        ),
        1,
        r"zz-bad\.yaml:3: Inspection 'inspection/x': number: .*integer",
    ),
    "bad-choice": Case(
        "dataset",
        "a value outside a property's choices",
        load_bad(
            "- id: finding/x\n  name: X\n  kind: scandal\n  cite: [{source: source/s, quote: A}]\n"
        ),
        1,
        r"zz-bad\.yaml:3: Finding 'finding/x': kind: Input should be",
    ),
    "unknown-property": Case(
        "dataset",
        "a property the label does not have",
        load_bad("- id: person/b\n  name: B\n  shoe_size: 9\n"),
        1,
        r"zz-bad\.yaml:3: Person 'person/b': unknown property 'shoe_size'",
    ),
    "unknown-prefix": Case(
        "dataset",
        "an id whose prefix names no label",
        load_bad("- id: villain/b\n  name: B\n"),
        1,
        r"zz-bad\.yaml:1: id 'villain/b' has no known prefix",
    ),
    "duplicate-id": Case(
        "dataset",
        "an id declared twice",
        load_bad("- id: person/ann\n  name: Ann again\n"),
        1,
        r"zz-bad\.yaml:1: duplicate id 'person/ann' \(first declared at .*base\.yaml:6\)",
    ),
    "unknown-id": Case(
        "dataset",
        "a relationship to an id nobody declares",
        load_bad("- extend: person/ann\n  holds: post/nowhere\n"),
        1,
        r"zz-bad\.yaml:2: holds: unknown id 'post/nowhere'",
    ),
    "extend-unknown": Case(
        "dataset",
        "`extend` of an id nobody declares",
        load_bad("- extend: person/nobody\n  cite: []\n"),
        1,
        r"zz-bad\.yaml:1: extend: no record declares 'person/nobody'",
    ),
    "forbidden-relationship": Case(
        "dataset",
        "a relationship between labels the schema does not allow",
        load_bad("- extend: post/dcs\n  holds: person/ann\n"),
        1,
        r"zz-bad\.yaml:2: HOLDS cannot join Post 'post/dcs' -> Person 'person/ann' \(allowed: ",
    ),
    "missing-citation": Case(
        "dataset",
        "a record with no citation",
        load_bad("- id: person/b\n  name: B\n"),
        1,
        r"zz-bad\.yaml:1: 'person/b' has no citation: add `cite`",
    ),
    "unknown-source": Case(
        "dataset",
        "a citation of a source nobody declares",
        load_bad("- id: person/b\n  name: B\n  cite: [{source: source/nope, quote: B}]\n"),
        1,
        r"zz-bad\.yaml:3: citation: unknown source 'source/nope'",
    ),
    "impossible-date": Case(
        "dataset",
        "30 February",
        load_bad("- extend: person/ann\n  holds:\n    - to: post/dcs\n      start: 2017-02-30\n"),
        1,
        r"zz-bad\.yaml:4: HOLDS: start: '2017-02-30' is not a real date",
    ),
    "vague-date": Case(
        "dataset",
        "a date written as words",
        load_bad("- extend: person/ann\n  holds:\n    - to: post/dcs\n      start: July 2015\n"),
        1,
        r"zz-bad\.yaml:4: HOLDS: start: 'July 2015' is not a date: write YYYY",
    ),
    "empty-file": Case(
        "dataset",
        "an empty file",
        load_bad(""),
        1,
        r"zz-bad\.yaml:1: empty file: expected a list of records",
    ),
    "not-a-list": Case(
        "dataset",
        "a mapping where a list of records belongs",
        load_bad("id: person/b\n"),
        1,
        r"zz-bad\.yaml:1: expected a list of records",
    ),
    "binary-file": Case(
        "dataset",
        "a binary file named .yaml",
        load_bad(b"\x00\x01\x02\xff"),
        1,
        r"zz-bad\.yaml: not a text file \(binary content\)",
    ),
    "non-utf8": Case(
        "dataset",
        "Latin-1 text",
        load_bad("- id: person/b\n  name: Bé\n".encode("latin-1")),
        1,
        r"zz-bad\.yaml:2: not UTF-8 text; save the file as UTF-8",
    ),
    "control-characters": Case(
        "dataset",
        "a raw control character (BEL) inside a name",
        load_bad("- id: person/b\n  name: B\x07ob\n"),
        1,
        r"zz-bad\.yaml:2: YAML does not allow the control character U\+0007",
    ),
    "huge-file": Case(
        "dataset",
        "a 100 MB file",
        huge_file,
        1,
        r"zz-bad\.yaml: 100 MiB is more than a dataset file may hold \(64 MiB\)",
    ),
    "missing-folder": Case(
        "dataset",
        "a folder that does not exist",
        lambda tmp: ["load", str(tmp / "nowhere")],
        1,
        r"nowhere: no such file or folder",
    ),
    "unreadable-file": Case(
        "dataset",
        "a file without read permission",
        unreadable,
        1,
        r"zz-bad\.yaml: cannot read: (Permission denied|Input/output error)",
    ),
    "quote-not-in-source": Case(
        "dataset",
        "`oversight verify`: a quote its source does not hold",
        quote_missing,
        1,
        r"zz-bad\.yaml:4: quote for 'person/bob' is not in source/s: "
        r"\"Bob was never mentioned\"",
    ),
    # --- saved and ad-hoc queries -----------------------------------------------------
    "unknown-query": Case(
        "queries",
        "a saved query name that does not exist",
        lambda tmp: ["query", "run", "who-knew"],
        2,
        r"no saved query named 'who-knew'; known: accountability-for-inspection",
    ),
    "missing-parameter": Case(
        "queries",
        "a required parameter left out",
        lambda tmp: ["query", "run", "evidence"],
        2,
        r"query 'evidence': missing parameter 'entity'; expected parameters: "
        r"entity: entity \(required\)",
    ),
    "extra-parameter": Case(
        "queries",
        "a parameter the query does not take",
        lambda tmp: ["query", "run", "evidence", "--param", "entity=x", "--param", "colour=red"],
        2,
        r"query 'evidence': unknown parameter 'colour'; expected parameters",
    ),
    "ill-typed-parameter": Case(
        "queries",
        "text where an int belongs",
        lambda tmp: ["query", "run", "accountability-gaps", "--param", "min_findings=many"],
        2,
        r"query 'accountability-gaps': parameter 'min_findings': "
        r"'many' is not an int",
    ),
    "param-without-equals": Case(
        "queries",
        "`--param` without NAME=VALUE",
        lambda tmp: ["cypher", "RETURN 1", "--param", "oops"],
        2,
        r"Invalid value for --param: 'oops' is not NAME=VALUE",
    ),
    "malformed-header": Case(
        "queries",
        "a saved query header with an unknown key",
        saved(
            "bad-header", "// name: bad-header\n// title: T\n// colour: red\nMATCH (n) RETURN n\n"
        ),
        1,
        r"bad-header\.cypher:3: unknown key 'colour'",
    ),
    "saved-syntax-error": Case(
        "queries",
        "a saved query with a Cypher syntax error",
        saved("broken", HEADER.format(name="broken") + "MATCH (n RETURN n\n"),
        1,
        r"broken\.cypher: Parser exception",
    ),
    "saved-query-writes": Case(
        "queries",
        "a saved query that writes",
        saved("wipe", HEADER.format(name="wipe") + "MATCH (n) DETACH DELETE n\n"),
        1,
        r"wipe\.cypher:3: DETACH changes the graph; saved queries only read",
    ),
    "adhoc-syntax-error": Case(
        "queries",
        "an ad-hoc query with a syntax error",
        lambda tmp: ["cypher", "MATCH (n RETURN n"],
        1,
        r"Parser exception: Invalid input <MATCH \(n RETURN>",
    ),
    "adhoc-write": Case(
        "queries",
        "an ad-hoc query that writes, without --write",
        lambda tmp: ["cypher", "MATCH (n) DETACH DELETE n"],
        1,
        r"statement refused: DETACH at line 1, column 11 changes the graph; reads are "
        r"read-only \(use --write to change the graph\)",
    ),
    "unknown-label": Case(
        "queries",
        "an ad-hoc query naming a label the schema lacks",
        lambda tmp: ["cypher", "MATCH (n:Villain) RETURN n"],
        1,
        r"Binder exception: Table Villain does not exist",
    ),
    # --- statement gate ---
    "adhoc-load-from": Case(
        "queries",
        "an ad-hoc query that reads a file (`LOAD FROM`)",
        lambda tmp: ["cypher", "LOAD FROM 'secret.csv' RETURN *"],
        1,
        r"statement refused: LOAD at line 1, column 1 is not allowed in a read-only query "
        r"\(allowed: MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN, ORDER BY, SKIP, LIMIT, "
        r"UNION \[ALL\], EXISTS \{ \}, COUNT \{ \}\)",
    ),
    "adhoc-copy-to": Case(
        "queries",
        "an ad-hoc query that writes a file (`COPY ... TO`), with --write",
        lambda tmp: ["cypher", "--write", "COPY (MATCH (n) RETURN n.id) TO 'out.csv'"],
        1,
        r"statement refused: COPY at line 1, column 1 is not allowed even with --write",
    ),
    "adhoc-two-statements": Case(
        "queries",
        "two statements in one ad-hoc query",
        lambda tmp: ["cypher", "MATCH (n) RETURN count(n); MATCH (n) RETURN n"],
        1,
        r"statement refused: ';' at line 1, column 26 starts a second statement; "
        r"run one statement at a time",
    ),
    "adhoc-procedure": Case(
        "queries",
        "an ad-hoc query that calls a namespaced function",
        lambda tmp: ["cypher", "RETURN apoc.load.json('file:///etc/passwd') AS x"],
        1,
        r"statement refused: apoc\.load\.json\(\) at line 1, column 8 is not allowed: "
        r"procedures and namespaced functions are never run",
    ),
    "adhoc-unclosed-string": Case(
        "queries",
        "an ad-hoc query with a string that is not closed",
        lambda tmp: ["cypher", "MATCH (n) WHERE n.name = 'Bob RETURN n"],
        1,
        r"statement refused: the string at line 1, column 26 is not closed with '",
    ),
    "saved-query-loads-file": Case(
        "queries",
        "a saved query that hides `LOAD FROM` after a backquoted name ending in `\\`",
        saved("leak", HEADER.format(name="leak") + "MATCH (`x\\`) LOAD FROM 'x' RETURN * // `\n"),
        1,
        r"leak\.cypher:3: statement refused: LOAD at column 14 is not allowed in a read-only "
        r"query",
    ),
    "label-slot-not-entity": Case(
        "queries",
        "an engine's text whose label slot names a parameter that is not an entity",
        slot_on_a_number,
        1,
        r"ladybug/slot\.cypher:1: label slot `\{n\}`: n is not a required entity param",
    ),
    # --- entities ---------------------------------------------------------------------
    "entity-no-match": Case(
        "entities",
        "`explore` with a name nobody has",
        lambda tmp: ["explore", "Debra Jonas", "-o", str(tmp / "v.html")],
        1,
        r"no entity is called 'Debra Jonas'; did you mean 'Debbie Jones' "
        r"\(person/debbie-jones\)",
    ),
    "entity-ambiguous": Case(
        "entities",
        "`explore` with a name several entities share",
        lambda tmp: ["explore", "Tower Hamlets", "-o", str(tmp / "v.html")],
        1,
        r"'Tower Hamlets' is part of the name of \d+ entities: body/tower-hamlets-council .*"
        r"give one of these ids",
    ),
    "unknown-relationship-type": Case(
        "entities",
        "`explore --types` with a type the schema lacks",
        lambda tmp: [
            "explore",
            "person/debbie-jones",
            "--types",
            "HOLDS,BRIBED",
            "-o",
            str(tmp / "v.html"),
        ],
        2,
        r"--types: unknown relationship type BRIBED \(known: HOLDS, ",
    ),
    # --- stores -----------------------------------------------------------------------
    "db-folder-missing": Case(
        "stores",
        "`--db` in a folder that does not exist",
        lambda tmp: ["--db", str(tmp / "no" / "x.lbug"), "load"],
        1,
        r"x\.lbug: .*/no does not exist",
    ),
    "db-parent-is-file": Case(
        "stores", "`--db` below a file", parent_is_file, 1, r"x\.lbug: .*afile is not a folder"
    ),
    "db-not-loaded": Case(
        "stores",
        "reading a database that was never loaded",
        lambda tmp: ["--db", str(tmp / "new.lbug"), "stats"],
        1,
        r"new\.lbug: no database here yet; run `oversight load` first",
    ),
    "neo4j-unreachable": Case(
        "stores",
        "Neo4j not listening at the URI",
        lambda tmp: ["--neo4j", f"bolt://127.0.0.1:{free_port()}", "stats"],
        1,
        r"bolt://127\.0\.0\.1:\d+: cannot reach Neo4j: connection refused",
        env={"NEO4J_PASSWORD": "not-printed"},
    ),
    "neo4j-no-password": Case(
        "stores",
        "Neo4j without NEO4J_PASSWORD, not on a terminal",
        lambda tmp: ["--neo4j", "bolt://127.0.0.1:7687", "stats"],
        1,
        r"bolt://127\.0\.0\.1:7687: set NEO4J_PASSWORD to the Neo4j password",
    ),
    # --- output -----------------------------------------------------------------------
    "html-output-unwritable": Case(
        "output",
        "`-o` into a folder that does not exist",
        lambda tmp: ["explore", "person/debbie-jones", "-o", str(tmp / "no" / "v.html")],
        1,
        r"v\.html: cannot write: No such file or directory",
    ),
    "csv-output-unwritable": Case(
        "output",
        "`--format csv -o` into a missing folder",
        lambda tmp: [
            "cypher",
            "RETURN 1 AS one",
            "--format",
            "csv",
            "-o",
            str(tmp / "no" / "x.csv"),
        ],
        1,
        r"x\.csv: cannot write: No such file or directory",
    ),
    "export-unwritable": Case(
        "output",
        "`export -o` into a missing folder",
        lambda tmp: ["export", "--format", "graphml", "-o", str(tmp / "no" / "g.graphml")],
        1,
        r"g\.graphml: cannot write: .*No such file or directory",
    ),
    "render-past-limit": Case(
        "output",
        "a view far past the size limit",
        lambda tmp: ["cypher", "MATCH (n) RETURN n", "--format", "html", "-o", str(tmp / "v.html")],
        1,
        r"the result has \d+ nodes, more than the view limit of 1500",
    ),
    "html-without-output": Case(
        "output",
        "`--format html` without `-o`",
        lambda tmp: ["cypher", "RETURN 1", "--format", "html"],
        2,
        r"--format html needs -o FILE\.html",
    ),
    "unknown-option": Case(
        "usage",
        "an option the command does not have",
        lambda tmp: ["load", "--fast"],
        2,
        r"No such option '--fast'\. Did you mean '--format'\? \(see 'oversight load --help'\)",
    ),
    "unknown-command": Case(
        "usage",
        "a command that does not exist",
        lambda tmp: ["destroy"],
        2,
        r"No such command 'destroy'",
    ),
    # --- hostile input (files, limits, spreadsheets) ---
    "document-named-like-a-source": Case(
        "documents",
        "a document named `love-wapping-2017.txt`, a curated source's id",
        load_document(document_named_like_a_source),
        1,
        r"love-wapping-2017\.txt: would load as source/love-wapping-2017, which is the curated "
        r"source .*; give the document its own `id: source/\.\.\.` in love-wapping-2017\.txt\.yaml",
    ),
    "document-binary": Case(
        "documents",
        "binary content named `.txt`",
        load_document(binary_document),
        1,
        r"notes\.txt: not a text file \(binary content\)",
    ),
    "document-encrypted-pdf": Case(
        "documents",
        "a PDF that needs a password",
        load_document(lambda tmp: encrypted_pdf(tmp / "locked.pdf")),
        1,
        r"locked\.pdf: the PDF is encrypted and needs a password",
    ),
    "document-pdf-bomb": Case(
        "documents",
        "a 1 MB PDF whose stream inflates to 1 GiB",
        load_document(lambda tmp: bomb_pdf(tmp / "bomb.pdf", 1024)),
        1,
        r"bomb\.pdf: its compressed streams inflate past 128 MiB",
    ),
    "document-huge": Case(
        "documents",
        "a 3 GB text file (sparse)",
        load_document(lambda tmp: sparse(tmp / "huge.txt", 3 * 2**30)),
        1,
        r"huge\.txt: 3\.0 GiB is more than a document may hold \(64 MiB\)",
    ),
    "document-fifo": Case(
        "documents",
        "a FIFO named `.txt` in a folder of documents",
        load_document(fifo_document),
        1,
        r"notes\.txt: a named pipe \(FIFO\), not a regular file",
    ),
    "document-dev-zero": Case(
        "documents",
        "a symlink to /dev/zero named `.txt`",
        load_document(zero_document),
        1,
        r"notes\.txt: a character device, not a regular file",
    ),
    "document-links-out": Case(
        "documents",
        "a folder of documents with a symlink to a file outside it",
        load_document(document_linked_out),
        1,
        r"b\.txt: leads outside .*docs \(to .*private\.txt\)",
    ),
    "text-absolute-path": Case(
        "dataset",
        "a source whose `file:` is an absolute path",
        verify_with_text(lambda path: path.write_text("B"), file="/etc/passwd"),
        1,
        r"base\.yaml:3: Source 'source/s': file '/etc/passwd' is an absolute path",
    ),
    "text-climbs-out": Case(
        "dataset",
        "a source whose `file:` climbs out with `..`",
        verify_with_text(lambda path: path.write_text("B"), file="../../secret.txt"),
        1,
        r"base\.yaml:3: Source 'source/s': file '\.\./\.\./secret\.txt' leads out of the texts "
        r"folder",
    ),
    "text-links-out": Case(
        "dataset",
        "a source text that is a symlink to a file outside the texts folder",
        verify_with_text(text_outside),
        1,
        r"base\.yaml:3: text of 'source/s': .*s\.txt: leads outside .*texts \(to .*secret\.txt\)",
    ),
    "text-binary": Case(
        "dataset",
        "`oversight verify`: a source text with binary content",
        verify_with_text(lambda path: path.write_bytes(b"B\x00\x01\x02")),
        1,
        r"base\.yaml:3: text of 'source/s': .*s\.txt: not a text file \(binary content\)",
    ),
    "measure-not-finite": Case(
        "dataset",
        "a measure whose value is NaN",
        load_bad(
            "- id: measure/x\n  name: X\n  value: .nan\n  cite: [{source: source/s, quote: A}]\n"
        ),
        1,
        r"zz-bad\.yaml:3: Measure 'measure/x': value: Input should be a finite number",
    ),
    "integer-past-64-bits": Case(
        "dataset",
        "an integer past 64 bits",
        load_bad(
            "- id: inspection/x\n  name: X\n  number: 99999999999999999999\n"
            "  cite: [{source: source/s, quote: A}]\n"
        ),
        1,
        r"zz-bad\.yaml:3: Inspection 'inspection/x': number: Input should be less than or equal "
        r"to 9223372036854775807",
    ),
    "yaml-fifo": Case(
        "dataset",
        "a FIFO named `.yaml` in a dataset folder",
        fifo_yaml,
        1,
        r"zz-bad\.yaml: a named pipe \(FIFO\), not a regular file",
    ),
    "yaml-dev-zero": Case(
        "dataset",
        "a symlink to /dev/zero named `.yaml`",
        zero_yaml,
        1,
        r"zz-bad\.yaml: a character device, not a regular file",
    ),
    "param-too-deep": Case(
        "parameters",
        "a 5,000-deep JSON list as a `cypher --param`",
        lambda tmp: ["cypher", "RETURN $x", "-p", f"x={deep_json()}"],
        2,
        r"Invalid value for --param: 'x': nested more than 32 deep",
    ),
    "saved-param-too-deep": Case(
        "parameters",
        "a 5,000-deep JSON list as a `query run --param`",
        lambda tmp: ["query", "run", "secondary-claims", "--param", f"bases={deep_json()}"],
        2,
        r"query 'secondary-claims': parameter 'bases': nested more than 32 deep",
    ),
    "param-past-64-bits": Case(
        "parameters",
        "an integer past 64 bits as a `cypher --param`",
        lambda tmp: ["cypher", "RETURN $x", "-p", "x=99999999999999999999"],
        2,
        r"Invalid value for --param: 'x': 99999999999999999999 is past the 64-bit integer range",
    ),
    "saved-param-past-64-bits": Case(
        "parameters",
        "an integer past 64 bits for an int parameter",
        lambda tmp: ["query", "run", "accountability-gaps", "-p", "min_findings=1" + "0" * 20],
        2,
        r"query 'accountability-gaps': parameter 'min_findings': 1000+ is past the 64-bit",
    ),
    "param-not-finite": Case(
        "parameters",
        "`1e999`, a number JSON reads as infinite",
        lambda tmp: ["cypher", "RETURN $x", "-p", "x=1e999"],
        2,
        r"Invalid value for --param: 'x': 1e999 is not a finite number",
    ),
    "stdout-full": Case(
        "output",
        "standard output on a full device: `stats > /dev/full`",
        lambda tmp: ["stats"],
        1,
        r"^error: standard output: cannot write: No space left on device$",
        stdout="/dev/full",
    ),
    "output-file-full": Case(
        "output",
        "`-o /dev/full`",
        lambda tmp: ["query", "run", "evidence", "--example", "--format", "csv", "-o", "/dev/full"],
        1,
        r"^error: /dev/full: cannot write: No space left on device$",
    ),
    "db-empty-file": Case(
        "stores",
        "an empty file given as `--db`",
        empty_db,
        1,
        r"empty\.lbug: not an oversight database",
    ),
    "neo4j-uri-secrets": Case(
        "stores",
        "a Neo4j URI with a password in its user info and query",
        lambda tmp: [
            "--neo4j",
            f"bolt://user:Pa55-in-uri@127.0.0.1:{free_port()}?password=Pa55-in-uri",
            "stats",
        ],
        1,
        r"bolt://127\.0\.0\.1:\d+\?password=\*\*\*: not a Neo4j URI: Username is not supported",
        env={"NEO4J_PASSWORD": "not-printed"},
        secret="Pa55-in-uri",
    ),
    # --- FollowTheMoney ---
    "ftm-not-json": Case(
        "FollowTheMoney",
        "a line of an FtM file that is not JSON",
        ftm_load(FTM_PERSON, '{"id": "nb-2", "schema": "Person"'),
        1,
        r"their\.ftm\.json:2: not a JSON object: ",
    ),
    "ftm-bad-value": Case(
        "FollowTheMoney",
        "an FtM value its type refuses (a birth date `soon`)",
        ftm_load(
            '{"id": "nb-1", "schema": "Person", "properties": {"name": ["A"], "birthDate": ["soon"]}}'
        ),
        1,
        r"their\.ftm\.json:1: nb-1: Person\.birthDate: 'soon' is not a valid date",
    ),
    "ftm-dangling": Case(
        "FollowTheMoney",
        "an FtM Occupancy whose post is neither in the file nor in the store",
        ftm_load(
            FTM_PERSON,
            '{"id": "nb-2", "schema": "Occupancy", "properties": {"holder": ["nb-1"], "post": ["nowhere"]}}',
        ),
        1,
        r"their\.ftm\.json:2: nb-2: post nowhere is neither in the file nor in the store",
    ),
    "ftm-two-files": Case(
        "FollowTheMoney",
        "`load --format ftm` with two files",
        lambda tmp: ["load", "--format", "ftm", "a.ftm.json", "b.ftm.json"],
        2,
        r"load --format ftm takes one FILE",
    ),
}


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory, loaded_db: Path) -> Path:
    """The bundled dataset plus 1,600 extra people: past the view limit."""
    path = tmp_path_factory.mktemp("big") / "big.lbug"
    shutil.copy(loaded_db, path)
    with EmbeddedStore(path) as store:
        store.write(
            "UNWIND range(1, 1600) AS i CREATE (:Person {id: 'person/x' + CAST(i AS STRING), "
            "name: 'X'})"
        )
    return path


FINGERPRINTS: dict[Path, str] = {}


def fingerprint_of(source: Path) -> str:
    """The source database's fingerprint, taken once: each row's copy must end equal to it."""
    if source not in FINGERPRINTS:
        FINGERPRINTS[source] = fingerprint(source)
    return FINGERPRINTS[source]


def other_dbs(args: list[str]) -> dict[Path, bool]:
    """Any other `--db PATH` a row names, and whether it exists before the row runs."""
    paths = [Path(args[i + 1]) for i, arg in enumerate(args[:-1]) if arg == "--db"]
    return {path: path.exists() for path in paths}


def run_case(name: str, case: Case, tmp: Path, source_db: Path) -> tuple[int, str, str]:
    db = tmp / "db.lbug"
    shutil.copy(source_db, db)
    args = case.make(tmp)
    others = other_dbs(args)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    with open(case.stdout or os.devnull, "w") as redirected:
        proc = subprocess.run(
            [sys.executable, "-m", "oversight", "--db", str(db), *args],
            stdout=redirected if case.stdout else subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp,
            timeout=120,
            env=env | (case.env or {}),
            stdin=subprocess.DEVNULL,
        )
    for path, existed in others.items():  # a refused command creates no database either
        assert path.exists() == existed, path
    return proc.returncode, proc.stdout or "", proc.stderr


@pytest.mark.parametrize("name", list(CASES))
def test_matrix_row(name: str, tmp_path: Path, loaded_db: Path, big_db: Path) -> None:
    case = CASES[name]
    source = big_db if name == "render-past-limit" else loaded_db
    before = fingerprint_of(source)
    code, stdout, stderr = run_case(name, case, tmp_path, source)
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    assert re.search(case.expect, lines[0]), lines[0]
    assert code == case.exit, lines[0]
    if case.secret:
        assert case.secret not in stdout + stderr
    db = tmp_path / "db.lbug"
    assert db.is_file(), "the row's command removed the database"  # then compare it, opened
    assert fingerprint(db) == before
    message = lines[0].replace(str(tmp_path), "<tmp>")
    MESSAGES[name] = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", message)


MESSAGES: dict[str, str] = {}


def markdown(messages: dict[str, str]) -> str:
    rows = [
        "# What oversight says when something is wrong",
        "",
        "Generated from `tests/test_error_matrix.py`, which runs every row against a copy of a",
        "loaded database (`OVERSIGHT_REGEN_DOCS=1 pytest tests/test_error_matrix.py` rewrites it).",
        "Every row: one line on stderr, no traceback (`--debug` shows one), and the store exactly",
        "as it was. Exit 2: the command line is wrong; exit 1: the input, data or store failed.",
        "",
        "| # | group | input | message | exit |",
        "|---|---|---|---|---|",
    ]
    for number, (name, case) in enumerate(CASES.items(), 1):
        message = messages.get(name, "").replace("|", "\\|")
        rows.append(
            f"| {number} | {case.group} | {case.input} (`{name}`) | `{message}` | {case.exit} |"
        )
    rows += [
        "",
        "Tested elsewhere, with the same rules:",
        "",
        "| input | behaviour | test |",
        "|---|---|---|",
        "| Ctrl-C during a load | `error: interrupted; any unfinished write was rolled back`, exit 130,"
        " store as before | `tests/test_faults.py::test_ctrl_c_during_a_load_rolls_back` |",
        "| SIGKILL at a random point of a load, 20 times | the store is as before or as after, never"
        " between | `tests/test_faults.py::test_sigkill_leaves_before_or_after` |",
        "| a second process writing to the same embedded database | `...: the database is open in"
        " another oversight or LadybugDB process; close that process and try again`, exit 1 |"
        " `tests/test_faults.py::test_second_writer_is_refused` |",
        "| Neo4j: wrong password, connection dropped mid-load | one line, exit 1; the password is"
        " never printed | `tests/test_neo4j_faults.py` (a fake Bolt server) |",
        "| HTML, script and control characters inside data | shown as text in views and tables;"
        " nothing runs | `tests/test_views.py::test_payloads_in_data_show_as_text_and_run_nothing` |",
        "| generated and mutated dataset files and query headers | a one-line error or success,"
        " never another exception, never a partial write | `tests/test_fuzz.py` |",
        "| a parameter holding Cypher text | a plain value: no rows, store unchanged |"
        " `tests/test_faults.py::test_cypher_in_a_parameter_is_a_value` |",
        # --- a big dataset read in a child process (loaders/child_read.py) ---
        "| an error in a dataset read in a child process (4 MB or more) | the same one line"
        " with `file:line` as in one process, exit 1, no store file made |"
        " `tests/test_child_read.py::test_an_error_found_in_the_child_is_the_same_one_line` |",
        "| a full disk while the child writes its rows | `error: <folder>: cannot write the"
        " rows: No space left on device; nothing saved`, exit 1 |"
        " `tests/test_child_read.py::test_a_full_disk_while_the_child_writes_its_rows_is_one"
        "_line` |",
        "| SIGKILL or Ctrl-C while the child reads | the child ends with its load; nothing"
        " written; a killed load's files are removed by the next | `tests/test_child_read.py::"
        "test_a_killed_load_takes_its_child_with_it_and_the_next_load_clears_its_files`,"
        " `::test_ctrl_c_while_the_child_reads_stops_it_and_writes_nothing` |",
        # --- hostile input (files, limits, spreadsheets) ---
        "| FIFOs, /dev/zero, a 3 GB file and a PDF bomb as dataset files, documents or manifests"
        " | one line within 5 s, peak memory bounded (the child's own RSS), store unchanged |"
        " `tests/test_hostile.py::test_limits_refuse_quickly_in_bounded_memory` |",
        "| a document with a curated source's bytes, or its `id` in a manifest; a document"
        " named like another document's source | attached to that source; refused in one line"
        " | `tests/test_hostile.py::test_a_document_attaches_only_by_id_or_content`,"
        " `::test_documents_do_not_take_each_others_ids` |",
        "| 1,000 nested HTML tags | loads: the page is walked without recursion |"
        " `tests/test_hostile.py::test_a_thousand_nested_html_tags_load` |",
        "| text cells starting with `=`, `+`, `-`, `@`, tab or CR in CSV and neo4j-csv | a"
        " leading `'` (numbers stay numbers, ids stay joined); `--raw` writes them as they are |"
        " `tests/test_hostile.py::test_csv_cells_cannot_run_as_formulas`,"
        " `::test_neo4j_csv_is_safe_and_still_imports` |",
        "| NaN or infinity computed by a query or stored with `--write` | `null` in JSON"
        " output and JSON exports | `tests/test_hostile.py::test_json_output_never_holds_nan_or"
        "_infinity` |",
        "| `cypher`, `query run`, `query list`, `stats`, `schema` writing to /dev/full; a"
        " closed pipe | `error: standard output: cannot write: No space left on device`, exit 1;"
        " a closed pipe ends quietly with 141 | `tests/test_hostile.py::test_standard_output_on"
        "_a_full_device`, `::test_a_closed_pipe_ends_quietly` |",
        "| a Neo4j URI with `user:password@` and `?password=`, working or not, with `--debug`"
        " | shown as `bolt://host:port?password=***` everywhere | `tests/test_hostile.py::test"
        "_uri_secrets_are_never_printed` |",
    ]
    return "\n".join(rows) + "\n"


def test_docs_errors_md_matches_the_matrix() -> None:
    """Runs after the rows (file order): the doc must show what the commands really print."""
    if len(MESSAGES) != len(CASES):
        pytest.skip("run the whole matrix to compare docs/errors.md")
    text = markdown(MESSAGES)
    if REGEN:
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text
