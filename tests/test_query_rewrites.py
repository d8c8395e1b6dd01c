"""Saved queries rewritten for speed (issue #20) answer as the texts they replaced.

The bundled data holds no follow-up of a recommendation, so the walk back along FOLLOWS_UP
links in `recommendations-followed-up` is pinned here on a small graph, on both stores.
"""

from __future__ import annotations

import dataclasses
import json

from oversight.graph.embedded import EmbeddedStore
from oversight.graph.store import Store
from oversight.queries import get_query
from oversight.queries.runner import run
from test_queries import GOLDEN, golden_form

# Recommendation r (inspection i0) followed up by a (i1), a by b (i2), b by c (i3) and c by
# d (i4): d is four links back, past the three the query follows. e (i1) also follows r up;
# recommendation q revisits z.
FOLLOW_UPS = """
CREATE (i0:Inspection {id: 'inspection/i0', name: 'I0', start_date: date('2014-01-01')}),
       (i1:Inspection {id: 'inspection/i1', name: 'I1', start_date: date('2015-01-01')}),
       (i2:Inspection {id: 'inspection/i2', name: 'I2', start_date: date('2016-01-01')}),
       (i3:Inspection {id: 'inspection/i3', name: 'I3', start_date: date('2017-01-01')}),
       (i4:Inspection {id: 'inspection/i4', name: 'I4', start_date: date('2018-01-01')}),
       (r:Finding {id: 'finding/r', name: 'R', kind: 'recommendation'}),
       (q:Finding {id: 'finding/q', name: 'Q', kind: 'recommendation'}),
       (a:Finding {id: 'finding/a', name: 'A', kind: 'weakness'}),
       (b:Finding {id: 'finding/b', name: 'B', kind: 'weakness', inferred: 'a test'}),
       (c:Finding {id: 'finding/c', name: 'C', kind: 'weakness'}),
       (d:Finding {id: 'finding/d', name: 'D', kind: 'weakness'}),
       (e:Finding {id: 'finding/e', name: 'E', kind: 'weakness'}),
       (z:Finding {id: 'finding/z', name: 'Z', kind: 'weakness'}),
       (i0)-[:FOUND {id: 'i0|FOUND|r'}]->(r),
       (i0)-[:FOUND {id: 'i0|FOUND|q'}]->(q),
       (i1)-[:FOUND {id: 'i1|FOUND|a'}]->(a),
       (i2)-[:FOUND {id: 'i2|FOUND|b'}]->(b),
       (i3)-[:FOUND {id: 'i3|FOUND|c'}]->(c),
       (i4)-[:FOUND {id: 'i4|FOUND|d'}]->(d),
       (i1)-[:FOUND {id: 'i1|FOUND|e', inferred: 'a test'}]->(e),
       (a)-[:FOLLOWS_UP {id: 'a|FOLLOWS_UP|r', status: 'persists'}]->(r),
       (b)-[:FOLLOWS_UP {id: 'b|FOLLOWS_UP|a', status: 'improved'}]->(a),
       (c)-[:FOLLOWS_UP {id: 'c|FOLLOWS_UP|b', status: 'resolved'}]->(b),
       (d)-[:FOLLOWS_UP {id: 'd|FOLLOWS_UP|c', status: 'worsened'}]->(c),
       (e)-[:FOLLOWS_UP {id: 'e|FOLLOWS_UP|r', status: 'persists'}]->(r),
       (q)-[:FOLLOWS_UP {id: 'q|FOLLOWS_UP|z', status: 'persists'}]->(z)
"""


def _ups(store: Store, **values: object) -> list[tuple]:
    result = run(store, get_query("recommendations-followed-up"), values)
    return [
        (r["recommendation_id"], r["revisits"], r["followed_up_in"], r["follow_up"], r["status"])
        for r in result.records()
    ]


def test_follow_ups_up_to_three_links_back_and_facts_only(store: Store) -> None:
    store.write(FOLLOW_UPS)
    assert _ups(store) == [
        ("finding/q", ["Z"], None, None, None),
        ("finding/r", [], "I1", "A", "persists"),
        ("finding/r", [], "I1", "E", "persists"),
        ("finding/r", [], "I2", "B", "improved"),
        ("finding/r", [], "I3", "C", "resolved"),
    ]
    # b is inferred: b and c (whose chain passes b) go; e's FOUND link is inferred: e goes.
    assert _ups(store, facts_only=True) == [
        ("finding/q", ["Z"], None, None, None),
        ("finding/r", [], "I1", "A", "persists"),
    ]
    assert _ups(store, inspection="inspection/i1") == []


