// name: judgements-over-time
// title: Judgements by inspection and area over time
// description: Every graded judgement, inspection by inspection in date order, the overall
//   effectiveness judgement first, with Ofsted's number for the grade (1 outstanding,
//   2 good, 3 requires improvement, 4 inadequate). Filter by area wording or by date.
// param area: string, default null -- part of the area's name, any case (null: every area)
// param since: date, default null, example "2017-01-01" -- only inspections dated on or after this day (null: all)

// An inspection is dated by its first day, else by its publication, which may be known only
// to the month or the year: `precision` says which. Undated visits come last.
MATCH (i:Inspection)-[:HAS_JUDGEMENT]->(j:Judgement)
WITH i, j,
     coalesce(i.start_date, i.published_date) AS dated,
     CASE WHEN i.start_date IS NULL THEN i.published_precision ELSE i.start_precision END
       AS dated_precision
WHERE ($area IS NULL OR toLower(j.area) CONTAINS toLower($area))
  AND ($since IS NULL OR dated >= $since)
RETURN i.name AS inspection,
       i.id AS inspection_id,
       dated AS date,
       dated_precision AS precision,
       j.area AS area,
       j.grade AS grade,
       CASE j.grade
         WHEN 'outstanding' THEN 1
         WHEN 'good' THEN 2
         WHEN 'requires improvement' THEN 3
         WHEN 'inadequate' THEN 4
       END AS grade_number,
       coalesce(j.overall, false) AS overall
ORDER BY date, inspection_id, overall DESC, area
