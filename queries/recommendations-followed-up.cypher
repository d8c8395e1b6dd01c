// name: recommendations-followed-up
// title: Recommendations and what later inspections said about them
// description: Every recommendation, oldest first, with each later finding that follows it
//   up (directly or through visits in between) and its verdict: improved, persists,
//   resolved or worsened; no follow-up gives one row with none. `revisits` lists the
//   earlier findings the recommendation itself follows up.
// param inspection: entity Inspection, default null -- only the recommendations of this inspection (an id or a name; null: all)
// param facts_only: bool, default false -- leave out links and findings marked inferred (`oversight --facts-only` sets it)

MATCH (i:Inspection)-[:FOUND]->(r:Finding {kind: 'recommendation'})
  WHERE $inspection IS NULL OR i.id = $inspection
// What the recommendation revisits from before.
OPTIONAL MATCH (r)-[back:FOLLOWS_UP]->(before:Finding)
  WHERE $facts_only = false OR (back.inferred IS NULL AND before.inferred IS NULL)
WITH i, r, before
  ORDER BY before.id
  SKIP 0
WITH i, r, coalesce(collect(before.name), []) AS revisits
// Later findings that follow it up; the verdict is on the link from the latest finding.
OPTIONAL MATCH chain = (li:Inspection)-[:FOUND]->(f:Finding)-[v:FOLLOWS_UP]->()
                       -[:FOLLOWS_UP*0..2]->(r)
// With facts_only, a chain that rests on an inference anywhere is no follow-up. (LadybugDB
// takes relationships() of a path only once a WITH has passed it on under a new name.)
WITH i, r, revisits, li, f, v, chain AS hops
WITH i, r, revisits, li, f, v,
     $facts_only = true
       AND (any(s IN relationships(hops) WHERE s.inferred IS NOT NULL)
            OR any(n IN nodes(hops) WHERE n.inferred IS NOT NULL)) AS left_out
WITH i, r, revisits,
     collect({inspection: CASE WHEN left_out = true THEN null ELSE li.name END,
              finding: CASE WHEN left_out = true THEN null ELSE f.name END,
              status: CASE WHEN left_out = true THEN null ELSE v.status END}) AS ups,
     count(CASE WHEN left_out = true THEN null ELSE f.id END) AS kept
// Every follow-up kept, or one row with none.
UNWIND ups AS up
WITH DISTINCT i, r, revisits, up, kept
  WHERE up.finding IS NOT NULL OR kept = 0
RETURN i.name AS recommended_in,
       coalesce(i.start_date, i.published_date) AS date,
       r.id AS recommendation_id,
       r.name AS recommendation,
       revisits,
       up.inspection AS followed_up_in,
       up.finding AS follow_up,
       up.status AS status
ORDER BY date, recommended_in, recommendation_id, followed_up_in, follow_up