def test_recommendations_of_every_inspection_as_before(loaded: EmbeddedStore) -> None:
    """The example names one inspection; without it, every recommendation (the answer the
    example gave before it named one)."""
    every = json.loads((GOLDEN / "recommendations-followed-up-all.json").read_text("utf-8"))
    records = run(loaded, get_query("recommendations-followed-up"), {}).records()
    assert records == every


# a and b are members of x and of y (two equally short connections), both cited in s (a
# citation, not a connection), and c is five steps from a, past the four the query walks.
CONNECTIONS = """
CREATE (a:Person {id: 'person/a', name: 'A'}), (b:Person {id: 'person/b', name: 'B'}),
       (x:Body {id: 'body/x', name: 'X'}), (y:Body {id: 'body/y', name: 'Y'}),
       (s:Source {id: 'source/s', name: 'S'}),
       (p:Post {id: 'post/p', name: 'P'}), (q:Post {id: 'post/q', name: 'Q'}),
       (r:Post {id: 'post/r', name: 'R'}), (c:Person {id: 'person/c', name: 'C'}),
       (a)-[:MEMBER_OF {id: 'a|MEMBER_OF|x'}]->(x), (b)-[:MEMBER_OF {id: 'b|MEMBER_OF|x'}]->(x),
       (a)-[:MEMBER_OF {id: 'a|MEMBER_OF|y'}]->(y), (b)-[:MEMBER_OF {id: 'b|MEMBER_OF|y'}]->(y),
       (a)-[:CITED_IN {id: 'a|CITED_IN|s'}]->(s), (b)-[:CITED_IN {id: 'b|CITED_IN|s'}]->(s),
       (b)-[:HOLDS {id: 'b|HOLDS|p'}]->(p), (p)-[:REPORTS_TO {id: 'p|REPORTS_TO|q'}]->(q),
       (q)-[:REPORTS_TO {id: 'q|REPORTS_TO|r'}]->(r), (c)-[:HOLDS {id: 'c|HOLDS|r'}]->(r)
"""


def _connections(store: Store, portable: bool = False, **values: object) -> list[tuple]:
    saved = get_query("shortest-connection")
    if portable:
        saved = dataclasses.replace(saved, variants={})
    result = run(store, saved, values)
    return sorted(
        (r["hops"], r["route"], r["steps"], golden_form(r["connection"])) for r in result.records()
    )


def test_shortest_connection_engine_text_answers_as_the_portable_one(store: Store) -> None:
    """Each engine's own text (allShortestPaths, ALL SHORTEST) gives the portable text's rows:
    every shortest connection, none through a citation, none past four steps."""
    store.write(CONNECTIONS)
    both = _connections(store, from_id="person/a", to_id="person/b")
    assert both == [
        (2, ["A", "X", "B"], ["a|MEMBER_OF|x", "b|MEMBER_OF|x"],
         {"path": ["person/a", "body/x", "person/b"], "steps": ["a|MEMBER_OF|x", "b|MEMBER_OF|x"]}),
        (2, ["A", "Y", "B"], ["a|MEMBER_OF|y", "b|MEMBER_OF|y"],
         {"path": ["person/a", "body/y", "person/b"], "steps": ["a|MEMBER_OF|y", "b|MEMBER_OF|y"]}),
    ]  # fmt: skip
    assert both == _connections(store, portable=True, from_id="person/a", to_id="person/b")
    assert len(_connections(store, from_id="person/a", to_id="person/b", limit=1)) == 1
    four = _connections(store, from_id="person/b", to_id="person/c")
    assert [(hops, route) for hops, route, _, _ in four] == [(4, ["B", "P", "Q", "R", "C"])]
    assert four == _connections(store, portable=True, from_id="person/b", to_id="person/c")
    assert _connections(store, from_id="person/a", to_id="person/c") == []
    assert _connections(store, portable=True, from_id="person/a", to_id="person/c") == []
    # LadybugDB's text starts from the label of the entity asked about (a label slot): from
    # a body, a post and a person, as the portable text answers.
    for start, end in [("body/x", "post/r"), ("post/p", "person/a"), ("post/q", "person/c")]:
        mine = _connections(store, from_id=start, to_id=end)
        assert mine, (start, end)
        assert mine == _connections(store, portable=True, from_id=start, to_id=end)


