"""Lists that saved queries collect come back in the order they document, on both stores.

LadybugDB's `collect(DISTINCT ...)` does not keep the order of its input: past a hundred or
so groups, a group's list comes back in an order of the plan's choosing, even right after an
ORDER BY (on synthetic data accountability-gaps listed July 2014, August 2015, April 2015).
The saved queries sort, then collect plainly. The graph here has enough groups for
LadybugDB to show it: 150 services, each criticised by findings of six inspections created
in neither date nor name order, each part of a body four posts answer for, each cited in
four sources and measured by a figure that findings of the six inspections and three
statements report.
"""

from __future__ import annotations

import datetime as dt

from oversight.graph.store import Store
from oversight.queries import get_query
from oversight.queries.runner import run

SERVICES = 150
# (name, date): created in this order, which is neither by date nor by name.
INSPECTIONS = [
    ("Inspection E", dt.date(2015, 4, 1)),
    ("Inspection B", dt.date(2014, 7, 1)),
    ("Inspection F", dt.date(2015, 8, 1)),
    ("Inspection A", dt.date(2019, 1, 1)),
    ("Inspection D", dt.date(2016, 2, 1)),
    ("Inspection C", dt.date(2017, 9, 1)),
]
BY_DATE = [name for name, _ in sorted(INSPECTIONS, key=lambda pair: pair[1])]
POSTS = ["Post D", "Post A", "Post C", "Post B"]
SOURCES = ["source/d", "source/a", "source/c", "source/b"]
STATEMENTS = [
    ("Statement Z", dt.date(2016, 1, 1)),
    ("Statement X", dt.date(2018, 1, 1)),
    ("Statement Y", dt.date(2015, 1, 1)),
]
# Matches 'supervision', 'grip', 'scrutin' and 'oversight', in the reverse of their order
# among oversight-failures' default terms.
FINDING = "Supervision lacked grip; scrutiny and oversight were weak"


def _write(store: Store) -> None:
    services = [f"service/s{k:03d}" for k in range(SERVICES)]
    store.write(
        "UNWIND $rows AS r CREATE (:Service {id: r.id, name: r.name, basis: 'opinion'})",
        {"rows": [{"id": s, "name": s.upper()} for s in services]},
    )
    store.write(
        "UNWIND $rows AS r CREATE (:Body {id: r.id, name: r.name})",
        {"rows": [{"id": f"body/b{k:03d}", "name": f"B{k:03d}"} for k in range(SERVICES)]},
    )
    store.write(
        "UNWIND $rows AS r CREATE (:Post {id: r.id, name: r.name})",
        {"rows": [{"id": f"post/{n[-1].lower()}", "name": n} for n in POSTS]},
    )
    store.write(
        "UNWIND $rows AS r CREATE (:Source {id: r, name: r})",
        {"rows": SOURCES},
    )
    store.write(
        "UNWIND $rows AS r CREATE (:Inspection {id: r.id, name: r.name, start_date: r.held})",
        {
            "rows": [
                {"id": f"inspection/{n[-1].lower()}", "name": n, "held": held}
                for n, held in INSPECTIONS
            ]
        },
    )
    store.write(
        "UNWIND $rows AS r CREATE (:Statement {id: r.id, name: r.name, statement_date: r.said})",
        {
            "rows": [
                {"id": f"statement/{n[-1].lower()}", "name": n, "said": said}
                for n, said in STATEMENTS
            ]
        },
    )
    store.write(
        "UNWIND $rows AS r CREATE (:Measure {id: r, indicator: 'Children seen', value: 1.0})",
        {"rows": [f"measure/m{k:03d}" for k in range(SERVICES)]},
    )
    store.write(
        "UNWIND $rows AS r MATCH (s:Service {id: r.s}), (b:Body {id: r.b}), (m:Measure {id: r.m})"
        " CREATE (s)-[:PART_OF {id: r.s + '|PART_OF|' + r.b}]->(b),"
        " (m)-[:MEASURE_OF {id: r.m + '|MEASURE_OF|' + r.s}]->(s)",
        {
            "rows": [
                {"s": s, "b": f"body/b{k:03d}", "m": f"measure/m{k:03d}"}
                for k, s in enumerate(services)
            ]
        },
    )
    store.write(
        "UNWIND $rows AS r MATCH (o:Post {id: r.o}), (b:Body {id: r.b})"
        " CREATE (o)-[:ACCOUNTABLE_FOR {id: r.o + '|ACCOUNTABLE_FOR|' + r.b}]->(b)",
        {
            "rows": [
                {"o": f"post/{n[-1].lower()}", "b": f"body/b{k:03d}"}
                for k in range(SERVICES)
                for n in POSTS
            ]
        },
    )
    store.write(
        "UNWIND $rows AS r MATCH (s:Service {id: r.s}), (c:Source {id: r.c})"
        " CREATE (s)-[:CITED_IN {id: r.s + '|CITED_IN|' + r.c + '|1'}]->(c)",
        {"rows": [{"s": s, "c": c} for s in services for c in SOURCES]},
    )
    store.write(
        "UNWIND $rows AS r MATCH (t:Statement {id: r.t}), (m:Measure {id: r.m})"
        " CREATE (t)-[:REPORTS {id: r.t + '|REPORTS|' + r.m}]->(m)",
        {
            "rows": [
                {"t": f"statement/{n[-1].lower()}", "m": f"measure/m{k:03d}"}
                for k in range(SERVICES)
                for n, _ in STATEMENTS
            ]
        },
    )
    store.write(
        "UNWIND $rows AS r MATCH (i:Inspection {id: r.i}), (s:Service {id: r.s}),"
        " (m:Measure {id: r.m})"
        " CREATE (i)-[:FOUND {id: r.i + '|FOUND|' + r.f}]->"
        "(f:Finding {id: r.f, name: $finding, kind: 'weakness'}),"
        " (f)-[:CONCERNS {id: r.f + '|CONCERNS|' + r.s, stance: 'criticised'}]->(s),"
        " (f)-[:REPORTS {id: r.f + '|REPORTS|' + r.m}]->(m)",
        {
            "finding": FINDING,
            "rows": [
                {
                    "i": f"inspection/{n[-1].lower()}",
                    "s": s,
                    "m": f"measure/m{k:03d}",
                    "f": f"finding/{n[-1].lower()}{k:03d}",
                }
                for k, s in enumerate(services)
                for n, _ in INSPECTIONS
            ],
        },
    )


