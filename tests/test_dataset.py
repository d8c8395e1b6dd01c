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


# --- what a reading of the claims corrected (issue #13) ---------------------------------------


def test_lineage_links_say_whether_the_later_text_states_them(loaded: EmbeddedStore) -> None:
    links = {
        (later, earlier): (status, inferred)
        for later, earlier, status, inferred in rows(
            loaded,
            "MATCH (a:Finding)-[l:FOLLOWS_UP]->(b:Finding) "
            "RETURN a.id, b.id, l.status, l.inferred IS NOT NULL",
        )
    }
    # "This has not improved since the inspection in 2017." (001): stated.
    assert links[
        (
            "finding/2018-initial-health-assessments-late",
            "finding/2017-initial-health-assessments-poor",
        )
    ] == ("persists", False)
    # "transformed its performance management framework from unreliable and non-compliant"
    # (000) points back to the 2017 weakness, not to the sixth visit's strength.
    assert links[
        (
            "finding/2019-performance-management-transformed",
            "finding/2017-unreliable-management-information",
        )
    ] == ("resolved", False)
    assert not any(
        later == "finding/2019-performance-management-transformed"
        and earlier != "finding/2017-unreliable-management-information"
        for later, earlier in links
    )
    # "Management oversight, although evident in all cases, is not yet consistently leading to
    # improved outcomes" (001) does not refer to the 2017 finding: inferred.
    assert links[
        (
            "finding/2018-management-oversight-not-consistent",
            "finding/2017-insufficient-rigour-senior-leaders",
        )
    ] == ("persists", True)
    # The 2017 "plans inadequate" finding is followed up once, as improved (inferred), not
    # also as persisting through the 2019 recommendation ("consistently good or better").
    plans = {k: v for k, v in links.items() if k[1] == "finding/2017-plans-inadequate"}
    assert plans == {
        ("finding/2019-cp-and-cin-plans-realistic", "finding/2017-plans-inadequate"): (
            "improved",
            True,
        )
    }
    assert sum(inferred for _, inferred in links.values()) == 8


def test_dcs_reports_to_lead_member_is_marked_inferred(loaded: EmbeddedStore) -> None:
    # "weakening her ability to scrutinise and hold the DCS to account" (003): scrutiny.
    found = rows(
        loaded,
        "MATCH (:Post {id: 'post/director-of-childrens-services'})-[r:REPORTS_TO]->"
        "(p:Post) RETURN p.name, r.inferred",
    )
    assert len(found) == 1
    name, reason = found[0]
    assert name == "Lead member, Tower Hamlets"  # the text says only "the lead member"
    assert "hold the DCS to account" in reason


def test_mash_referrals_praise_the_referring_partners(loaded: EmbeddedStore) -> None:
    # "Referrals into the multi-agency safeguarding hub (MASH) are appropriate and reflect
    # partners' good understanding of thresholds." (000)
    found = dict(
        rows(
            loaded,
            "MATCH (:Finding {id: 'finding/2019-mash-referrals-appropriate'})-[c:CONCERNS]->(x) "
            "RETURN x.id, c.stance",
        )
    )
    assert found == {"body/mash-referring-partners": "praised", "service/mash": "neutral"}


def test_no_alias_the_texts_do_not_use(loaded: EmbeddedStore) -> None:
    aliases = {
        alias
        for (names,) in rows(loaded, "MATCH (n) WHERE n.aliases IS NOT NULL RETURN n.aliases")
        for alias in names
    }
    assert not aliases & {"LBTH", "DfE", "CCG", "the inspectorate", "operational board"}
    # "READ MORE: Government removes intervention in Tower Hamlets LBC" (004)
    assert "Tower Hamlets LBC" in aliases


def test_regional_director_tenure_ended_without_a_date(loaded: EmbeddedStore) -> None:
    # "Debbie Jones, who used to be the Ofsted's regional director London for social care" (004)
    found = rows(
        loaded,
        "MATCH (:Person {id: 'person/debbie-jones'})-[h:HOLDS]->"
        "(:Post {id: 'post/ofsted-regional-director-london-social-care'}) "
        "RETURN h.ended, h.end_date",
    )
    assert found == [(True, None)]


def test_narration_is_the_outlets_and_basis_follows_reports(loaded: EmbeddedStore) -> None:
    said = dict(
        rows(
            loaded,
            "MATCH (who)-[:SAID]->(s:Statement) WHERE s.id IN $ids RETURN s.id, who.id",
            ids=[
                "statement/2017-tuckley-full-responsibility",
                "statement/2017-biggs-situation-unacceptable",
                "statement/2017-bagshaw-peer-review-call",
                "statement/2019-biggs-owned-the-problems",
            ],
        )
    )
    # "Will Tuckley, the Chief Executive, has said in a statement that ..." (003): Love
    # Wapping's words; "“It was really important that we owned the problems ...”" (004): his.
    assert said == {
        "statement/2017-tuckley-full-responsibility": "body/love-wapping",
        "statement/2017-biggs-situation-unacceptable": "body/love-wapping",
        "statement/2017-bagshaw-peer-review-call": "body/love-wapping",
        "statement/2019-biggs-owned-the-problems": "person/john-biggs",
    }
    bases = dict(
        rows(
            loaded,
            "MATCH (n) WHERE n.id IN $ids RETURN n.id, n.basis",
            ids=["statement/2019-biggs-owned-the-problems", "person/rachael-saunders"],
        )
    )
    # A politician's words, and Love Wapping's bracketed "[Deputy Major Cllr. Rachael
    # Saunders]": statements, not reporting of Ofsted.
    assert bases == {
        "statement/2019-biggs-owned-the-problems": "statement",
        "person/rachael-saunders": "statement",
    }


def test_what_the_texts_state_that_was_missing(loaded: EmbeddedStore) -> None:
    # "Yours sincerely Brenda McLaughlin Her Majesty's Inspector" (001)
    assert rows(
        loaded,
        "MATCH (p:Person)-[:WROTE]->(:Source {id: 'source/ofsted-2018-08-monitoring-letter'}) "
        "RETURN p.id",
    ) == [("person/brenda-mclaughlin",)]
    # "the Department for Education appointed improvement partner" (001)
    assert rows(loaded, "MATCH (a)-[:APPOINTED]->(b) RETURN a.id, b.id") == [
        ("body/department-for-education", "body/dfe-improvement-partner")
    ]
    # "READ MORE: Statutory directions lifted ..." and "Government removes intervention in
    # Tower Hamlets LBC" (004); "LSCB meetings include children and so documents are not
    # published as with other meetings." (003)
    statements = {sid for (sid,) in rows(loaded, "MATCH (s:Statement) RETURN s.id")}
    assert statements >= {
        "statement/2019-read-more-intervention-removed",
        "statement/2019-read-more-directions-lifted",
        "statement/2017-lw-lscb-papers-unpublished",
    }
    # "improvement board and corporate parenting board minutes" (001): the boards are the
    # council's only on a reading of "local authority", so the links are marked inferred.
    boards = rows(
        loaded,
        "MATCH (b:Body)-[r:PART_OF]->(:Body {id: 'body/tower-hamlets-council'}) "
        "WHERE b.id IN ['body/improvement-board', 'body/corporate-parenting-board'] "
        "RETURN b.id, r.inferred IS NOT NULL ORDER BY b.id",
    )
    assert boards == [("body/corporate-parenting-board", True), ("body/improvement-board", True)]
