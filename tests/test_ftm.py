"""FollowTheMoney export and import, checked by the followthemoney library itself.

Real parts throughout: a LadybugDB file with the bundled dataset, the `oversight` command in a
subprocess, followthemoney's model (and its `ftm validate` command) to judge every line, and
an FtM file written with followthemoney in the test, not by our exporter.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fingerprint import fingerprint
from followthemoney import model
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.ftm import ftm_id, node_id_of
from oversight.graph.schema import BASES
from oversight.loaders.dataset import BUNDLED, DatasetError
from oversight.loaders.documents.load import load_documents
from oversight.loaders.ftm import normal_name, read_ftm, write_ftm
from oversight.visualise import ftm as exporting
from oversight.visualise.export import whole_graph
from oversight.visualise.ftm import element_id

IMPORTED = {"Person", "PublicBody", "Organization", "Position", "Occupancy", "Membership"}
PROVENANCE = ("proof", "summary")  # what an import replaces: the citations


def oversight(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oversight", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def export(db: Path, path: Path) -> Path:
    """`oversight export --format ftm` in this process (the command runs it in its own)."""
    with EmbeddedStore(db, read_only=True) as store:
        exporting.write_ftm(whole_graph(store), path)
    return path


def load(db: Path, path: Path) -> None:
    """`oversight load --format ftm` in this process."""
    with EmbeddedStore(db) as store:
        write_ftm(store, read_ftm(path, store))


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def check_ftm(lines: list[dict[str, Any]]) -> None:
    """What an FtM consumer demands of every line, strictly: a known schema, a valid id, only
    the schema's own writable properties, every value valid for its type (nothing dropped by
    cleaning), the required properties, and no reference to an entity not in the file."""
    ids = [line["id"] for line in lines]
    assert len(ids) == len(set(ids)), "duplicate ids"
    known = set(ids)
    for line in lines:
        assert set(line) == {"id", "schema", "properties"}, line
        proxy = model.get_proxy(line, cleaned=False)
        schema = proxy.schema
        assert not schema.abstract, line
        assert schema.validate(line) is None
        assert proxy.id == line["id"]
        for name, values in line["properties"].items():
            prop = schema.get(name)
            assert prop is not None and not prop.stub, (line["id"], name)
            assert values and all(isinstance(v, str) for v in values), (line["id"], name)
            assert prop.validate(values) is None, (line["id"], name, values)
            assert len(proxy.get(name)) == len(set(values)), (line["id"], name, values)
            if prop.type.name == "entity":
                assert set(values) <= known, (line["id"], name, values)
        for name in schema.required:
            assert line["properties"].get(name), (line["id"], f"needs {name}")


@pytest.fixture(scope="module")
def exported(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ftm-a") / "oversight.ftm.json"
    proc = oversight(loaded_db, "export", "--format", "ftm", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out}" in proc.stdout
    return out


@pytest.fixture(scope="module")
def lines(exported: Path) -> list[dict[str, Any]]:
    return read_lines(exported)


@pytest.fixture(scope="module")
def in_store(loaded_db: Path):
    with EmbeddedStore(loaded_db, read_only=True) as store:
        return whole_graph(store)


# --- export ------------------------------------------------------------------------------------


def test_every_exported_line_is_accepted_by_followthemoney(lines, in_store) -> None:
    check_ftm(lines)
    # one entity per node and per relationship (a passage's text is in its source)
    assert len(lines) == len(in_store.nodes) + len(in_store.relationships)
    schemata = {line["schema"] for line in lines}
    assert {"Person", "Position", "PublicBody", "Occupancy", "Membership"} <= schemata
    assert {"Documentation", "Event", "Note", "UnknownLink", "Article", "Document"} <= schemata


def test_ftm_validate_reads_the_export_back(exported: Path, tmp_path: Path) -> None:
    """followthemoney's own command re-parses every line and keeps every entity."""
    ftm = Path(sys.executable).with_name("ftm")
    out = tmp_path / "validated.json"
    proc = subprocess.run(
        [str(ftm), "validate", "-i", str(exported), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    back = {e["id"]: e for e in read_lines(out)}
    for line in read_lines(exported):
        assert back[line["id"]]["schema"] == line["schema"]
        assert back[line["id"]]["properties"] == line["properties"]


def test_debbie_jones_dcs_tenures_are_two_occupancies_at_their_precision(lines) -> None:
    holder, post = ftm_id("person/debbie-jones"), ftm_id("post/director-of-childrens-services")
    tenures = [
        line["properties"]
        for line in lines
        if line["schema"] == "Occupancy"
        and line["properties"]["holder"] == [holder]
        and line["properties"]["post"] == [post]
    ]
    dated = sorted(
        (p["startDate"], p.get("endDate"), p["description"][0]) for p in tenures if "startDate" in p
    )
    # 2017 inspection: "took up an interim position in July 2015 before her permanent
    # appointment in March 2016" -- months, so FtM months; no end for the permanent post.
    assert [(start, end) for start, end, _ in dated] == [
        (["2015-07"], ["2016-03"]),
        (["2016-03"], None),
    ]
    assert "capacity: interim" in dated[0][2].splitlines()
    assert "capacity: permanent" in dated[1][2].splitlines()


def test_every_citation_is_kept(lines, in_store) -> None:
    """A node's citations are Documentation entities (source document, entity, quote); a
    relationship's are its entity's `proof` (the sources) and `summary` (each quote)."""
    by_id = {line["id"]: line for line in lines}
    documented: dict[tuple[str, str], list[str]] = {}
    for line in lines:
        if line["schema"] == "Documentation":
            props = line["properties"]
            key = (props["entity"][0], props["document"][0])
            documented.setdefault(key, []).extend(props.get("summary", []))
    checked = 0
    for rel in in_store.relationships.values():
        if rel.type == "CITED_IN":
            found = documented[(ftm_id(rel.start), ftm_id(rel.end))]
            assert rel.properties.get("quote") in found, rel.id
            checked += 1
            continue
        sources = rel.properties.get("cite_sources")
        if not sources:
            continue
        props = by_id[element_id(rel.id)]["properties"]
        assert set(props["proof"]) == {ftm_id(s) for s in sources}, rel.id
        for quote in rel.properties.get("cite_quotes") or []:
            assert any(f"“{quote}”" in s for s in props["summary"]), (rel.id, quote)
        checked += 1
    assert checked == len(in_store.relationships)  # every one of them cited


def test_export_is_the_same_bytes_twice(loaded_db: Path, exported: Path, tmp_path: Path) -> None:
    """Another process (another hash seed), the same bytes: ids and order do not drift."""
    assert export(loaded_db, tmp_path / "again.ftm.json").read_bytes() == exported.read_bytes()


def test_a_query_export_carries_its_citations_and_dangles_nothing(
    loaded_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "chain.ftm.json"
    proc = oversight(
        loaded_db, "export", "--format", "ftm", "--query", "oversight-chain", "--example",
        "-o", str(out),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    found = read_lines(out)
    check_ftm(found)
    schemata = {line["schema"] for line in found}
    assert "Documentation" in schemata  # the nodes' citations, fetched for the export


def test_documents_become_body_text_and_mentions(loaded_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "docs.lbug"
    shutil.copy(loaded_db, db)
    with EmbeddedStore(db) as store:
        load_documents(store, [BUNDLED / "texts"])
    found = read_lines(export(db, tmp_path / "docs.ftm.json"))
    check_ftm(found)
    letter = next(
        line for line in found if line["id"] == ftm_id("source/ofsted-2018-08-monitoring-letter")
    )
    assert "15 and 16 August 2018" in letter["properties"]["bodyText"][0]
    mentions = [line["properties"] for line in found if line["schema"] == "Mention"]
    assert any(m["resolved"] == [ftm_id("person/brenda-mclaughlin")] for m in mentions)


# --- ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "node_id",
    [
        "person/debbie-jones",
        "source/000_e533f1e28503084c.txt",
        "passage/love-wapping-2017.txt/12",
        "body/ends-with-",
        "person/zoë-o'brien",
        "person/ftm-Q42",
    ],
)
def test_ids_are_valid_ftm_and_read_back(node_id: str) -> None:
    from followthemoney.types import registry

    entity_id = ftm_id(node_id)
    assert registry.entity.validate(entity_id), entity_id
    if node_id == "person/ftm-Q42":
        assert entity_id == "Q42"  # a node from another FtM dataset keeps that dataset's id
        assert node_id_of(entity_id) is None
    else:
        assert node_id_of(entity_id) == node_id


def test_names_are_compared_normalised() -> None:
    assert normal_name("Cllr. Rachael  SAUNDERS", person=True) == "rachael saunders"
    assert normal_name("Zoë O’Brien", person=True) == normal_name("zoe o'brien", person=True)
    assert normal_name("Mayor", person=True) == "mayor"  # a title alone stays a name


# --- import ------------------------------------------------------------------------------------


def fixture_entities() -> list[dict[str, Any]]:
    """An FtM file as another newsroom might send it, made with followthemoney itself.

    Two people and a body already in the bundled dataset (under other spellings), and a
    fictional person, post and board (Example) who are in no dataset of ours.
    """

    def make(schema: str, entity_id: str, **props: str | list[str]) -> dict[str, Any]:
        entity = model.make_entity(schema)
        entity.id = entity_id
        for prop, values in props.items():
            entity.add(prop, values)
        return entity.to_dict()

    return [
        make("Person", "nb-debbie", name="Ms Debbie  JONES"),
        make("Person", "nb-saunders", name="Cllr. Rachael Saunders"),
        make("Person", "nb-alex", name="Alex Example", alias="A. Example"),
        make("PublicBody", "nb-ofsted", name="OFSTED"),
        make("Organization", "nb-board", name="Example Board"),
        make("Position", "nb-post", name="Example Post"),
        make("Occupancy", "nb-tenure", holder="nb-alex", post="nb-post", startDate="2020-05"),
        make("Membership", "nb-member", member="nb-alex", organization="nb-board", role="chair"),
        make("Vessel", "nb-boat", name="Example Boat"),
    ]


def write_fixture(path: Path, extra: list[str] = ()) -> Path:
    text = [json.dumps(entity) for entity in fixture_entities()]
    text.append(json.dumps({"id": "nb-x", "schema": "Spaceship", "properties": {}}))
    path.write_text("\n".join([*text, *extra]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def copy_db(loaded_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "copy.lbug"
    shutil.copy(loaded_db, db)
    return db


def rows(db: Path, query: str) -> list[dict[str, Any]]:
    with EmbeddedStore(db, read_only=True) as store:
        return store.read(query).records()


def test_a_followthemoney_file_imports_and_links_people_by_name(
    copy_db: Path, tmp_path: Path
) -> None:
    path = write_fixture(tmp_path / "newsroom.ftm.json")
    before = rows(copy_db, "MATCH (p:Person {id: 'person/debbie-jones'}) RETURN p")[0]["p"]
    known = len(rows(copy_db, "MATCH (p:Person) RETURN p.id AS id"))
    proc = oversight(copy_db, "load", "--format", "ftm", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "linked to existing 1 Body, 2 Person" in proc.stdout
    assert "skipped 2 entities of schemata not imported: 1 Spaceship, 1 Vessel" in proc.stdout
    assert "(not FtM schemata: Spaceship)" in proc.stdout
    people = {
        r["id"]: r["name"]
        for r in rows(copy_db, "MATCH (p:Person) RETURN p.id AS id, p.name AS name")
    }
    assert len(people) == known + 1  # Alex Example; the linked two are the known nodes
    assert people["person/ftm-nb-alex"] == "Alex Example"
    debbies = [i for i, name in people.items() if normal_name(name, person=True) == "debbie jones"]
    assert debbies == ["person/debbie-jones"]
    cites = rows(
        copy_db,
        "MATCH (n)-[c:CITED_IN]->(s:Source {id: 'source/ftm-newsroom'}) "
        "RETURN n.id AS node, c.ref AS ref, s.content_hash AS hash ORDER BY node",
    )
    linked = {r["node"]: r["ref"] for r in cites}
    assert linked["person/debbie-jones"] == "nb-debbie"
    assert linked["person/rachael-saunders"] == "nb-saunders"
    assert linked["body/ofsted"] == "nb-ofsted"
    assert len(cites[0]["hash"]) == 64
    after = rows(copy_db, "MATCH (p:Person {id: 'person/debbie-jones'}) RETURN p")[0]["p"]
    assert {k: v for k, v in after.items() if k != "basis"} == {
        k: v for k, v in before.items() if k != "basis"
    }
    (tenure,) = rows(
        copy_db,
        "MATCH (:Person {id: 'person/ftm-nb-alex'})-[h:HOLDS]->(o:Post) "
        "RETURN o.name AS post, h.start_date AS start, h.start_precision AS precision, "
        "h.cite_refs AS refs, h.basis AS basis",
    )
    assert tenure == {
        "post": "Example Post",
        "start": "2020-05-01",
        "precision": "month",
        "refs": ["nb-tenure"],
        "basis": tenure["basis"],
    }
    assert tenure["basis"] in BASES
    (member,) = rows(
        copy_db,
        "MATCH (:Person {id: 'person/ftm-nb-alex'})-[m:MEMBER_OF]->(b:Body) "
        "RETURN b.name AS body, m.role AS role",
    )
    assert member == {"body": "Example Board", "role": "chair"}
    # the same file again changes nothing
    again = fingerprint(copy_db)
    load(copy_db, path)
    assert fingerprint(copy_db) == again


def test_a_name_that_fits_several_known_people_links_to_none(copy_db: Path, tmp_path: Path) -> None:
    with EmbeddedStore(copy_db) as store:  # a second Debbie Jones, as another dataset has her
        store.write("CREATE (:Person {id: 'person/debbie-jones-2', name: 'Debbie Jones'})")
    path = write_fixture(tmp_path / "newsroom.ftm.json")
    with EmbeddedStore(copy_db) as store:
        imported = read_ftm(path, store)
        assert imported.linked["Person"] == 1  # Rachael Saunders only
        assert len(imported.ambiguous) == 1 and "nb-debbie" in imported.ambiguous[0]
        write_ftm(store, imported)
    assert rows(copy_db, "MATCH (p:Person {id: 'person/ftm-nb-debbie'}) RETURN p.name AS n") == [
        {"n": "Ms Debbie JONES"}
    ]


def test_import_and_export_on_both_stores(store, bundled, tmp_path: Path) -> None:
    """The same file gives the same links on LadybugDB and on a real Neo4j, and what each
    store then exports is valid FtM."""
    from oversight.loaders.dataset import graph_rows

    store.load(*graph_rows(bundled))
    imported = read_ftm(write_fixture(tmp_path / "newsroom.ftm.json"), store)
    assert (imported.linked, imported.created) == (
        {"Person": 2, "Body": 1},
        {"Person": 1, "Body": 1, "Post": 1},
    )
    write_ftm(store, imported)
    (row,) = store.read(
        "MATCH (:Person {id: 'person/ftm-nb-alex'})-[h:HOLDS]->(o:Post) "
        "RETURN o.id AS post, h.start_precision AS precision"
    ).records()
    assert row == {"post": "post/ftm-nb-post", "precision": "month"}
    check_ftm(
        [json.loads(text) for text in exporting.lines(exporting.entities(whole_graph(store)))]
    )


def facts(line: dict[str, Any]) -> dict[str, Any]:
    """An entity without its provenance: citations and the basis they give."""
    props = {}
    for name, values in line["properties"].items():
        if name in PROVENANCE:
            continue
        if name in ("notes", "description"):
            values = [
                "\n".join(x for x in v.splitlines() if not x.startswith("basis: ")) for v in values
            ]
            values = [v for v in values if v]
            if not values:
                continue
        props[name] = values
    return {"id": line["id"], "schema": line["schema"], "properties": props}


def test_export_import_export_is_stable(exported: Path, lines, tmp_path: Path) -> None:
    first = {line["id"]: line for line in lines}
    files = []
    source = exported
    for step in ("b", "c"):  # each into a fresh store, from a file of the same name
        db = tmp_path / f"{step}.lbug"
        load(db, source)
        (tmp_path / step).mkdir()
        source = export(db, tmp_path / step / "oversight.ftm.json")
        files.append(source)
    second, third = (read_lines(path) for path in files)
    check_ftm(second)
    # every imported entity comes back under the same id with the same facts
    imported = {line["id"] for line in lines if line["schema"] in IMPORTED}
    assert {line["id"] for line in second if line["schema"] in IMPORTED} == imported
    for line in second:
        if line["schema"] in IMPORTED:
            assert facts(line) == facts(first[line["id"]]), line["id"]
    # and a second round changes nothing but the import source's own content hash
    source_doc = ftm_id("source/ftm-oversight")
    assert [x for x in third if x["id"] != source_doc] == [
        x for x in second if x["id"] != source_doc
    ]


# --- errors ----------------------------------------------------------------------------------


BAD_LINES = {
    "not-json": (
        '{"id": "nb-y", "schema": "Person", "properties": {"name": ["Y"]',
        "not a JSON object",
    ),
    "bad-value": (
        '{"id": "nb-y", "schema": "Person", "properties": {"name": ["Y"], "birthDate": ["soon"]}}',
        r"nb-y: Person\.birthDate: 'soon' is not a valid date",
    ),
    "dangling": (
        '{"id": "nb-y", "schema": "Occupancy", "properties": {"holder": ["nb-alex"], '
        '"post": ["nowhere"]}}',
        r"nb-y: post nowhere is neither in the file nor in the store",
    ),
    "bad-id": (
        '{"id": "nb y", "schema": "Person", "properties": {"name": ["Y"]}}',
        "not an FtM id",
    ),
    "required": ('{"id": "nb-y", "schema": "Person", "properties": {}}', r"Person needs `name`"),
    "unknown-property": (
        '{"id": "nb-y", "schema": "Person", "properties": {"name": ["Y"], "colour": ["red"]}}',
        r"nb-y: Person has no property 'colour'",
    ),
}


@pytest.mark.parametrize("case", list(BAD_LINES))
def test_a_bad_line_is_one_error_with_its_line_and_the_store_unchanged(
    copy_db: Path, tmp_path: Path, case: str
) -> None:
    """Line 11, after ten good ones: the error names it, and nothing is written. Two cases run
    the command (one line on stderr, exit 1); the rest call the reader it runs."""
    extra, message = BAD_LINES[case]
    path = write_fixture(tmp_path / "bad.ftm.json", [extra])
    before = fingerprint(copy_db)
    if case in ("not-json", "dangling"):
        proc = oversight(copy_db, "load", "--format", "ftm", str(path))
        assert proc.returncode == 1
        assert "Traceback" not in proc.stderr
        (error,) = proc.stderr.strip().splitlines()
        error = error.removeprefix("error: ")
    else:
        with EmbeddedStore(copy_db) as store, pytest.raises(DatasetError) as raised:
            read_ftm(path, store)
        error = str(raised.value)
    assert error.startswith(f"{path}:11: "), error
    assert re.search(message, error), error
    assert fingerprint(copy_db) == before


def test_without_followthemoney_the_format_says_how_to_install(copy_db: Path) -> None:
    """The core install lacks the extra: one line naming it, no traceback."""
    script = (
        "import sys; sys.modules['followthemoney'] = None; "  # as if it were not installed
        "from oversight.cli import main; main()"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, "--db", str(copy_db), "export", "--format", "ftm"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=copy_db.parent,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "error: the ftm format needs the followthemoney library: pip install 'oversight-graph[ftm]'"
    )


def test_every_statement_lints_clean_for_neo4j() -> None:
    from neo4j_lint import lint
    from oversight.loaders import ftm as importing
    from oversight.visualise import ftm as exporting
    from test_queries_lint import project_schema

    statements = [*importing.STATEMENTS, *exporting.STATEMENTS]
    results = lint(statements, project_schema())
    problems = [
        (text, d["message"]) for (text, _), ds in zip(statements, results, strict=True) for d in ds
    ]
    assert problems == []
