// name: accountability-for-inspection
// title: Who was accountable for an inspection's criticisms
// description: Every finding of an inspection that criticises something, what it criticises,
//   the posts that answer for it (the post itself, or posts accountable for the service or body
//   or for what it is part of), and the people who held those posts during the inspection
//   (a tenure overlapping its first to last day; no recorded end means still in post; a tenure
//   with no dates is kept and shown as such). The headline view of `make demo`.
// param inspection: entity Inspection, example "inspection/ofsted-2017" -- the inspection (an id or a name)
// view: inspection_node, found, finding_node, concerns, criticised_node, accountable, post_node, holds, person_node

// (x's labels are the ones CONCERNS reaches: spelt out, LadybugDB plans and reads four
// tables, not every one.)
MATCH (i:Inspection {id: $inspection})-[found:FOUND]->(f:Finding)
      -[concerns:CONCERNS]->(x:Person|Post|Body|Service)
  WHERE concerns.stance = 'criticised'
// A criticised post answers for itself; for a body or service, the posts accountable for it
// or for what it is part of.
OPTIONAL MATCH (x)-[:PART_OF*0..2]->(u)<-[accountable:ACCOUNTABLE_FOR]-(o:Post)
  WHERE NOT x.id STARTS WITH 'post/'
WITH i, found, f, concerns, x, accountable, o,
     CASE WHEN x.id STARTS WITH 'post/' THEN x.id ELSE o.id END AS post_id,
     coalesce(i.start_date, i.published_date) AS first_day,
     coalesce(i.end_date, i.start_date, i.published_date) AS last_day
// An undated tenure beside a dated one of the same person and post is the same tenure
// recorded less precisely: left out, as in accountable-for-finding.
OPTIONAL MATCH (who:Person)-[holds:HOLDS]->(p:Post {id: post_id})
  WHERE (holds.start_date IS NULL OR holds.start_date <= last_day)
    AND (holds.end_date IS NULL OR holds.end_date >= first_day)
    AND NOT (holds.start_date IS NULL AND holds.end_date IS NULL
             AND EXISTS { MATCH (who)-[d:HOLDS]->(p)
                          WHERE d.start_date IS NOT NULL OR d.end_date IS NOT NULL })
RETURN f.name AS finding,
       f.ref AS paragraph,
       x.name AS criticised,
       p.name AS post,
       who.name AS person,
       CASE WHEN holds IS NULL THEN null
            WHEN holds.start_date IS NULL THEN 'tenure dates not recorded'
            ELSE 'in post' END AS tenure,
       i AS inspection_node, found, f AS finding_node, concerns, x AS criticised_node,
       accountable, o AS post_node, holds, who AS person_node
ORDER BY finding, criticised, post, person, tenure
