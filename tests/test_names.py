"""Ask by name: saved queries' entity parameters take an id, a name or an alias, and nothing
is silent — a name taken for an id is said, an ambiguous or unknown one is an error with the
choices or the closest names, and an empty answer about entities that exist says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from oversight.graph.embedded import EmbeddedStore
from oversight.graph.resolve import ResolveError, normal, resolve
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
