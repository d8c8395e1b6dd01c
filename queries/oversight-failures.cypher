// name: oversight-failures
// title: Failures of oversight, scrutiny and management grip
// description: Findings whose summary or text uses any of the given terms (any case), with
//   the terms they matched and whom they concern, with the stance the finding takes on
//   each, oldest inspection first. A term matches inside words: `scrutin` finds
//   scrutiny, scrutinise and scrutinising.
// param terms: list of string, default ["oversight", "scrutin", "grip", "to account", "rigour", "robust challenge", "corporate ownership", "senior leaders", "senior managers", "supervision"] -- wording to look for
// param kinds: list of string, default ["weakness"], example ["weakness", "recommendation"] -- finding kinds: strength, weakness, recommendation, observation
// param inspected: entity Service|Body, default null, example "body/tower-hamlets-council" -- only inspections of this service or body, or of what is part of it (up to three levels): an authority's council takes in its children's services; null: every inspection

// Only the inspections asked about: of `inspected` or of what is part of it (all if null).
MATCH (i:Inspection)
  WHERE $inspected IS NULL
     OR EXISTS { MATCH (i)-[:INSPECTED]->(:Service|Body)-[:PART_OF*0..3]->(:Service|Body {id: $inspected}) }
MATCH (i)-[:FOUND]->(f:Finding)
  WHERE f.kind IN $kinds
// Each finding's wording lowered once, not once per term.
WITH i, f, toLower(f.name) AS name, toLower(coalesce(f.text, '')) AS text
UNWIND $terms AS term
WITH i, f, name, text, term
  WHERE name CONTAINS toLower(term) OR text CONTAINS toLower(term)
WITH i, f, collect(DISTINCT term) AS matched
// Whom each finding concerns, by name. (The labels are the ones CONCERNS reaches: spelt out,
// LadybugDB reads four tables, not every one; and only the properties pass the WITH.)
OPTIONAL MATCH (f)-[c:CONCERNS]->(x:Person|Post|Body|Service)
WITH i, f, matched, c.stance AS stance, x.id AS x_id, x.name AS x_name
  ORDER BY x_name
  SKIP 0
// (Guarded: LadybugDB reads a null string in + as '', where Neo4j makes the whole null.)
WITH i, f, matched,
     coalesce(collect(CASE WHEN x_id IS NOT NULL
                           THEN x_name + ' (' + coalesce(stance, 'no stance') + ')' END),
              []) AS concerned
RETURN i.name AS inspection,
       coalesce(i.start_date, i.published_date) AS date,
       f.id AS finding_id,
       f.name AS finding,
       f.kind AS kind,
       matched AS matched_terms,
       concerned AS concerns
ORDER BY date, inspection, finding_id
