"""`oversight serve` through Starlette's TestClient, on a real LadybugDB file.

The file holds the bundled dataset and its texts (passages), loaded once for the module.
Every route and every error status is asked for; every saved query's `.json` is compared with
what `oversight query run NAME --example --format json` prints in a real process.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote_plus, urlencode

import pytest
from oversight.graph.embedded import EmbeddedStore
from oversight.loaders.dataset import BUNDLED, graph_rows
from oversight.loaders.documents.load import load_documents
from oversight.queries.library import list_queries
from oversight.serve.app import Settings, create_app
from oversight.serve.params import example_fields
from oversight.serve.pool import StorePool
from oversight.serve.security import PAGE_CSP, VIEW_CSP
from starlette.testclient import TestClient

TEXTS = BUNDLED / "texts"
QUERIES = [q.name for q in list_queries()]
PERSON = "person/debbie-jones"
SOURCE = "source/love-wapping-2017"
SLOW = "MATCH (a), (b), (c), (d) WHERE a.name + b.name + c.name + d.name = 'x' RETURN count(*)"


@pytest.fixture(scope="module")
def served_db(tmp_path_factory: pytest.TempPathFactory, bundled) -> Path:
    """The bundled dataset with its texts loaded as passages."""
    path = tmp_path_factory.mktemp("serve") / "oversight.lbug"
    with EmbeddedStore(path) as store:
        store.load(*graph_rows(bundled))
        load_documents(store, [TEXTS])
    return path


def make_client(db: Path, **settings) -> Iterator[TestClient]:
    timeout = settings.pop("timeout", 30.0)
    pool = StorePool.open(EmbeddedStore(db, read_only=True), 2, timeout)
    try:
        app = create_app(Settings(pool=pool, where=str(db), **settings))
        with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
            yield client
    finally:
        pool.close()


@pytest.fixture(scope="module")
def client(served_db: Path) -> Iterator[TestClient]:
    yield from make_client(served_db)


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oversight", "--db", str(db), *args],
        capture_output=True,
        text=True,
    )


def error_line(page: str) -> str:
    found = re.search(r'<p class="error" id="error">(.*?)</p>', page, re.S)
    assert found, page
    return html.unescape(found.group(1))


# --- pages ---------------------------------------------------------------------------------


def test_home_lists_queries_counts_and_sources(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    for name in QUERIES:
        assert f'href="/queries/{name}"' in page.text
    assert "Passage" in page.text and "CITED_IN" in page.text
    assert f'href="/sources/{SOURCE}"' in page.text
    assert 'list="dl-header"' in page.text  # the search box suggests names


def test_every_page_has_the_strict_policy(client: TestClient) -> None:
    for url in ("/", "/queries/person-profile", f"/entity/{PERSON}", "/cypher", "/nowhere"):
        response = client.get(url)
        assert response.headers["content-security-policy"] == PAGE_CSP, url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in PAGE_CSP and "script-src 'self'" in PAGE_CSP


def test_static_assets_come_from_the_package(client: TestClient) -> None:
    assert client.get("/static/app.js").status_code == 200
    assert "text/css" in client.get("/static/app.css").headers["content-type"]
    assert client.get("/static/../app.py").status_code == 404
    # A browser's first visit asks for an icon: no content, not a 404 in its console.
    assert client.get("/favicon.ico").status_code == 204


def test_search_suggests_names_as_the_resolver_reads_them(client: TestClient) -> None:
    found = client.get("/search", params={"q": "debbie"}).json()
    assert found[0] == {"id": PERSON, "label": "Person", "name": "Debbie Jones"}
    assert client.get("/search", params={"q": "Ms Debbie Jones"}).json()[0]["id"] == PERSON
    assert PERSON in [s["id"] for s in client.get("/search", params={"q": "debie jones"}).json()]
    only = client.get("/search", params={"q": "o", "label": "Inspection"}).json()
    assert only and {s["label"] for s in only} == {"Inspection"}
    assert client.get("/search", params={"q": " "}).json() == []
    assert len(client.get("/search", params={"q": "e"}).json()) == 10


def test_query_form_comes_from_the_typed_header(client: TestClient) -> None:
    page = client.get("/queries/judgements-over-time").text
    assert 'type="date"' in page  # since: date
    assert 'value="2017-01-01"' in page  # its example, pre-filled
    page = client.get("/queries/person-profile").text
    assert 'list="dl-person"' in page and 'data-search="Person"' in page
    assert '<datalist id="dl-person">' in page
    assert f'value="{PERSON}"' in page
    assert "<details" in page and "MATCH" in page  # the Cypher, on request
    assert 'id="answer"' not in page  # a first visit shows the form, not an answer
    page = client.get("/queries/changes-between").text
    assert '<select id="p-facts_only" name="facts_only">' in page  # bool: a choice
    assert "<option selected>false</option>" in page


def test_query_page_shows_table_graph_and_downloads(client: TestClient) -> None:
    fields = {"inspection": "inspection/ofsted-2017", "run": "1"}
    page = client.get("/queries/accountability-for-inspection", params=fields)
    assert page.status_code == 200
    text = page.text
    assert 'id="answer"' in text and '<table class="result">' in text
    assert 'href="/queries/accountability-for-inspection.json?inspection=' in text
    assert 'href="/queries/accountability-for-inspection.csv?inspection=' in text
    # Scripts, and a link the reader clicks may open a page of the server; never its origin.
    sandbox = "allow-scripts allow-top-navigation-by-user-activation"
    view = re.search(rf'<iframe[^>]*src="([^"]+)"[^>]*sandbox="{sandbox}"', text)
    assert view and view.group(1).startswith("/queries/accountability-for-inspection.view.html?")
    assert "/entity/person/" in text  # entities in the table link to their pages
    drawn = client.get(view.group(1).replace("&amp;", "&"))
    assert drawn.status_code == 200 and "vis.Network" in drawn.text
    assert drawn.headers["content-security-policy"] == VIEW_CSP
    assert "x-frame-options" not in drawn.headers  # framed by our own page (frame-ancestors)


def test_a_name_is_resolved_as_the_cli_resolves_it(client: TestClient, served_db: Path) -> None:
    by_name = client.get("/queries/person-profile.json", params={"person": "debbie jones"})
    by_id = client.get("/queries/person-profile.json", params={"person": PERSON})
    assert by_name.status_code == 200 and by_name.text == by_id.text
    ran = cli(
        served_db, "query", "run", "person-profile", "-p", "person=debbie jones", "--format", "json"
    )
    assert by_name.text == ran.stdout
    page = client.get("/queries/person-profile", params={"person": "debbie jones", "run": "1"})
    assert f"person: &#39;debbie jones&#39; is {PERSON} (Debbie Jones), name" in page.text


@pytest.mark.parametrize("name", QUERIES)
def test_json_equals_the_cli(client: TestClient, served_db: Path, name: str) -> None:
    saved = {q.name: q for q in list_queries()}[name]
    response = client.get(f"/queries/{name}.json", params=example_fields(saved))
    ran = cli(served_db, "query", "run", name, "--example", "--format", "json")
    assert ran.returncode == 0, ran.stderr
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.text == ran.stdout


@pytest.mark.parametrize("name", ["oversight-chain", "inspection-summary"])
def test_csv_equals_the_cli(client: TestClient, served_db: Path, name: str) -> None:
    saved = {q.name: q for q in list_queries()}[name]
    response = client.get(f"/queries/{name}.csv", params=example_fields(saved))
    ran = cli(served_db, "query", "run", name, "--example", "--format", "csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.replace("\r\n", "\n") == ran.stdout.replace("\r\n", "\n")


def test_entity_page(client: TestClient) -> None:
    page = client.get(f"/entity/{PERSON}")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Debbie Jones" in text
    assert "<h3>HOLDS" in text  # relationships grouped by type
    assert re.search(r'class="quote" href="/sources/[^"]+\?quote=[^"]+#quote"', text)  # claims
    assert "Passages that mention it" in text and "/sources/source/" in text
    assert "/queries/person-profile?person=person%2Fdebbie-jones&amp;run=1" in text


def test_entity_search_box_goes_to_the_one_entity(client: TestClient) -> None:
    found = client.get("/entity", params={"q": "Ms Debbie Jones"}, follow_redirects=False)
    assert found.status_code == 303 and found.headers["location"] == f"/entity/{PERSON}"
    missing = client.get("/entity", params={"q": "Nobody At All"})
    assert missing.status_code == 404
    assert error_line(missing.text).startswith("error: no entity is called 'Nobody At All'")


def test_source_page_marks_every_quote_and_the_chosen_one(client: TestClient) -> None:
    quote_text = "The local authority has not ensured that the multi-agency safeguarding hub"
    whole = client.get(f"/sources/{SOURCE}")
    assert whole.status_code == 200
    assert whole.text.count("<mark") > 20
    entity = client.get(f"/entity/{PERSON}").text
    link = re.search(r'class="quote" href="(/sources/[^"]+)"', entity).group(1)
    chosen = client.get(link.replace("&amp;", "&").split("#")[0])
    assert chosen.status_code == 200
    mark = re.search(r'<mark class="chosen" id="quote">(.*?)</mark>', chosen.text, re.S)
    assert mark  # the whole quote, even where other quotes overlap it
    wanted = html.unescape(re.search(r"quote=([^&#]+)", link).group(1))
    assert " ".join(html.unescape(mark.group(1)).split()) == " ".join(unquote_plus(wanted).split())
    odd = client.get(f"/sources/{SOURCE}", params={"quote": quote_text + " nowhere"})
    assert "is not in the loaded text of this source" in odd.text


def test_cypher_box_reads_through_the_gate(client: TestClient) -> None:
    ok = client.get("/cypher", params={"q": "MATCH (p:Person) RETURN p ORDER BY p.id LIMIT 3"})
    assert ok.status_code == 200 and "3 rows" in ok.text and "/entity/person/" in ok.text
    refused = client.get("/cypher", params={"q": "MATCH (n) DETACH DELETE n"})
    assert refused.status_code == 400
    assert error_line(refused.text).startswith("error: statement refused: DETACH at line 1")
    assert "--write" not in error_line(refused.text)  # a flag the server does not have
    assert "<textarea" in refused.text  # the box stays, with the statement
    assert client.get("/cypher", params={"q": "MATCH (n RETURN n"}).status_code == 400
    unbound = client.get("/cypher", params={"q": "MATCH (n {id: $id}) RETURN n"})
    assert unbound.status_code == 400 and "$id" in unbound.text
    assert client.get("/", params={}).text.count('href="/cypher"') == 1


def test_no_cypher_means_no_box(served_db: Path) -> None:
    for client in make_client(served_db, cypher=False):
        off = client.get("/cypher", params={"q": "MATCH (n) RETURN count(n)"})
        assert off.status_code == 404
        assert 'href="/cypher"' not in client.get("/").text


# --- errors --------------------------------------------------------------------------------


def test_unknown_query_is_404_with_the_cli_message(client: TestClient, served_db: Path) -> None:
    page = client.get("/queries/no-such-query")
    ran = cli(served_db, "query", "run", "no-such-query")
    assert page.status_code == 404
    assert error_line(page.text) == ran.stderr.strip()
    assert client.get("/queries/no-such-query.json").json()["error"].startswith("no saved query")


@pytest.mark.parametrize(
    ("name", "fields", "cli_params"),
    [
        ("oversight-failures", {"min_findings": "many"}, ["-p", "min_findings=many"]),
        ("person-profile", {"person": "Nobody At All"}, ["-p", "person=Nobody At All"]),
        ("person-profile", {}, []),
        (
            "person-profile",
            {"person": PERSON, "colour": "red"},
            ["-p", f"person={PERSON}", "-p", "colour=red"],
        ),
        ("judgements-over-time", {"since": "2017-02-30"}, ["-p", "since=2017-02-30"]),
    ],
)
def test_bad_parameter_is_400_with_the_cli_message(
    client: TestClient, served_db: Path, name: str, fields: dict, cli_params: list[str]
) -> None:
    page = client.get(f"/queries/{name}", params={**fields, "run": "1"})
    ran = cli(served_db, "query", "run", name, *cli_params)
    assert page.status_code == 400
    assert ran.returncode != 0
    assert error_line(page.text) == ran.stderr.strip().split(" (see '")[0]
    as_json = client.get(f"/queries/{name}.json", params=fields)
    assert as_json.status_code == 400 and "error" in as_json.json()
    assert client.get(f"/queries/{name}.csv", params=fields).text.startswith("error: ")


def test_unknown_entity_or_source_is_404(client: TestClient) -> None:
    for url in ("/entity/person/nobody", "/sources/source/nothing", f"/sources/{PERSON}"):
        page = client.get(url)
        assert page.status_code == 404, url
        assert "error: no entity has the id" in page.text
    assert client.get("/no/such/page").status_code == 404


def test_only_loopback_names_are_answered(client: TestClient) -> None:
    """A rebound name (DNS rebinding) reaches 127.0.0.1 with its own Host header: refused."""
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8001"}).status_code == 200


def test_no_state_changing_method_is_routed(client: TestClient) -> None:
    for url in ("/", "/cypher", "/queries/person-profile", f"/entity/{PERSON}"):
        assert client.post(url, data={"q": "MATCH (n) DETACH DELETE n"}).status_code == 405


def test_data_is_text_never_markup(client: TestClient) -> None:
    script = "<script>alert(1)</script>"
    page = client.get("/queries/person-profile", params={"person": script, "run": "1"})
    assert page.status_code == 400
    assert script not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    box = client.get("/cypher", params={"q": f"RETURN '{script}' AS x"})
    assert script not in box.text and "&lt;script&gt;" in box.text


def test_a_long_query_is_stopped_and_the_store_recovers(served_db: Path) -> None:
    for client in make_client(served_db, timeout=0.5):
        for _ in range(2):  # both stores of the pool; not interrupted, they would stay busy
            stopped = client.get("/cypher", params={"q": SLOW})
            assert stopped.status_code == 503
            assert (
                error_line(stopped.text)
                == "error: stopped after 0.5 s: the query took too long; narrow it"
            )
        for _ in range(3):  # the engine abandoned both: the stores are free again
            assert client.get("/cypher", params={"q": "RETURN 1 AS one"}).status_code == 200


def test_results_are_bounded_and_say_so(served_db: Path) -> None:
    for client in make_client(served_db, max_rows=5, max_export_rows=3):
        query = "MATCH (f:Finding) RETURN f.id AS id ORDER BY id"
        page = client.get("/cypher", params={"q": query})
        assert "(the first 5 shown)" in page.text and page.text.count("<tr>") == 6
        saved = client.get("/queries/passages-mentioning", params={"entity": PERSON, "run": "1"})
        assert saved.status_code == 200
        data = client.get("/queries/oversight-failures.json")
        assert len(data.json()) == 3
        assert data.headers["x-oversight-rows"].startswith("first 3 of ")


def test_help_does_not_import_the_server() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "oversight", "--help"],
        capture_output=True,
        text=True,
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines()}
    assert "serve" in proc.stdout
    assert not imported & {"starlette", "uvicorn", "jinja2", "anyio"}


def test_urls_quote_ids(client: TestClient) -> None:
    assert client.get("/entity/" + quote(PERSON, safe="")).status_code in (200, 404)
    assert client.get("/queries/person-profile?" + urlencode({"person": PERSON})).status_code == 200
    assert json.loads(client.get("/search?q=%00").text) == []


# --- Neo4j -----------------------------------------------------------------------------------


def test_the_same_pages_on_neo4j(neo4j_server: dict[str, str], bundled, client: TestClient) -> None:
    """`oversight --neo4j URI serve`: one shared store (its reads are thread-safe), the same
    answers as LadybugDB's for every saved query (as sets where a query fixes no order)."""
    from conftest import neo4j_store

    store = neo4j_store(neo4j_server)  # emptied
    store.load(*graph_rows(bundled))
    load_documents(store, [TEXTS])
    pool = StorePool.open(store, 2, 30.0)
    assert pool.shared
    try:
        app = create_app(Settings(pool=pool, where="neo4j"))
        with TestClient(app, base_url="http://127.0.0.1") as neo:
            for saved in list_queries():
                url = f"/queries/{saved.name}.json"
                here = neo.get(url, params=example_fields(saved))
                there = client.get(url, params=example_fields(saved))
                assert here.status_code == there.status_code == 200, saved.name
                assert _as_set(here.json()) == _as_set(there.json()), saved.name
            assert "<h3>HOLDS" in neo.get(f"/entity/{PERSON}").text
            assert neo.get(f"/sources/{SOURCE}").text.count("<mark") > 20
            assert neo.get("/search", params={"q": "debbie"}).json()[0]["id"] == PERSON
    finally:
        pool.close()


