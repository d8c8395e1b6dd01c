"""Facts a reader of the corpus would check, asked of the loaded bundled dataset."""

from __future__ import annotations

import datetime as dt

from oversight.graph.embedded import EmbeddedStore
from oversight.loaders.verify import verify


def rows(store: EmbeddedStore, query: str, **params) -> list[tuple]:
    return store.read(query, params).rows


def test_every_quote_is_in_its_source_and_every_element_is_cited(bundled) -> None:
    assert verify(bundled) == []
    assert all(node.cites for node in bundled.nodes.values())
    assert all(rel.cites for rel in bundled.relationships.values())


def test_2017_judgements_reproduce_the_sources_list(loaded: EmbeddedStore) -> None:
    found = rows(
        loaded,
        "MATCH (:Inspection {id: 'inspection/ofsted-2017'})-[:HAS_JUDGEMENT]->(j:Judgement) "
        "RETURN j.area AS area, j.grade AS grade, coalesce(j.overall, false) AS overall "
        "ORDER BY overall, area",
    )
    assert found == [
        ("Adoption performance", "requires improvement", False),
        ("Children looked after and achieving permanence", "requires improvement", False),
        ("Children who need help and protection", "inadequate", False),
        ("Experiences and progress of care leavers", "requires improvement", False),
        ("Leadership, management and governance", "inadequate", False),
        ("Overall effectiveness", "inadequate", True),
    ]


def test_2012_and_2019_overall_judgements(loaded: EmbeddedStore) -> None:
    found = rows(
        loaded,
        "MATCH (i:Inspection)-[:HAS_JUDGEMENT]->(j:Judgement {overall: true}) "
        "WHERE i.id IN ['inspection/ofsted-2012', 'inspection/ofsted-2019'] "
        "RETURN i.id AS inspection, j.grade AS grade ORDER BY inspection",
    )
    assert found == [("inspection/ofsted-2012", "good"), ("inspection/ofsted-2019", "good")]


def test_director_interim_then_permanent(loaded: EmbeddedStore) -> None:
    found = rows(
        loaded,
        "MATCH (:Person {id: 'person/debbie-jones'})-[h:HOLDS]->"
        "(:Post {id: 'post/director-of-childrens-services'}) WHERE h.start_date IS NOT NULL "
        "RETURN h.capacity AS capacity, h.start_date AS started, h.start_precision AS precision "
        "ORDER BY started",
    )
    assert found == [
        ("interim", dt.date(2015, 7, 1), "month"),
        ("permanent", dt.date(2016, 3, 1), "month"),
    ]


def test_august_2018_visit_three_inspectors_led_by_brenda_mclaughlin(
    loaded: EmbeddedStore,
) -> None:
    found = rows(
        loaded,
        "MATCH (p:Person)-[r:INSPECTOR_ON]->"
        "(i:Inspection {id: 'inspection/monitoring-visit-4-2018-08'}) "
        "RETURN p.name AS inspector, r.role AS role, r.lead AS lead ORDER BY inspector",
    )
    assert found == [
        ("Brenda McLaughlin", "Her Majesty's Inspector", True),
        ("Louise Warren", "Her Majesty's Inspector", False),
        ("Tom Anthony", "Ofsted Inspector", False),
    ]
    dates = rows(
        loaded,
        "MATCH (i:Inspection {id: 'inspection/monitoring-visit-4-2018-08'}) "
        "RETURN i.start_date AS s, i.end_date AS e, i.number AS n",
    )
    assert dates == [(dt.date(2018, 8, 15), dt.date(2018, 8, 16), 4)]


def test_lineage_chains_run_across_three_inspections(loaded: EmbeddedStore) -> None:
    chains = rows(
        loaded,
        "MATCH (late:Finding)-[a:FOLLOWS_UP]->(mid:Finding)-[b:FOLLOWS_UP]->(early:Finding) "
        "RETURN early.id AS first, mid.id AS middle, late.id AS last, b.status AS s1, "
        "a.status AS s2 ORDER BY first, last",
    )
    assert (
        "finding/2017-unreliable-management-information",
        "finding/2018-performance-management-improved",
        "finding/2019-mv6-performance-management-embedded",
        "improved",
        "improved",
    ) in chains
    assert (
        "finding/2017-neglect-help-delayed",
        "finding/2019-mv6-neglect-response-inconsistent",
        "finding/2019-strategic-neglect-work",
        "persists",
        "improved",
    ) in chains
    assert (
        "finding/2017-insufficient-rigour-senior-leaders",
        "finding/2018-management-oversight-not-consistent",
        "finding/2019-mv6-fsp-oversight-varies",
        "persists",
        "persists",
    ) in chains
    health = rows(
        loaded,
        "MATCH (b:Finding {id: 'finding/2018-initial-health-assessments-late'})"
        "-[l:FOLLOWS_UP]->(a:Finding) RETURN a.id AS earlier, l.status AS status",
    )
    assert health == [("finding/2017-initial-health-assessments-poor", "persists")]


