// secondary-claims on Neo4j: the nodes asked about (their basis) and then their citations,
// and the relationships but citations, each filtered on its basis before anything is
// computed, instead of one pass over every relationship that reads every id
// (queries/secondary-claims.cypher, which both engines take). The same parameters, columns
// and rows.
OPTIONAL MATCH (a)-[c:CITED_IN]->(s)
  WHERE a.basis IN $bases AND c.id CONTAINS '|CITED_IN|'
WITH collect({claim_id: a.id, element: 'node', claim: a.name, claim_basis: a.basis,
              source_id: s.id}) AS nodes
OPTIONAL MATCH (a)-[r:!CITED_IN]->(b)
  WHERE r.basis IN $bases AND NOT r.id CONTAINS '|CITED_IN|'
UNWIND coalesce(r.cite_sources, [null]) AS source_id
WITH nodes, collect({claim_id: r.id, element: 'relationship',
                     claim: coalesce(a.name, a.id) + ' → ' + coalesce(b.name, b.id),
                     claim_basis: r.basis, source_id: source_id}) AS relationships
UNWIND nodes + relationships AS cited
WITH cited.claim_id AS claim_id, cited.element AS element, cited.claim AS claim,
     cited.claim_basis AS claim_basis, cited.source_id AS source_id
  WHERE claim_id IS NOT NULL AND source_id IS NOT NULL
// Each source once, by id.
WITH DISTINCT claim_id, element, claim, claim_basis, source_id
  ORDER BY source_id
WITH claim_id, element, claim, claim_basis, collect(source_id) AS sources
RETURN claim_basis AS basis,
       element,
       claim,
       claim_id,
       sources
ORDER BY CASE basis WHEN 'opinion' THEN 1 WHEN 'statement' THEN 2 WHEN 'reported' THEN 3 ELSE 4 END,
         element, claim_id