def _as_set(records: list[dict]) -> list[str]:
    """Records compared whatever their order, and whatever their properties' order."""
    return sorted(json.dumps(r, sort_keys=True) for r in records)


def test_the_command_warns_when_it_listens_beyond_loopback(served_db: Path) -> None:
    """`oversight serve --host 0.0.0.0`: a warning on stderr, then it serves any Host name."""
    import urllib.request

    serve = ["serve", "--host", "0.0.0.0", "--port", "0", "--no-cypher"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "oversight", "--db", str(served_db), *serve],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()  # blocks until the server listens (or exits)
        found = re.search(r"serving http://0\.0\.0\.0:(\d+)/ read-only from ", line)
        assert found, line + (proc.stderr.read() if proc.poll() is not None else "")
        port = found.group(1)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": "pc.lan"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    stderr = proc.stderr.read()
    assert stderr.startswith("warning: listening on 0.0.0.0: anyone who can reach")
    assert "Traceback" not in stderr


def test_a_busy_port_is_one_line(served_db: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = str(taken.getsockname()[1])
        ran = cli(served_db, "serve", "--port", port)
    assert ran.returncode == 1
    assert ran.stderr == f"error: cannot listen on 127.0.0.1 port {port}: Address already in use\n"


def _view_parts(page: str) -> tuple[str, object]:
    """A view page as the page around its data, and its data whatever its order (the store
    hands the halo's neighbours in no fixed order), without the minute it was made."""
    found = re.search(r"\n  var data = (.*?);\n  var layout = ", page, re.S)
    assert found, page[:300]
    around = page[: found.start(1)] + page[found.end(1) :]
    data = _canonical(json.loads(found.group(1)))
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "", around), json.dumps(data, sort_keys=True)


def _canonical(value: object) -> object:
    """Maps by key and lists by content: the same data in whatever order the store gave it."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


@pytest.mark.parametrize(
    ("name", "fields"),
    [("person-profile", {"person": PERSON}), ("oversight-chain", {"entity": "service/mash"})],
)
def test_view_page_is_the_cli_html(
    client: TestClient, served_db: Path, tmp_path: Path, name: str, fields: dict[str, str]
) -> None:
    """`/queries/NAME.view.html` is the page `query run NAME --format html` writes (but for
    the minute it was made): a text answer draws what it names, `view:` columns as they are."""
    served = client.get(f"/queries/{name}.view.html", params=fields)
    assert served.status_code == 200 and "vis.Network" in served.text
    out = tmp_path / "view.html"
    params = [x for k, v in fields.items() for x in ("-p", f"{k}={v}")]
    ran = cli(served_db, "query", "run", name, *params, "--format", "html", "-o", str(out))
    assert ran.returncode == 0, ran.stderr
    # The one difference: served, a node's panel links to its entity page.
    links = 'var entityPages = "/entity/";'
    assert links in served.text
    page = served.text.replace(links, 'var entityPages = "";')
    assert _view_parts(page) == _view_parts(out.read_text(encoding="utf-8"))
