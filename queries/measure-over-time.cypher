// name: measure-over-time
// title: A measure over time
// description: The figures whose indicator contains the given wording (any case), in date
//   order: the figure's own date where the text gives one, else the date of the inspection
//   that reported it. With what it measures and where it was reported.
// param indicator: string, example "initial health assessments" -- part of the indicator's wording
// param entity: entity Service|Body, default null -- only figures measuring this service or body (an id, a name or an alias; null: any)

MATCH (m:Measure)
  WHERE toLower(m.indicator) CONTAINS toLower($indicator)
    AND ($entity IS NULL OR EXISTS { MATCH (m)-[:MEASURE_OF]->({id: $entity}) })
// Where it was reported: findings of inspections, or statements; each oldest first (undated
// last), each name once. (Sorted, then a plain collect: LadybugDB's collect(DISTINCT ...)
// does not keep the order of its input.)
OPTIONAL MATCH (i:Inspection)-[:FOUND]->(:Finding)-[:REPORTS]->(m)
WITH m, i.name AS inspection, min(coalesce(i.start_date, i.published_date)) AS held
  ORDER BY held, inspection
  SKIP 0
WITH m, min(held) AS inspection_date, coalesce(collect(inspection), []) AS inspections
OPTIONAL MATCH (s:Statement)-[:REPORTS]->(m)
WITH m, inspection_date, inspections, s.name AS statement, min(s.statement_date) AS said
  ORDER BY said, statement
  SKIP 0
WITH m, inspection_date, inspections, coalesce(collect(statement), []) AS statements
OPTIONAL MATCH (m)-[:MEASURE_OF]->(x)
WITH m, inspection_date, inspections, statements, x
  ORDER BY x.name
  SKIP 0
WITH m, inspection_date, inspections, statements, coalesce(collect(x.name), []) AS measured
RETURN coalesce(m.as_of_date, inspection_date) AS date,
       m.as_of_date AS as_of,
       m.as_of_precision AS as_of_precision,
       m.indicator AS indicator,
       m.value AS value,
       m.unit AS unit,
       m.qualifier AS qualifier,
       m.period AS period,
       measured AS measures,
       inspections AS reported_in,
       statements AS stated_in,
       m.id AS measure_id
ORDER BY date, indicator, measure_id
