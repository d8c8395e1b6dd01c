// secondary-claims on LadybugDB: the citations of the nodes asked about and the
// relationships asked about, each filtered on its basis before any name is read, instead of
// one pass over every relationship that reads its start node's basis and id
// (queries/secondary-claims.cypher, which both engines take). The same parameters, columns
// and rows, and the same halves as neo4j/secondary-claims.cypher: a citation is a CITED_IN
// relationship (its id `node|CITED_IN|source|n`); every other type listed carries a `basis`
// (IN_SOURCE and MENTIONS do not, so the basis test would drop them anyway).
// `citation` says which half a row comes from: true, the nodes; false, the relationships.
// (The start node's basis is tested through `c`: LadybugDB 0.14 answers `a.basis IN $bases`
// wrongly when it tests it while scanning every node table, before the relationship.)
UNWIND [true, false] AS citation
OPTIONAL MATCH (a)-[c:CITED_IN]->(s)
  WHERE citation = true AND c.id CONTAINS '|CITED_IN|'
    AND CASE WHEN c.id IS NULL THEN null ELSE a.basis END IN $bases
OPTIONAL MATCH (x)-[r:HOLDS|MEMBER_OF|CHAIRS|OVERSEES|ACCOUNTABLE_FOR|REPORTS_TO|APPOINTED|PART_OF|CONDUCTED_BY|INSPECTED|INSPECTOR_ON|HAS_JUDGEMENT|FOUND|CONCERNS|FOLLOWS_UP|REPORTS|MEASURE_OF|SAID|ABOUT|PUBLISHED|WROTE|COVERS]->(y)
  WHERE citation = false AND r.basis IN $bases AND NOT r.id CONTAINS '|CITED_IN|'
WITH CASE WHEN citation = true THEN a.id ELSE r.id END AS claim_id,
     CASE WHEN citation = true THEN 'node' ELSE 'relationship' END AS element,
     CASE WHEN citation = true THEN a.name
          ELSE coalesce(x.name, x.id) + ' → ' + coalesce(y.name, y.id) END AS claim,
     CASE WHEN citation = true THEN a.basis ELSE r.basis END AS claim_basis,
     CASE WHEN citation = true THEN [s.id] ELSE r.cite_sources END AS cited
  WHERE claim_id IS NOT NULL
UNWIND cited AS source_id
// Each source once, by id (sorted, then a plain collect: see the portable text).
WITH DISTINCT claim_id, element, claim, claim_basis, source_id
  ORDER BY source_id
  SKIP 0
WITH claim_id, element, claim, claim_basis, collect(source_id) AS sources
RETURN claim_basis AS basis,
       element,
       claim,
       claim_id,
       sources
ORDER BY CASE basis WHEN 'opinion' THEN 1 WHEN 'statement' THEN 2 WHEN 'reported' THEN 3 ELSE 4 END,
         element, claim_id
