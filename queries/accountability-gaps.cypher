// name: accountability-gaps
// title: Criticised services and bodies with no accountable post recorded
// description: Data gaps: every service or body that findings criticise but that no post
//   is recorded as accountable for, with how many findings criticise it and in which
//   inspections, and the posts recorded as accountable for what it is part of (up to three
//   levels up), where the answer may lie. Most criticised first.
// param min_findings: int, default 1, example 2 -- only those criticised by at least this many findings

MATCH (i:Inspection)-[:FOUND]->(f:Finding)-[:CONCERNS {stance: 'criticised'}]->(x:Service|Body)
  WHERE NOT EXISTS { MATCH (:Post)-[:ACCOUNTABLE_FOR]->(x) }
// Inspections listed oldest first (undated last).
WITH x, f, i
  ORDER BY coalesce(i.start_date, i.published_date), i.name
  SKIP 0
WITH x, count(DISTINCT f) AS criticisms, collect(DISTINCT i.name) AS inspections
  WHERE criticisms >= $min_findings
// Posts accountable for something the entity is part of.
OPTIONAL MATCH (x)-[:PART_OF*1..3]->(:Service|Body)<-[:ACCOUNTABLE_FOR]-(o:Post)
WITH x, criticisms, inspections, o
  ORDER BY o.name
  SKIP 0
WITH x, criticisms, inspections, coalesce(collect(DISTINCT o.name), []) AS accountable_above
RETURN x.name AS entity,
       x.id AS entity_id,
       x.kind AS kind,
       criticisms,
       inspections,
       accountable_above
ORDER BY criticisms DESC, entity_id
