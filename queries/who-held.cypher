// name: who-held
// title: Who held a post on a day or over a period
// description: The people who held a post, or, given a service or body, every post
//   accountable for it or for what it is part of (up to two levels up), at any time from
//   `since` to `until` (either left out: no bound that side), each tenure with its capacity
//   and its start and end at the precision the sources give (`month`: only the month is
//   known). Dates known only to the month or year are compared by their first day: a
//   tenure that began in the period's last month counts (it may have begun after `until`),
//   and one that ended in the month `since` falls in is missed unless `since` is that
//   month's first day (both engines lack a common way to reach a month's last day). A
//   tenure recorded without dates is listed as such, unless the same person's tenure of
//   the same post is recorded with dates (then it is taken as that tenure); one recorded
//   as ended without dates is left out when `since` is given.
// param post: entity Post|Service|Body, example "post/director-of-childrens-services" -- a post, or a service or body whose accountable posts to list (an id, a name or an alias)
// param since: date, default null, example "2017-01-23" -- the period's first day
// param until: date, default null, example "2017-02-16" -- the period's last day
// order: since before until

MATCH (x:Post|Service|Body {id: $post})
OPTIONAL MATCH (x)-[:PART_OF*0..2]->(u)<-[:ACCOUNTABLE_FOR*0..1]-(o:Post)
WITH DISTINCT o
MATCH (who:Person)-[h:HOLDS]->(o)
  WHERE ($until IS NULL OR h.start_date IS NULL OR h.start_date <= $until)
    AND ($since IS NULL OR h.end_date IS NULL OR h.end_date >= $since)
    AND NOT (coalesce(h.ended, false) = true AND h.end_date IS NULL AND $since IS NOT NULL)
    AND NOT (h.start_date IS NULL AND h.end_date IS NULL
             AND EXISTS { MATCH (who)-[d:HOLDS]->(o)
                          WHERE d.start_date IS NOT NULL OR d.end_date IS NOT NULL })
RETURN o.name AS post,
       who.name AS person,
       h.capacity AS capacity,
       h.start_date AS started,
       h.start_precision AS started_precision,
       h.end_date AS finished,
       h.end_precision AS finished_precision,
       CASE WHEN h.start_date IS NULL AND h.end_date IS NULL AND h.ended = true
              THEN 'ended, dates not recorded'
            WHEN h.start_date IS NULL AND h.end_date IS NULL THEN 'dates not recorded'
            WHEN h.end_date IS NULL THEN 'no end recorded'
            ELSE 'dated' END AS tenure,
       o.id AS post_id,
       who.id AS person_id
ORDER BY post, started, person