# Two authorities: council c1's children's services s1 (with team t1 in them) and council
# c2's s2, each inspected once; each inspection criticises oversight of something of its own.
AUTHORITIES = """
CREATE (c1:Body {id: 'body/c1', name: 'C1'}), (c2:Body {id: 'body/c2', name: 'C2'}),
       (s1:Service {id: 'service/s1', name: 'S1'}), (s2:Service {id: 'service/s2', name: 'S2'}),
       (t1:Service {id: 'service/t1', name: 'T1'}),
       (i1:Inspection {id: 'inspection/i1', name: 'I1', start_date: date('2017-01-01')}),
       (i2:Inspection {id: 'inspection/i2', name: 'I2', start_date: date('2018-01-01')}),
       (f1:Finding {id: 'finding/f1', name: 'Weak oversight of T1', kind: 'weakness'}),
       (f2:Finding {id: 'finding/f2', name: 'Weak oversight of S2', kind: 'weakness'}),
       (s1)-[:PART_OF {id: 's1|PART_OF|c1'}]->(c1), (t1)-[:PART_OF {id: 't1|PART_OF|s1'}]->(s1),
       (s2)-[:PART_OF {id: 's2|PART_OF|c2'}]->(c2),
       (i1)-[:INSPECTED {id: 'i1|INSPECTED|s1'}]->(s1),
       (i2)-[:INSPECTED {id: 'i2|INSPECTED|s2'}]->(s2),
       (i1)-[:FOUND {id: 'i1|FOUND|f1'}]->(f1), (i2)-[:FOUND {id: 'i2|FOUND|f2'}]->(f2),
       (f1)-[:CONCERNS {id: 'f1|CONCERNS|t1', stance: 'criticised'}]->(t1),
       (f2)-[:CONCERNS {id: 'f2|CONCERNS|s2', stance: 'criticised'}]->(s2)
"""


def test_failures_and_gaps_bounded_to_what_an_inspection_inspected(store: Store) -> None:
    """`inspected` keeps the findings of inspections of that service or body, or of what is
    part of it; null (the default) keeps every inspection, as before the parameter."""
    store.write(AUTHORITIES)

    def failures(**values: object) -> list[str]:
        rows = run(store, get_query("oversight-failures"), values).records()
        return [r["finding_id"] for r in rows]

    def gaps(**values: object) -> list[str]:
        rows = run(store, get_query("accountability-gaps"), values).records()
        return [r["entity_id"] for r in rows]

    assert failures() == failures(inspected=None) == ["finding/f1", "finding/f2"]
    assert failures(inspected="body/c1") == failures(inspected="service/s1") == ["finding/f1"]
    assert failures(inspected="C2") == ["finding/f2"]  # a name, resolved to body/c2
    assert failures(inspected="service/t1") == []  # criticised, but not what was inspected
    assert gaps() == gaps(inspected=None) == ["service/s2", "service/t1"]
    assert gaps(inspected="body/c1") == ["service/t1"]
    assert gaps(inspected="service/s2") == ["service/s2"]
    assert gaps(inspected="service/t1") == []


def _portable(store: Store, name: str, **values: object) -> list[dict]:
    saved = dataclasses.replace(get_query(name), variants={})
    return run(store, saved, values).records()


def test_gaps_engine_text_answers_as_the_portable_one(store: Store) -> None:
    """Neo4j's accountability-gaps starts from the inspections asked about; the rows are the
    portable text's, bounded or not."""
    store.write(AUTHORITIES)
    for inspected in (None, "body/c1", "service/s2", "service/t1"):
        mine = run(store, get_query("accountability-gaps"), {"inspected": inspected}).records()
        assert mine == _portable(store, "accountability-gaps", inspected=inspected)


