// name: oversight-failures
// title: Failures of oversight, scrutiny and management grip
// description: Findings whose summary or text uses any of the given terms (any case), with
//   the terms they matched and whom they concern, with the stance the finding takes on
//   each, oldest inspection first. A term matches inside words: `scrutin` finds
//   scrutiny, scrutinise and scrutinising.
// param terms: list of string, default ["oversight", "scrutin", "grip", "to account", "rigour", "robust challenge", "corporate ownership", "senior leaders", "senior managers", "supervision"] -- wording to look for
// param kinds: list of string, default ["weakness"], example ["weakness", "recommendation"] -- finding kinds: strength, weakness, recommendation, observation

MATCH (i:Inspection)-[:FOUND]->(f:Finding)
  WHERE f.kind IN $kinds
UNWIND $terms AS term
WITH i, f, term
  WHERE toLower(f.name) CONTAINS toLower(term)
     OR toLower(coalesce(f.text, '')) CONTAINS toLower(term)
WITH i, f, collect(DISTINCT term) AS matched
// Whom each finding concerns, by name.
OPTIONAL MATCH (f)-[c:CONCERNS]->(x)
WITH i, f, matched, c, x
  ORDER BY x.name
  SKIP 0
// (Guarded: LadybugDB reads a null string in + as '', where Neo4j makes the whole null.)
WITH i, f, matched,
     coalesce(collect(CASE WHEN x IS NOT NULL
                           THEN x.name + ' (' + coalesce(c.stance, 'no stance') + ')' END),
              []) AS concerned
RETURN i.name AS inspection,
       coalesce(i.start_date, i.published_date) AS date,
       f.id AS finding_id,
       f.name AS finding,
       f.kind AS kind,
       matched AS matched_terms,
       concerned AS concerns
ORDER BY date, inspection, finding_id
