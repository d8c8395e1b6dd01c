// name: person-profile
// title: A person's profile
// description: Everything recorded about a person except the citations (see `evidence`):
//   posts held with dates and capacity, bodies chaired or belonged to, inspections worked
//   on, statements made, sources written, and the findings and statements about them.
// param person: entity Person, example "person/debbie-jones" -- the person (an id, a name or an alias)

MATCH (p:Person {id: $person})
OPTIONAL MATCH (p)-[r:HOLDS|CHAIRS|MEMBER_OF|INSPECTOR_ON|SAID|WROTE|CONCERNS|ABOUT]-(o)
// A relationship's id is `start|TYPE|end[|...]`: the type names the relation.
WITH p, r, o,
     CASE WHEN r.id CONTAINS '|HOLDS|' THEN 1
          WHEN r.id CONTAINS '|CHAIRS|' THEN 2
          WHEN r.id CONTAINS '|MEMBER_OF|' THEN 3
          WHEN r.id CONTAINS '|INSPECTOR_ON|' THEN 4
          WHEN r.id CONTAINS '|SAID|' THEN 5
          WHEN r.id CONTAINS '|WROTE|' THEN 6
          WHEN r.id CONTAINS '|CONCERNS|' THEN 7
          WHEN r.id CONTAINS '|ABOUT|' THEN 8
     END AS rank
RETURN p.name AS person,
       CASE rank
         WHEN 1 THEN 'holds post'
         WHEN 2 THEN 'chairs'
         WHEN 3 THEN 'member of'
         WHEN 4 THEN 'inspector on'
         WHEN 5 THEN 'said'
         WHEN 6 THEN 'wrote'
         WHEN 7 THEN 'finding about them'
         WHEN 8 THEN 'statement about them'
       END AS relation,
       o.name AS other,
       o.id AS other_id,
       // capacity (posts), role (memberships, inspections) or stance (findings, statements)
       coalesce(r.capacity, r.role, r.stance) AS detail,
       // (`= true`: LadybugDB 0.14 gets `CASE WHEN flag` wrong for a boolean property.)
       CASE WHEN r.lead = true THEN 'lead inspector'
            WHEN r.ended = true AND r.end_date IS NULL THEN 'ended, date not known' END AS note,
       r.start_date AS since,
       r.end_date AS until
ORDER BY rank, since, other, detail
