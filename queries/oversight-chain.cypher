// name: oversight-chain
// title: The oversight chain above a service or body
// description: Everything above an entity, level by level: what it is part of, the bodies
//   and posts that oversee it, answer for it or chair it (or anything it is part of), the
//   posts those report to, and the people in each: post holders, chairs and members, up to
//   the elected members. Level 1 is directly above the entity.
// param entity: entity Service|Body|Post, example "service/mash" -- a service, body or post (an id, a name or an alias)
// view: link

MATCH (x:Service|Body|Post {id: $entity})
// 1. What the entity is part of, up to three levels. (`a` carries the labels PART_OF
//    reaches, and in 2 those OVERSEES, ACCOUNTABLE_FOR and CHAIRS start from: LadybugDB then
//    reads those tables, not every one. A label on `b` sends it to a far slower plan.)
OPTIONAL MATCH up = (x)-[:PART_OF*0..2]->(b)-[r:PART_OF]->(a:Body|Service)
WITH x, collect({level: length(up), relation: 'is part of', rel_id: r.id, below_id: b.id,
                 above_id: a.id}) AS parts
// 2. Who oversees, answers for or chairs the entity or anything it is part of.
OPTIONAL MATCH up = (x)-[:PART_OF*0..3]->(b)<-[r:OVERSEES|ACCOUNTABLE_FOR|CHAIRS]-(a:Body|Post|Person)
WITH x, parts,
     collect({level: length(up),
              relation: CASE WHEN r.id CONTAINS '|OVERSEES|' THEN 'is overseen by'
                             WHEN r.id CONTAINS '|ACCOUNTABLE_FOR|' THEN 'is answered for by'
                             ELSE 'is chaired by' END,
              rel_id: r.id, below_id: b.id, above_id: a.id}) AS overseers
// 3. The posts those posts report to, up to three levels: walked from each overseeing post
//    found in 2 rather than by walking 2 again (70 -> 46 ms at N=153). overseers always has
//    a step, so no row is lost. (Unwound with parts and filtered: Neo4j's linter reads the
//    keys of a map from `overseers` alone as property names it does not know.)
UNWIND parts + overseers AS o
WITH parts, overseers, o
  WHERE o.relation <> 'is part of'
OPTIONAL MATCH (p:Post) WHERE p.id = o.above_id
OPTIONAL MATCH up = (p)-[:REPORTS_TO*0..2]->(b:Post)-[r:REPORTS_TO]->(a:Post)
WITH parts, overseers,
     collect({level: o.level + length(up), relation: 'reports to', rel_id: r.id,
              below_id: b.id, above_id: a.id}) AS lines
// One row per step (relationship) and level; an OPTIONAL MATCH that found nothing left a
// step with no `rel_id`.
UNWIND parts + overseers + lines AS step
WITH DISTINCT step
  WHERE step.rel_id IS NOT NULL
// The people in each post or body above: holders, chairs and members, each once, by name.
// (Found before the step's path is built, so that no path is grouped on; sorted, then a
// plain collect, as LadybugDB's collect(DISTINCT ...) does not keep the order of its input.)
WITH step, step.above_id AS above_id
OPTIONAL MATCH (who:Person)-[:HOLDS|CHAIRS|MEMBER_OF]->(o:Body|Post)
  WHERE o.id = above_id
WITH DISTINCT step, who.name AS person
  ORDER BY person
  SKIP 0
WITH step, coalesce(collect(person), []) AS people
WITH step, people, step.below_id AS below_id, step.above_id AS above_id, step.rel_id AS rel_id
// The step itself, as a one-hop path for the graph view: both ends looked up by id, each
// in a clause of its own, then the relationship between the two. (The labels spare
// LadybugDB a scan of every table; with the ends bound first it walks from them instead of
// joining every relationship of the five types to the steps, 46 -> 36 ms at N=153.)
MATCH (b:Service|Body|Post|Person) WHERE b.id = below_id
WITH step, people, b, above_id, rel_id
MATCH (a:Service|Body|Post|Person) WHERE a.id = above_id
WITH step, people, b, a, rel_id
MATCH hop = (b)-[s:PART_OF|OVERSEES|ACCOUNTABLE_FOR|CHAIRS|REPORTS_TO]-(a)
  WHERE s.id = rel_id
RETURN step.level AS level,
       b.name AS below,
       step.relation AS relation,
       a.name AS above,
       a.id AS above_id,
       people,
       hop AS link
ORDER BY level, below, relation, above
