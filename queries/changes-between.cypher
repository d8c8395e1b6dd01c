// name: changes-between
// title: What changed between two inspections
// description: For each area both inspections judged (by area name, any case), the grade
//   before and after and whether it improved; then each earlier finding that a later
//   finding follows up (directly, or through findings of visits in between): the kinds of
//   the two findings (weakness, strength...), the later one's summary, and the latest
//   verdict: improved, persists, resolved or worsened.
// param earlier: entity Inspection, example "inspection/ofsted-2017" -- the earlier inspection (an id or a name)
// param later: entity Inspection, example "inspection/ofsted-2019" -- the later inspection (an id or a name)
// order: earlier before later
// param facts_only: bool, default false -- leave out a follow-up whose chain holds a link or finding marked inferred (`oversight --facts-only` sets it)

MATCH (e:Inspection {id: $earlier})
MATCH (l:Inspection {id: $later})
// 1. Judgements of the same area.
OPTIONAL MATCH (e)-[:HAS_JUDGEMENT]->(je:Judgement)
OPTIONAL MATCH (l)-[:HAS_JUDGEMENT]->(jl:Judgement)
  WHERE toLower(jl.area) = toLower(je.area)
WITH e, l, je, jl,
     // Ofsted's numbers: 1 outstanding ... 4 inadequate; lower is better.
     CASE je.grade WHEN 'outstanding' THEN 1 WHEN 'good' THEN 2
                   WHEN 'requires improvement' THEN 3 WHEN 'inadequate' THEN 4 END AS before,
     CASE jl.grade WHEN 'outstanding' THEN 1 WHEN 'good' THEN 2
                   WHEN 'requires improvement' THEN 3 WHEN 'inadequate' THEN 4 END AS after
WITH e, l,
     collect({what: 'judgement', overall: coalesce(je.overall, false), subject: je.area,
              before: je.grade, after: jl.grade,
              status: CASE WHEN after < before THEN 'improved'
                           WHEN after > before THEN 'worsened'
                           ELSE 'unchanged' END,
              follow_up: CASE WHEN false THEN '' END, earlier_id: je.id, later_id: jl.id})
       AS judgements
// 2. Findings that follow up an earlier finding. FOLLOWS_UP points from the later finding to
//    the earlier one; the verdict is on the link that leaves the later inspection's finding.
//    The chain from it (through findings of visits in between, up to three links) is walked
//    one fixed step at a time: LadybugDB runs single steps several times faster than a
//    variable-length walk and its path. Each row is one walk forward from fl to m1, m2, m3;
//    each of them that the earlier inspection found ends a chain.
OPTIONAL MATCH (l)-[lf:FOUND]->(fl:Finding)-[v:FOLLOWS_UP]->(m1:Finding)
OPTIONAL MATCH (m1)-[s2:FOLLOWS_UP]->(m2:Finding)
OPTIONAL MATCH (m2)-[s3:FOLLOWS_UP]->(m3:Finding)
// Which inspections found m1, m2 and m3 (kept only where it is the earlier one; written
// from a new variable: LadybugDB 0.14 missed rows of `(e)-[:FOUND]->(m3)` with both ends bound).
OPTIONAL MATCH (x1:Inspection)-[e1:FOUND]->(m1)
OPTIONAL MATCH (x2:Inspection)-[e2:FOUND]->(m2)
OPTIONAL MATCH (x3:Inspection)-[e3:FOUND]->(m3)
// With facts_only, a chain that rests on an inference anywhere gives no change: either
// inspection, their FOUND links, the later finding, and every link and finding on the way.
// (Only properties pass the WITH: a node passed on brings all its properties in LadybugDB.)
WITH judgements, fl.id AS fl_id, fl.name AS fl_name, fl.kind AS fl_kind, v.status AS status,
     $facts_only = true
       AND (l.inferred IS NOT NULL OR lf.inferred IS NOT NULL OR fl.inferred IS NOT NULL
            OR v.inferred IS NOT NULL OR e.inferred IS NOT NULL) AS out0,
     $facts_only = true AND m1.inferred IS NOT NULL AS out1,
     $facts_only = true AND (s2.inferred IS NOT NULL OR m2.inferred IS NOT NULL) AS out2,
     $facts_only = true AND (s3.inferred IS NOT NULL OR m3.inferred IS NOT NULL) AS out3,
     m1.id AS m1_id, m1.name AS m1_name, m1.kind AS m1_kind, x1.id = e.id AS by1,
     $facts_only = true AND e1.inferred IS NOT NULL AS at1,
     m2.id AS m2_id, m2.name AS m2_name, m2.kind AS m2_kind, x2.id = e.id AS by2,
     $facts_only = true AND e2.inferred IS NOT NULL AS at2,
     m3.id AS m3_id, m3.name AS m3_name, m3.kind AS m3_kind, x3.id = e.id AS by3,
     $facts_only = true AND e3.inferred IS NOT NULL AS at3
UNWIND [{id: m1_id, name: m1_name, kind: m1_kind,
         kept: by1 = true AND NOT (out0 OR out1 OR at1)},
        {id: m2_id, name: m2_name, kind: m2_kind,
         kept: by2 = true AND NOT (out0 OR out1 OR out2 OR at2)},
        {id: m3_id, name: m3_name, kind: m3_kind,
         kept: by3 = true AND NOT (out0 OR out1 OR out2 OR out3 OR at3)}] AS fe
WITH judgements,
     collect({what: 'finding', overall: false, subject: fe.name, before: fe.kind,
              after: fl_kind, status: status, follow_up: fl_name,
              earlier_id: CASE WHEN fe.kept = true THEN fe.id END,
              later_id: fl_id}) AS findings
UNWIND judgements + findings AS change
WITH DISTINCT change
  WHERE change.earlier_id IS NOT NULL AND change.later_id IS NOT NULL
RETURN change.what AS what,
       change.subject AS subject,
       change.before AS before,
       change.after AS after,
       change.status AS status,
       change.follow_up AS follow_up,
       change.earlier_id AS earlier_id,
       change.later_id AS later_id
ORDER BY what DESC, change.overall DESC, subject, later_id
