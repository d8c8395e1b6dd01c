"""Ask by name: saved queries' entity parameters take an id, a name or an alias, and nothing
is silent — a name taken for an id is said, an ambiguous or unknown one is an error with the
choices or the closest names, and an empty answer about entities that exist says so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.resolve import ResolveError, normal, resolve
from oversight.graph.store import Store
from oversight.queries import run_query

from oversight.cli import cli


def oversight(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def rows(db: Path, *args: str) -> tuple[list[dict], str]:
    outcome = oversight(db, "query", "run", *args, "--format", "json")
    assert outcome.exit_code == 0, outcome.output
    return json.loads(outcome.stdout), outcome.stderr


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("person/debbie-jones", ""),  # an id: nothing to say
        ("Debbie Jones", "person: 'Debbie Jones' is person/debbie-jones (Debbie Jones), name"),
        ("debbie  JONES", "is person/debbie-jones (Debbie Jones), name"),  # case and spaces
        ("Ms Debbie Jones", "person: 'Ms Debbie Jones' is person/debbie-jones (Debbie Jones)"),
        ("Debbie Jnoes", "close to the name"),  # a small misspelling, taken and said
    ],
)
def test_a_person_by_id_name_or_misspelling_gives_the_same_rows(
    loaded_db: Path, given: str, said: str
) -> None:
    expected, _ = rows(loaded_db, "person-profile", "-p", "person=person/debbie-jones")
    found, stderr = rows(loaded_db, "person-profile", "-p", f"person={given}")
    assert found == expected and found
    assert said in stderr if said else stderr == ""


def test_an_alias_resolves(loaded_db: Path) -> None:
    with EmbeddedStore(loaded_db, read_only=True) as store:
        aliased = store.read(
            "MATCH (n:Body) WHERE size(n.aliases) > 0 RETURN n.id AS id, n.aliases AS a"
        ).rows
        body, aliases = aliased[0]
        match = resolve(store, aliases[0])
    assert match.id == body and match.how in ("alias", "name")


def test_an_ambiguous_name_lists_the_choices(loaded_db: Path) -> None:
    outcome = oversight(loaded_db, "query", "run", "evidence", "-p", "entity=Tower Hamlets")
    assert outcome.exit_code == 1
    assert isinstance(outcome.exception, ResolveError)
    message = str(outcome.exception)
    assert message.startswith("query 'evidence': parameter 'entity': 'Tower Hamlets' is part")
    assert "body/tower-hamlets-council" in message and "give one of these ids" in message


def test_an_unknown_name_suggests_the_closest(loaded_db: Path) -> None:
    outcome = oversight(loaded_db, "query", "run", "person-profile", "-p", "person=Debra Jonas")
    assert outcome.exit_code == 1
    assert "did you mean 'Debbie Jones' (person/debbie-jones)" in str(outcome.exception)


def test_the_label_narrows_the_choice(loaded_db: Path) -> None:
    """`entity Inspection`: a finding's name is not an inspection, whatever it says."""
    with EmbeddedStore(loaded_db, read_only=True) as store:
        with pytest.raises(ResolveError, match="no Inspection is called"):
            resolve(store, "finding/2017-insufficient-scrutiny", ["Inspection"])
        assert resolve(store, "finding/2017-insufficient-scrutiny").label == "Finding"


def test_an_empty_answer_about_a_known_entity_says_so(loaded_db: Path) -> None:
    found, stderr = rows(loaded_db, "passages-mentioning", "-p", "entity=Debbie Jones")
    assert found == []  # no documents are loaded in this store
    assert stderr.splitlines() == [
        "entity: 'Debbie Jones' is person/debbie-jones (Debbie Jones), name",
        "no rows: passages-mentioning finds nothing for entity=person/debbie-jones (Debbie Jones)",
    ]


