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
OPTIONAL MATCH chain = (l)-[:FOUND]->(fl:Finding)-[v:FOLLOWS_UP]->()-[:FOLLOWS_UP*0..2]->
                       (fe:Finding)<-[:FOUND]-(e)
// With facts_only, a chain that rests on an inference anywhere gives no change. (LadybugDB
// takes relationships() of a path only once a WITH has passed it on under a new name.)
WITH judgements, fl, v, fe, chain AS hops
WITH judgements, fl, v, fe,
     $facts_only = true
       AND (any(s IN relationships(hops) WHERE s.inferred IS NOT NULL)
            OR any(n IN nodes(hops) WHERE n.inferred IS NOT NULL)) AS left_out
WITH judgements,
     collect({what: 'finding', overall: false, subject: fe.name, before: fe.kind,
              after: fl.kind, status: v.status, follow_up: fl.name,
              earlier_id: CASE WHEN left_out = true THEN null ELSE fe.id END,
              later_id: fl.id}) AS findings
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
