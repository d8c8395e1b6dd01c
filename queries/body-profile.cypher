// name: body-profile
// title: A body's (or service's) profile
// description: Everything recorded about a body or service except the citations (see
//   `evidence`): what it is part of and what is part of it, who oversees it and what it
//   oversees, accountable posts, chairs and members, inspections of it, findings and
//   statements about it, what it said or published, and the figures measuring it.
// param body: entity Body|Service, example "body/overview-and-scrutiny" -- a body or service (an id, a name or an alias)

MATCH (b:Body|Service {id: $body})
OPTIONAL MATCH (b)-[r:PART_OF|OVERSEES|ACCOUNTABLE_FOR|CHAIRS|MEMBER_OF|INSPECTED|CONDUCTED_BY|CONCERNS|ABOUT|SAID|PUBLISHED|MEASURE_OF]-(o)
// A relationship's id is `start|TYPE|end[|...]`: the type names the relation, and whether
// the id starts with this body's id gives its direction. (LadybugDB binds STARTS WITH
// tighter than +, hence the brackets.)
WITH b, r, o, r.id STARTS WITH (b.id + '|') AS outgoing
// (`= true` on purpose: LadybugDB 0.14 gets `CASE WHEN flag` wrong for a boolean
// variable or property.)
WITH b, r, o,
     CASE WHEN r.id CONTAINS '|PART_OF|' AND outgoing = true THEN 1
          WHEN r.id CONTAINS '|PART_OF|' THEN 2
          WHEN r.id CONTAINS '|OVERSEES|' AND outgoing = false THEN 3
          WHEN r.id CONTAINS '|OVERSEES|' THEN 4
          WHEN r.id CONTAINS '|ACCOUNTABLE_FOR|' THEN 5
          WHEN r.id CONTAINS '|CHAIRS|' THEN 6
          WHEN r.id CONTAINS '|MEMBER_OF|' AND outgoing = false THEN 7
          WHEN r.id CONTAINS '|MEMBER_OF|' THEN 8
          WHEN r.id CONTAINS '|INSPECTED|' THEN 9
          WHEN r.id CONTAINS '|CONDUCTED_BY|' THEN 10
          WHEN r.id CONTAINS '|CONCERNS|' THEN 11
          WHEN r.id CONTAINS '|ABOUT|' THEN 12
          WHEN r.id CONTAINS '|SAID|' THEN 13
          WHEN r.id CONTAINS '|PUBLISHED|' THEN 14
          WHEN r.id CONTAINS '|MEASURE_OF|' THEN 15
     END AS rank
RETURN b.name AS body,
       CASE rank
         WHEN 1 THEN 'part of'
         WHEN 2 THEN 'has part'
         WHEN 3 THEN 'overseen by'
         WHEN 4 THEN 'oversees'
         WHEN 5 THEN 'accountable post'
         WHEN 6 THEN 'chaired by'
         WHEN 7 THEN 'member'
         WHEN 8 THEN 'member of'
         WHEN 9 THEN 'inspected by'
         WHEN 10 THEN 'conducted'
         WHEN 11 THEN 'finding about it'
         WHEN 12 THEN 'statement about it'
         WHEN 13 THEN 'said'
         WHEN 14 THEN 'published'
         WHEN 15 THEN 'figure'
       END AS relation,
       o.name AS other,
       o.id AS other_id,
       // role (members) or stance (findings, statements about it)
       coalesce(r.role, r.stance) AS detail,
       r.start_date AS since,
       r.end_date AS until
ORDER BY rank, other_id, detail
