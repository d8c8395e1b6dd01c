// name: recommendations-followed-up
// title: Recommendations and what later inspections said about them
// description: Every recommendation, oldest first, with each later finding that follows it
//   up (directly or through visits in between) and its verdict: improved, persists,
//   resolved or worsened; no follow-up gives one row with none. `revisits` lists the
//   earlier findings the recommendation itself follows up.
// param inspection: string, default null -- only the recommendations of this inspection (its id; null: all)

MATCH (i:Inspection)-[:FOUND]->(r:Finding {kind: 'recommendation'})
  WHERE $inspection IS NULL OR i.id = $inspection
// What the recommendation revisits from before.
OPTIONAL MATCH (r)-[:FOLLOWS_UP]->(before:Finding)
WITH i, r, before
  ORDER BY before.id
  SKIP 0
WITH i, r, coalesce(collect(before.name), []) AS revisits
// Later findings that follow it up; the verdict is on the link from the latest finding.
OPTIONAL MATCH (li:Inspection)-[:FOUND]->(f:Finding)-[v:FOLLOWS_UP]->()-[:FOLLOWS_UP*0..2]->(r)
RETURN i.name AS recommended_in,
       coalesce(i.start_date, i.published_date) AS date,
       r.id AS recommendation_id,
       r.name AS recommendation,
       revisits,
       li.name AS followed_up_in,
       f.name AS follow_up,
       v.status AS status
ORDER BY date, recommended_in, recommendation_id, followed_up_in, follow_up