def test_the_python_api_resolves_names_too(loaded: EmbeddedStore) -> None:
    by_name = run_query(loaded, "person-profile", person="Debbie Jones").records()
    by_id = run_query(loaded, "person-profile", person="person/debbie-jones").records()
    assert by_name == by_id and by_id


def test_names_compare_without_titles_possessives_or_case() -> None:
    assert normal("Ofsted\u2019s") == normal("OFSTED") == "ofsted"
    assert normal("Cllr. Rachael  Saunders") == "rachael saunders"


def test_cypher_refuses_an_unbound_parameter(loaded_db: Path) -> None:
    query = "MATCH (n:Person) WHERE n.name = $name RETURN n.id"
    outcome = oversight(loaded_db, "cypher", query)
    assert outcome.exit_code == 2
    assert "unbound parameter $name: give a value with -p name=VALUE" in outcome.output
    bound = oversight(loaded_db, "cypher", query, "-p", "name=Debbie Jones", "--format", "json")
    assert bound.exit_code == 0 and json.loads(bound.stdout) == [{"n.id": "person/debbie-jones"}]


@pytest.mark.parametrize("suffix", ["json", "csv", "html"])
def test_the_output_suffix_chooses_the_format(loaded_db: Path, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"answer.{suffix}"
    outcome = oversight(loaded_db, "query", "run", "person-profile", "--example", "-o", str(target))
    assert outcome.exit_code == 0, outcome.output
    text = target.read_text(encoding="utf-8")
    if suffix == "json":
        assert json.loads(text)[0]
    elif suffix == "csv":
        assert text.splitlines()[0].count(",") >= 1 and not text.startswith("[")
    else:
        assert text.lstrip().lower().startswith("<!doctype html")


def test_the_readme_example_by_name(loaded_db: Path) -> None:
    """README, "Saved queries": the finding by part of its name, and what stderr says."""
    by_id, _ = rows(
        loaded_db, "accountable-for-finding", "-p", "finding=finding/2017-insufficient-scrutiny"
    )
    by_name, stderr = rows(
        loaded_db, "accountable-for-finding", "-p", "finding=unaware of failures"
    )
    assert by_name == by_id and by_id
    assert stderr.splitlines() == [
        "finding: 'unaware of failures' is finding/2017-insufficient-scrutiny "
        "(Chief executive, DCS and politicians unaware of failures), part of the name"
    ]


@pytest.mark.parametrize(
    ("earlier", "later", "said"),
    [
        # 2019 is known to the year only: the whole of 2019 is after 23 January 2017.
        ("inspection/ofsted-2019", "inspection/ofsted-2017", "2019) comes after later ("),
        ("inspection/ofsted-2019", "Fourth monitoring visit", "2018-08-15"),
    ],
)
def test_inspections_in_an_impossible_order_are_refused(
    loaded_db: Path, earlier: str, later: str, said: str
) -> None:
    """Swapped, "what changed between" would call every improvement a worsening."""
    given = ["-p", f"earlier={earlier}", "-p", f"later={later}"]
    outcome = oversight(loaded_db, "query", "run", "changes-between", *given)
    assert outcome.exit_code == 1 and outcome.stdout == ""
    assert getattr(outcome.exception, "exit_code", None) == 2  # main() exits 2: usage
    assert said in str(outcome.exception) and "swap them" in str(outcome.exception)


def test_an_impossible_order_is_one_line_and_exit_2(loaded_db: Path) -> None:
    swapped = ["-p", "earlier=inspection/ofsted-2019", "-p", "later=inspection/ofsted-2017"]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "oversight",
            "--db",
            str(loaded_db),
            "query",
            "run",
            "changes-between",
            *swapped,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "error: query 'changes-between': earlier (inspection/ofsted-2019, 2019) comes after "
        "later (inspection/ofsted-2017, 2017-01-23); earlier must be the earlier one: swap them"
    ]


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("inspection/ofsted-2012", "inspection/ofsted-2017"),
        ("inspection/monitoring-visit-4-2018-08", "inspection/ofsted-2019"),  # day vs year
        ("inspection/monitoring-visit-6", "inspection/ofsted-2012"),  # undated: cannot know
    ],
)
def test_inspections_in_order_or_undated_run(loaded_db: Path, earlier: str, later: str) -> None:
    rows(loaded_db, "changes-between", "-p", f"earlier={earlier}", "-p", f"later={later}")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("// order: a after b", "expected `EARLIER before LATER`"),
        ("// order: a before c", "order: no param 'c'"),
        ("// order: a before n", "param 'n' is int, not a date or entity"),
    ],
)
def test_a_bad_order_line_names_the_file_and_line(
    tmp_path: Path, loaded_db: Path, line: str, message: str
) -> None:
    query = tmp_path / "ordered.cypher"
    query.write_text(
        "// name: ordered\n// title: t\n"
        '// param a: date, example "2017-01-01"\n// param b: date, example "2018-01-01"\n'
        "// param n: int, example 1\n"
        f"{line}\nRETURN $a AS a, $b AS b, $n AS n\n",
        encoding="utf-8",
    )
    outcome = CliRunner().invoke(
        cli,
        [
            "--db",
            str(loaded_db),
            "--queries-dir",
            str(tmp_path),
            "query",
            "run",
            "ordered",
            "--example",
        ],
    )
    assert outcome.exit_code == 1
    assert str(outcome.exception).startswith(f"{query}:6: ")
    assert message in str(outcome.exception)


