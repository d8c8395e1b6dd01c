// name: secondary-claims
// title: Claims resting only on secondary or opinion sources
// description: Every node and relationship whose strongest support is not a primary
//   source: `reported` (reporting of what the inspectorate said), `statement` (what a party
//   said) or `opinion` (a source's own opinion). Nodes are listed with the sources of their
//   citations; relationships with their cited sources. Weakest basis first.
// param bases: list of string, default ["reported", "statement", "opinion"], example ["opinion"] -- which bases to list: reported, statement, opinion (primary is allowed too)

// Every relationship but a citation carries its own `basis`; a node's citations are its
// CITED_IN relationships (id `node|CITED_IN|source|n`), the node carries the basis.
MATCH (a)-[r]->(b)
// (`= true` on purpose: LadybugDB 0.14 gets `CASE WHEN flag` wrong for a boolean
// variable or property.)
WITH a, r, b, r.id CONTAINS '|CITED_IN|' AS citation
  WHERE (citation = true AND a.basis IN $bases) OR (citation = false AND r.basis IN $bases)
WITH CASE WHEN citation = true THEN a.id ELSE r.id END AS claim_id,
     CASE WHEN citation = true THEN 'node' ELSE 'relationship' END AS element,
     CASE WHEN citation = true THEN a.name
          ELSE coalesce(a.name, a.id) + ' → ' + coalesce(b.name, b.id) END AS claim,
     CASE WHEN citation = true THEN a.basis ELSE r.basis END AS claim_basis,
     CASE WHEN citation = true THEN [b.id] ELSE r.cite_sources END AS cited
UNWIND cited AS source_id
// Each source once, by id. (Sorted, then a plain collect: LadybugDB's collect(DISTINCT ...)
// does not keep the order of its input.)
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
