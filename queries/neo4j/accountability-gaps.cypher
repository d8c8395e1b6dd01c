// accountability-gaps on Neo4j: the inspections asked about first, then their criticisms
// (queries/accountability-gaps.cypher, which both engines take, matches every criticism
// first and its inspection after, as LadybugDB plans faster). The same parameters, columns
// and rows.
MATCH (i:Inspection)
  WHERE $inspected IS NULL
     OR EXISTS { MATCH (i)-[:INSPECTED]->(:Service|Body)-[:PART_OF*0..3]->(:Service|Body {id: $inspected}) }
// (Collected: the planner then starts from these inspections, not from every criticism.)
WITH collect(i) AS chosen
UNWIND chosen AS i
MATCH (i)-[:FOUND]->(f:Finding)-[c:CONCERNS]->(x:Service|Body)
  WHERE c.stance = 'criticised' AND NOT (x)<-[:ACCOUNTABLE_FOR]-(:Post)
WITH x, count(DISTINCT f) AS criticisms, collect(DISTINCT i.id) AS found
  WHERE criticisms >= $min_findings
// Inspections listed oldest first (undated last), each name once. (Sorted, then a plain
// collect: LadybugDB's collect(DISTINCT ...) does not keep the order of its input. The
// inspections are looked up again by id: LadybugDB 0.14 crashed on a collected list of maps
// holding dates, unwound.)
UNWIND found AS found_id
MATCH (i:Inspection {id: found_id})
WITH x, criticisms, i.name AS inspection, min(coalesce(i.start_date, i.published_date)) AS held
  ORDER BY held, inspection
  SKIP 0
WITH x, criticisms, collect(inspection) AS inspections
// Posts accountable for something the entity is part of.
// (three single hops: LadybugDB runs them far faster than PART_OF*1..3)
OPTIONAL MATCH (x)-[:PART_OF]->(u1)
OPTIONAL MATCH (u1)-[:PART_OF]->(u2)
OPTIONAL MATCH (u2)-[:PART_OF]->(u3)
OPTIONAL MATCH (u1)<-[:ACCOUNTABLE_FOR]-(o1:Post)
OPTIONAL MATCH (u2)<-[:ACCOUNTABLE_FOR]-(o2:Post)
OPTIONAL MATCH (u3)<-[:ACCOUNTABLE_FOR]-(o3:Post)
// Each post once, by name.
UNWIND [o1.name, o2.name, o3.name] AS post
WITH DISTINCT x, criticisms, inspections, post
  ORDER BY post
  SKIP 0
WITH x, criticisms, inspections, coalesce(collect(post), []) AS accountable_above
RETURN x.name AS entity,
       x.id AS entity_id,
       x.kind AS kind,
       criticisms,
       inspections,
       accountable_above
ORDER BY criticisms DESC, entity_id