def test_dates_in_an_impossible_order_are_refused(tmp_path: Path, loaded_db: Path) -> None:
    query = tmp_path / "between.cypher"
    query.write_text(
        "// name: between\n// title: t\n"
        '// param a: date, example "2017-01-01"\n// param b: date, example "2018-01-01"\n'
        "// order: a before b\nRETURN $a AS a, $b AS b\n",
        encoding="utf-8",
    )
    base = ["--db", str(loaded_db), "--queries-dir", str(tmp_path), "query", "run", "between"]
    swapped = CliRunner().invoke(cli, [*base, "-p", "a=2018-01-02", "-p", "b=2018-01-01"])
    assert "a (2018-01-02) comes after b (2018-01-01)" in str(swapped.exception)
    same_day = CliRunner().invoke(cli, [*base, "-p", "a=2018-01-01", "-p", "b=2018-01-01"])
    assert same_day.exit_code == 0, same_day.output


def test_a_person_is_listed_once_per_post_when_an_undated_tenure_repeats_a_dated_one(
    loaded_db: Path,
) -> None:
    """Debbie Jones's tenure as DCS is recorded with dates (2017 letter) and without (2019
    news): the undated record is the same tenure, and listing it doubled every row."""
    found, _ = rows(loaded_db, "accountable-for-finding", "--example")
    debbie = [(r["concerned"], r["post"]) for r in found if r["person"] == "Debbie Jones"]
    assert debbie and len(debbie) == len(set(debbie))
    assert all(r["since"] for r in found if r["person"] == "Debbie Jones")
    # Will Tuckley's tenure has no dates at all: still listed, as such.
    assert any(
        r["person"] == "Will Tuckley" and r["tenure"] == "tenure dates not recorded" for r in found
    )


def test_an_id_is_found_in_its_prefix_s_table_or_any_other(store: Store) -> None:
    """The id look-up tries the table the prefix names first (where the loader puts it),
    then every table of the labels asked for: an id stored under another label is found."""
    store.write(
        "CREATE (:Person {id: 'person/p', name: 'P'}), (:Body {id: 'person/odd', name: 'Odd'})"
    )
    assert (resolve(store, "person/p").label, resolve(store, "person/p").how) == ("Person", "id")
    assert (resolve(store, "person/odd").label, resolve(store, "person/odd").how) == ("Body", "id")
    assert resolve(store, "person/odd", ["Body", "Service"]).label == "Body"
    with pytest.raises(ResolveError):
        resolve(store, "person/p", ["Body"])