# Claims of every basis: nodes through their citations, relationships through cite_sources;
# one relationship cites nothing, one node is cited twice by the same source.
CLAIMS = """
CREATE (p:Person {id: 'person/p', name: 'P', basis: 'opinion'}),
       (q:Person {id: 'person/q', name: 'Q', basis: 'primary'}),
       (b:Body {id: 'body/b', basis: 'statement'}),
       (s1:Source {id: 'source/s1', name: 'S1', basis: 'primary'}),
       (s2:Source {id: 'source/s2', name: 'S2', basis: 'primary'}),
       (p)-[:CITED_IN {id: 'person/p|CITED_IN|source/s2|1'}]->(s2),
       (p)-[:CITED_IN {id: 'person/p|CITED_IN|source/s1|1'}]->(s1),
       (p)-[:CITED_IN {id: 'person/p|CITED_IN|source/s1|2'}]->(s1),
       (b)-[:CITED_IN {id: 'body/b|CITED_IN|source/s1|1'}]->(s1),
       (q)-[:CITED_IN {id: 'person/q|CITED_IN|source/s1|1'}]->(s1),
       (p)-[:MEMBER_OF {id: 'person/p|MEMBER_OF|body/b', basis: 'reported',
                        cite_sources: ['source/s2', 'source/s1']}]->(b),
       (q)-[:MEMBER_OF {id: 'person/q|MEMBER_OF|body/b', basis: 'opinion',
                        cite_sources: ['source/s1']}]->(b),
       (q)-[:WROTE {id: 'person/q|WROTE|source/s2', basis: 'opinion'}]->(s2),
       (b)-[:PUBLISHED {id: 'body/b|PUBLISHED|source/s1', basis: 'primary',
                        cite_sources: ['source/s1']}]->(s1)
"""


def test_secondary_claims_engine_text_answers_as_the_portable_one(store: Store) -> None:
    """Neo4j's secondary-claims filters nodes and relationships on their basis apart; the
    rows are the portable text's for every choice of bases."""
    store.write(CLAIMS)
    for bases in (["opinion"], ["reported", "statement", "opinion"], ["primary"]):
        mine = run(store, get_query("secondary-claims"), {"bases": bases}).records()
        assert mine == _portable(store, "secondary-claims", bases=bases), bases
    every = run(store, get_query("secondary-claims"), {}).records()
    assert [(r["basis"], r["element"], r["claim_id"], r["sources"]) for r in every] == [
        ("opinion", "node", "person/p", ["source/s1", "source/s2"]),
        ("opinion", "relationship", "person/q|MEMBER_OF|body/b", ["source/s1"]),
        ("statement", "node", "body/b", ["source/s1"]),
        ("reported", "relationship", "person/p|MEMBER_OF|body/b", ["source/s1", "source/s2"]),
    ]


def test_the_ladybug_secondary_claims_names_every_relationship_type_with_a_basis() -> None:
    """Its typed pattern lists the types that carry `basis`: a type the schema gains must be
    listed too, or its claims would silently go missing on the embedded store."""
    import re
    from pathlib import Path

    import oversight.queries
    from oversight.graph.schema import schema

    model = schema()
    text = (
        Path(oversight.queries.__file__).parent / "ladybug" / "secondary-claims.cypher"
    ).read_text()
    pattern = re.search(r"\[r:([A-Z_|]+)\]", text)
    assert pattern is not None
    with_basis = {
        rt.name
        for rt in model.reltypes
        if "basis" in {p.stored for p in model.rel_properties(rt)} and rt.name != "CITED_IN"
    }
    assert set(pattern.group(1).split("|")) == with_basis


def test_oversight_chain_labels_the_ends_its_steps_reach() -> None:
    """The part-of and oversight steps label their upper end for LadybugDB's sake: the labels
    must be all that those relationship types can reach, or steps would silently go missing."""
    import re
    from pathlib import Path

    import oversight.queries
    from oversight.graph.schema import schema

    model = schema()
    text = (Path(oversight.queries.__file__).parent / "oversight-chain.cypher").read_text()
    part_of = re.search(r"-\[r:PART_OF\]->\(a:([A-Za-z|]+)\)", text)
    assert part_of is not None
    assert set(part_of.group(1).split("|")) == set(model.reltype("PART_OF").targets)
    oversight = re.search(r"<-\[r:([A-Z_|]+)\]-\(a:([A-Za-z|]+)\)", text)
    assert oversight is not None
    types = oversight.group(1).split("|")
    assert set(types) == {"OVERSEES", "ACCOUNTABLE_FOR", "CHAIRS"}
    assert set(oversight.group(2).split("|")) == {
        label for name in types for label in model.reltype(name).sources
    }
