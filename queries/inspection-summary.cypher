// name: inspection-summary
// title: An inspection's summary
// description: One row: the inspection's dates, who conducted it and what it inspected, the
//   inspectors and their roles, its judgements (overall first), how many findings of each
//   kind it reported, and how many of them criticise, praise or only mention someone.
// param inspection: entity Inspection, example "inspection/ofsted-2017" -- the inspection or visit (an id or a name)

MATCH (i:Inspection {id: $inspection})
// Text is joined with + only where no part can be null: LadybugDB reads a null string as ''
// where Neo4j makes the whole null.
// Who conducted it and what it inspected, by name.
// (Each name once, by name: sorted, then a plain collect, as LadybugDB's
// collect(DISTINCT ...) does not keep the order of its input.)
OPTIONAL MATCH (i)-[:CONDUCTED_BY]->(by:Body)
WITH DISTINCT i, by.name AS conductor
  ORDER BY conductor
  SKIP 0
WITH i, coalesce(collect(conductor), []) AS conducted_by
OPTIONAL MATCH (i)-[:INSPECTED]->(what)
WITH i, conducted_by, what
  ORDER BY what.name
  SKIP 0
WITH i, conducted_by, coalesce(collect(what.name), []) AS inspected
// Inspectors, the lead first. (`= true`: LadybugDB 0.14 gets `CASE WHEN flag` wrong for a
// boolean property.)
OPTIONAL MATCH (p:Person)-[r:INSPECTOR_ON]->(i)
WITH i, conducted_by, inspected, p, r
  ORDER BY coalesce(r.lead, false) DESC, p.name
  SKIP 0
WITH i, conducted_by, inspected,
     coalesce(collect(CASE WHEN p IS NOT NULL
                           THEN p.name + ' (' + coalesce(r.role, 'role not recorded')
                                + CASE WHEN r.lead = true THEN ', lead' ELSE '' END + ')' END),
              []) AS inspectors
// Judgements, the overall effectiveness first.
OPTIONAL MATCH (i)-[:HAS_JUDGEMENT]->(j:Judgement)
WITH i, conducted_by, inspected, inspectors, j
  ORDER BY coalesce(j.overall, false) DESC, j.area
  SKIP 0
WITH i, conducted_by, inspected, inspectors,
     coalesce(collect(CASE WHEN j IS NOT NULL THEN j.area + ': ' + j.grade END), [])
       AS judgements
// Findings by kind, and by the stance they take on what they concern.
OPTIONAL MATCH (i)-[:FOUND]->(f:Finding)
OPTIONAL MATCH (f)-[c:CONCERNS]->()
WITH i, conducted_by, inspected, inspectors, judgements,
     count(DISTINCT f.id) AS findings,
     count(DISTINCT CASE WHEN f.kind = 'strength' THEN f.id END) AS strengths,
     count(DISTINCT CASE WHEN f.kind = 'weakness' THEN f.id END) AS weaknesses,
     count(DISTINCT CASE WHEN f.kind = 'recommendation' THEN f.id END) AS recommendations,
     count(DISTINCT CASE WHEN f.kind = 'observation' THEN f.id END) AS observations,
     count(DISTINCT CASE WHEN c.stance = 'criticised' THEN f.id END) AS criticising,
     count(DISTINCT CASE WHEN c.stance = 'praised' THEN f.id END) AS praising,
     count(DISTINCT CASE WHEN c.stance = 'neutral' THEN f.id END) AS neutral
RETURN i.name AS inspection,
       i.kind AS kind,
       i.start_date AS first_day,
       i.end_date AS last_day,
       i.published_date AS published,
       i.published_precision AS published_precision,
       conducted_by,
       inspected,
       inspectors,
       judgements,
       findings,
       strengths,
       weaknesses,
       recommendations,
       observations,
       criticising,
       praising,
       neutral
