// name: oversight-failures
// title: Failures of oversight, scrutiny and management grip
// description: Findings whose summary or text uses any of the given terms (any case), with
//   the terms they matched (in the order `terms` lists them) and whom they concern (by
//   name), with the stance the finding takes on each, oldest inspection first. A term matches inside words: `scrutin` finds
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
// Each term with its place in the list: matched_terms keep the list's order. (Counted from
// the end, `$terms[place - size($terms)]` is the same term on both engines: LadybugDB counts
// list places from 1, Neo4j from 0.)
UNWIND range(0, size($terms) - 1) AS place
WITH i, f, name, text, place, $terms[place - size($terms)] AS term
  WHERE name CONTAINS toLower(term) OR text CONTAINS toLower(term)
// Each term once, at its first place. (Sorted, then a plain collect: LadybugDB's
// collect(DISTINCT ...) does not keep the order of its input.)
WITH i, f, term, min(place) AS place
  ORDER BY place
  SKIP 0
WITH i, f, collect(term) AS matched
// Whom each finding concerns, by name. (The labels are the ones CONCERNS reaches: spelt out,
// LadybugDB reads four tables, not every one; and only the properties pass the WITH.)
OPTIONAL MATCH (f)-[c:CONCERNS]->(x:Person|Post|Body|Service)
WITH i, f, matched, c.stance AS stance, x.id AS x_id, x.name AS x_name
  ORDER BY x_name, x_id
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
