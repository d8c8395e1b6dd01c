// name: accountable-for-finding
// title: Who was accountable for a finding
// description: What a finding concerns and who answered for it: each post it concerns, and
//   for a body or service each post accountable for it or for what it is part of (up to two
//   levels up), with the people who held those posts during the inspection (a tenure that
//   overlaps the inspection's first to last day; no recorded end means still in post). A
//   tenure with no recorded dates is listed as such; a concerned body or service with no
//   accountable post gives a row without a post. A tenure recorded without dates is left
//   out where the same person's tenure of the same post is recorded with dates.
// param finding: entity Finding, example "finding/2017-insufficient-scrutiny" -- the finding (an id or a name)
// param day: date, default null -- who was in post on this day instead (null: the inspection's days)

MATCH (i:Inspection)-[:FOUND]->(f:Finding {id: $finding})-[c:CONCERNS]->(x)
// The posts that answer for x: x itself when it is a post (both hops of zero length), else
// the posts accountable for x or for what x is part of.
OPTIONAL MATCH (x)-[:PART_OF*0..2]->(u)<-[:ACCOUNTABLE_FOR*0..1]-(o:Post)
// The days that count: `day` if given, else the inspection's first and last days (its
// publication date when those are not recorded).
WITH x, c, o, u,
     coalesce($day, i.start_date, i.published_date) AS first_day,
     coalesce($day, i.end_date, i.start_date, i.published_date) AS last_day
// A tenure recorded without dates beside a dated one of the same person and post is taken
// as the same tenure, recorded less precisely (a news report naming her in post), and left
// out: it would list the person twice.
OPTIONAL MATCH (who:Person)-[h:HOLDS]->(o)
  WHERE (first_day IS NULL
         OR ((h.start_date IS NULL OR h.start_date <= last_day)
             AND (h.end_date IS NULL OR h.end_date >= first_day)))
    AND NOT (h.start_date IS NULL AND h.end_date IS NULL
             AND EXISTS { MATCH (who)-[d:HOLDS]->(o)
                          WHERE d.start_date IS NOT NULL OR d.end_date IS NOT NULL })
RETURN x.name AS concerned,
       c.stance AS stance,
       o.name AS post,
       CASE WHEN x.id STARTS WITH 'person/' THEN 'the finding concerns the person'
            WHEN o IS NULL THEN 'no accountable post recorded'
            WHEN o.id = x.id THEN 'the finding concerns the post'
            ELSE 'accountable for ' + u.name END AS why,
       CASE WHEN x.id STARTS WITH 'person/' THEN x.name ELSE who.name END AS person,
       h.capacity AS capacity,
       h.start_date AS since,
       h.end_date AS until,
       CASE WHEN who IS NULL THEN null
            WHEN first_day IS NULL THEN 'inspection undated'
            WHEN h.start_date IS NULL THEN 'tenure dates not recorded'
            ELSE 'in post' END AS tenure
ORDER BY concerned, post, why, person, since