def _rows(store: Store, name: str, **values: object) -> list[dict]:
    return run(store, get_query(name), values).records()


def test_collected_lists_keep_their_documented_order(store: Store) -> None:
    _write(store)

    # accountability-gaps: inspections oldest first, the posts above by name.
    gaps = _rows(store, "accountability-gaps", min_findings=1)
    assert len(gaps) == SERVICES
    assert {tuple(r["inspections"]) for r in gaps} == {tuple(BY_DATE)}
    assert {tuple(r["accountable_above"]) for r in gaps} == {tuple(sorted(POSTS))}

    # oversight-failures: the terms matched in the order the parameter lists them.
    default = get_query("oversight-failures").param("terms").default
    in_order = [t for t in default if t in FINDING.lower()]
    assert in_order == ["oversight", "scrutin", "grip", "supervision"]
    failures = _rows(store, "oversight-failures")
    assert len(failures) == SERVICES * len(INSPECTIONS)
    assert {tuple(r["matched_terms"]) for r in failures} == {tuple(in_order)}
    mine = ["grip", "oversight", "supervision", "grip", "scrutin"]  # one twice: listed once
    failures = _rows(store, "oversight-failures", terms=mine)
    assert {tuple(r["matched_terms"]) for r in failures} == {
        ("grip", "oversight", "supervision", "scrutin")
    }

    # secondary-claims: each claim's sources by id.
    claims = _rows(store, "secondary-claims", bases=["opinion"])
    nodes = [r for r in claims if r["element"] == "node"]
    assert len(nodes) == SERVICES
    assert {tuple(r["sources"]) for r in nodes} == {tuple(sorted(SOURCES))}

    # measure-over-time: reported in inspections oldest first, and statements oldest first.
    measures = _rows(store, "measure-over-time", indicator="children seen")
    assert len(measures) == SERVICES
    assert {tuple(r["reported_in"]) for r in measures} == {tuple(BY_DATE)}
    by_date = [name for name, _ in sorted(STATEMENTS, key=lambda pair: pair[1])]
    assert {tuple(r["stated_in"]) for r in measures} == {tuple(by_date)}


def test_one_entity_s_lists_by_name(store: Store) -> None:
    """inspection-summary's `conducted_by` and oversight-chain's `people`: by name."""
    store.write(
        "CREATE (i:Inspection {id: 'inspection/i', name: 'I', start_date: date('2017-01-01')}),"
        " (s:Service {id: 'service/s', name: 'S'}), (b:Body {id: 'body/b', name: 'B'}),"
        " (z:Body {id: 'body/z', name: 'Zeta'}), (a:Body {id: 'body/a', name: 'Alpha'}),"
        " (m:Body {id: 'body/m', name: 'Mu'}),"
        " (i)-[:CONDUCTED_BY {id: 'i|CONDUCTED_BY|z'}]->(z),"
        " (i)-[:CONDUCTED_BY {id: 'i|CONDUCTED_BY|a'}]->(a),"
        " (i)-[:CONDUCTED_BY {id: 'i|CONDUCTED_BY|m'}]->(m),"
        " (s)-[:PART_OF {id: 's|PART_OF|b'}]->(b),"
        " (q:Person {id: 'person/q', name: 'Quinn'}), (c:Person {id: 'person/c', name: 'Cole'}),"
        " (x:Person {id: 'person/x', name: 'Xu'}), (d:Person {id: 'person/d', name: 'Dunn'}),"
        " (q)-[:MEMBER_OF {id: 'q|MEMBER_OF|b'}]->(b), (c)-[:CHAIRS {id: 'c|CHAIRS|b'}]->(b),"
        " (c)-[:MEMBER_OF {id: 'c|MEMBER_OF|b'}]->(b), (x)-[:MEMBER_OF {id: 'x|MEMBER_OF|b'}]->(b),"
        " (d)-[:MEMBER_OF {id: 'd|MEMBER_OF|b'}]->(b)"
    )
    summary = _rows(store, "inspection-summary", inspection="inspection/i")
    assert summary[0]["conducted_by"] == ["Alpha", "Mu", "Zeta"]
    chain = _rows(store, "oversight-chain", entity="service/s")
    assert [(r["relation"], r["above"], r["people"]) for r in chain] == [
        ("is part of", "B", ["Cole", "Dunn", "Quinn", "Xu"]),
        ("is chaired by", "Cole", []),
    ]
