// name: recommendations-followed-up
// title: Recommendations and what later inspections said about them
// description: Every recommendation, oldest first, with each later finding that follows it
//   up (directly or through visits in between) and its verdict: improved, persists,
//   resolved or worsened; no follow-up gives one row with none. `revisits` lists the
//   earlier findings the recommendation itself follows up.
// param inspection: entity Inspection, default null, example "inspection/ofsted-2019" -- only the recommendations of this inspection (an id or a name; null: all)
// param facts_only: bool, default false -- leave out links and findings marked inferred (`oversight --facts-only` sets it)

MATCH (i:Inspection)-[:FOUND]->(r:Finding {kind: 'recommendation'})
  WHERE $inspection IS NULL OR i.id = $inspection
// Later findings that follow it up: a finding of a later inspection with a FOLLOWS_UP link
// to the recommendation, or to a finding that follows it up, up to three links back. The
// chains are walked one fixed step at a time, not as a path of 1 to 3 steps: LadybugDB runs
// single steps several times faster than a variable-length walk and its path. Each row is
// one walk back from the recommendation (n1 follows it up, n2 follows n1 up, ...).
OPTIONAL MATCH (r)<-[s1:FOLLOWS_UP]-(n1:Finding)
OPTIONAL MATCH (n1)<-[s2:FOLLOWS_UP]-(n2:Finding)
OPTIONAL MATCH (n2)<-[s3:FOLLOWS_UP]-(n3:Finding)
OPTIONAL MATCH (l1:Inspection)-[f1:FOUND]->(n1)
OPTIONAL MATCH (l2:Inspection)-[f2:FOUND]->(n2)
OPTIONAL MATCH (l3:Inspection)-[f3:FOUND]->(n3)
// With facts_only, a chain that rests on an inference anywhere is no follow-up: the later
// finding, its inspection and FOUND link, every FOLLOWS_UP link and finding on the way back,
// and the recommendation itself. (Only properties pass the WITH: a node passed on would
// bring all its properties along in LadybugDB.)
WITH i, r,
     $facts_only = true
       AND (r.inferred IS NOT NULL OR s1.inferred IS NOT NULL OR n1.inferred IS NOT NULL)
       AS out1,
     $facts_only = true AND (s2.inferred IS NOT NULL OR n2.inferred IS NOT NULL) AS out2,
     $facts_only = true AND (s3.inferred IS NOT NULL OR n3.inferred IS NOT NULL) AS out3,
     l1.id AS l1_id, l1.name AS l1_name, n1.name AS n1_name, s1.status AS s1_status,
     $facts_only = true AND (l1.inferred IS NOT NULL OR f1.inferred IS NOT NULL) AS at1,
     l2.id AS l2_id, l2.name AS l2_name, n2.name AS n2_name, s2.status AS s2_status,
     $facts_only = true AND (l2.inferred IS NOT NULL OR f2.inferred IS NOT NULL) AS at2,
     l3.id AS l3_id, l3.name AS l3_name, n3.name AS n3_name, s3.status AS s3_status,
     $facts_only = true AND (l3.inferred IS NOT NULL OR f3.inferred IS NOT NULL) AS at3
// The follow-ups a walk holds: n1, n2 and n3 each, with the verdict on its own link.
UNWIND [{inspection: l1_name, finding: n1_name, status: s1_status,
         kept: l1_id IS NOT NULL AND NOT (out1 OR at1)},
        {inspection: l2_name, finding: n2_name, status: s2_status,
         kept: l2_id IS NOT NULL AND NOT (out1 OR out2 OR at2)},
        {inspection: l3_name, finding: n3_name, status: s3_status,
         kept: l3_id IS NOT NULL AND NOT (out1 OR out2 OR out3 OR at3)}] AS up
WITH i, r,
     collect({inspection: CASE WHEN up.kept = true THEN up.inspection END,
              finding: CASE WHEN up.kept = true THEN up.finding END,
              status: CASE WHEN up.kept = true THEN up.status END}) AS ups,
     count(CASE WHEN up.kept = true THEN 1 END) AS kept
// Every follow-up kept, or one row with none.
UNWIND ups AS up
WITH DISTINCT i, r, up.inspection AS followed_up_in, up.finding AS follow_up,
     up.status AS status, kept
  WHERE follow_up IS NOT NULL OR kept = 0
// What the recommendation revisits from before.
OPTIONAL MATCH (r)-[back:FOLLOWS_UP]->(before:Finding)
  WHERE $facts_only = false OR (back.inferred IS NULL AND before.inferred IS NULL)
WITH i, r, followed_up_in, follow_up, status, before.id AS before_id,
     before.name AS before_name
  ORDER BY before_id
  SKIP 0
WITH i, r, followed_up_in, follow_up, status, coalesce(collect(before_name), []) AS revisits
RETURN i.name AS recommended_in,
       coalesce(i.start_date, i.published_date) AS date,
       r.id AS recommendation_id,
       r.name AS recommendation,
       revisits,
       followed_up_in,
       follow_up,
       status
ORDER BY date, recommended_in, recommendation_id, followed_up_in, follow_up