# Every figure in the corpus, read off the texts: id -> (value, unit).
MEASURES = {
    "measure/2017-children-became-looked-after-jan": (22, "children"),
    "measure/2017-children-looked-after": (333, "children"),
    "measure/2017-improvement-board-months-before-inspection": (5, "months"),
    "measure/2017-initial-health-assessments-in-time": (4.2, "percent"),
    "measure/2017-planned-admissions-jan": (10, "admissions"),
    "measure/2017-recalled-agency-share-of-workforce": (50, "percent"),
    "measure/2017-recalled-ai-team-staff-turnover-2015": (10, "percent"),
    "measure/2017-recalled-ai-team-staff-turnover-2016": (30, "percent"),
    "measure/2017-recalled-cases-not-properly-investigated": (25, "cases"),
    "measure/2017-report-pages": (34, "pages"),
    "measure/2017-review-health-assessments": (85, "percent"),
    "measure/2017-young-children-police-station-overnight": (3, "children"),
    "measure/2018-children-in-care-in-good-or-outstanding-schools": (100, "percent"),
    "measure/2018-children-in-residential-placements-after": (16, "children"),
    "measure/2018-children-in-residential-placements-before": (30, "children"),
    "measure/2018-children-without-updated-assessment": (160, "children"),
    "measure/2018-cin-cases-held-by-lac-service": (53, "cases"),
    "measure/2018-edge-of-care-children-diverted-from-care": (33, "children"),
    "measure/2018-edge-of-care-children-returned-home": (6, "children"),
    "measure/2018-edge-of-care-families-worked-with": (43, "families"),
    "measure/2018-initial-health-assessments-in-time": (22, "percent"),
    "measure/2018-share-of-care-population-without-updated-assessment": (50, "percent"),
    "measure/2018-three-or-more-placement-moves-aug-2018": (11.5, "percent"),
    "measure/2018-three-or-more-placement-moves-jan-2018": (14.2, "percent"),
    "measure/2019-adopters-and-adoption-orders-ratio": (2, "ratio"),
    "measure/2019-grades-jumped": (2, "grades"),
    "measure/2019-mv6-cp-plan-evaluation-interval": (6, "weeks"),
    "measure/2019-workforce-turnover-after": (9, "percent"),
    "measure/2019-workforce-turnover-before": (33, "percent"),
}


def test_every_measure_value_and_unit(loaded: EmbeddedStore) -> None:
    found = rows(loaded, "MATCH (m:Measure) RETURN m.id AS id, m.value AS v, m.unit AS u")
    assert {mid: (value, unit) for mid, value, unit in found} == MEASURES


def test_words_standing_for_figures_keep_their_wording(loaded: EmbeddedStore) -> None:
    hedged = dict(
        rows(loaded, "MATCH (m:Measure) WHERE m.qualifier IS NOT NULL RETURN m.id, m.qualifier")
    )
    assert hedged["measure/2018-children-without-updated-assessment"] == "approximately"
    assert hedged["measure/2018-share-of-care-population-without-updated-assessment"] == "over half"
    assert hedged["measure/2017-recalled-agency-share-of-workforce"] == "half"


def test_every_measure_is_reported_by_a_finding_or_statement(loaded: EmbeddedStore) -> None:
    orphans = rows(
        loaded,
        "MATCH (m:Measure) WHERE NOT (m)<-[:REPORTS]-() RETURN m.id AS id",
    )
    assert orphans == []


def test_news_citing_the_inspectorate_is_marked_reported(loaded: EmbeddedStore) -> None:
    found = rows(
        loaded,
        "MATCH (f:Finding {id: 'finding/2019-iros-improved'})-[c:CITED_IN]->(s:Source) "
        "RETURN s.id AS source, c.reports AS reports, f.basis AS basis",
    )
    assert found == [("source/provider-news-2019", "body/ofsted", "reported")]


def test_opinion_is_marked(loaded: EmbeddedStore) -> None:
    opinions = rows(
        loaded,
        "MATCH (s:Statement)<-[:SAID]-(:Body {id: 'body/love-wapping'}) "
        "WHERE s.basis = 'opinion' RETURN count(s) AS n",
    )
    assert opinions[0][0] >= 5


def test_primary_letter_supports_primary_basis(loaded: EmbeddedStore) -> None:
    found = rows(
        loaded,
        "MATCH (f:Finding {id: 'finding/2018-initial-health-assessments-late'}) RETURN f.basis",
    )
    assert found == [("primary",)]
