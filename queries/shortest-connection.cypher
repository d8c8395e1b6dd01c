// name: shortest-connection
// title: The shortest connection between two entities
// description: The shortest chains of relationships, in any direction and at most four
//   steps long, that link two entities: the names along the way and each step's
//   relationship id (`start|TYPE|end`). Citations (CITED_IN) do not count as connections:
//   two things quoted by the same source are not thereby connected. When several chains
//   are equally short, up to `limit` of them come back, in no fixed order.
// param from_id: entity, example "person/brenda-mclaughlin" -- where the connection starts (an id, a name or an alias)
// param to_id: entity, example "person/debbie-jones" -- where it ends (an id, a name or an alias)
// param limit: int, default 10 -- at most this many equally short connections
// view: connection

// The portable shortest path: enumerate the bounded paths and keep the shortest. Every
// relationship type but CITED_IN is written out, so the search never walks into citations.
// Only the shortest are kept: LadybugDB walks may reuse a relationship, Neo4j's may not,
// but no shortest path reuses one, so both stores agree on these.
MATCH p = (a {id: $from_id})-[:HOLDS|MEMBER_OF|CHAIRS|OVERSEES|ACCOUNTABLE_FOR|REPORTS_TO|PART_OF|CONDUCTED_BY|INSPECTED|INSPECTOR_ON|HAS_JUDGEMENT|FOUND|CONCERNS|FOLLOWS_UP|REPORTS|MEASURE_OF|SAID|ABOUT|PUBLISHED|WROTE|COVERS*1..4]-(b {id: $to_id})
WITH min(length(p)) AS fewest
MATCH p = ({id: $from_id})-[:HOLDS|MEMBER_OF|CHAIRS|OVERSEES|ACCOUNTABLE_FOR|REPORTS_TO|PART_OF|CONDUCTED_BY|INSPECTED|INSPECTOR_ON|HAS_JUDGEMENT|FOUND|CONCERNS|FOLLOWS_UP|REPORTS|MEASURE_OF|SAID|ABOUT|PUBLISHED|WROTE|COVERS*1..4]-({id: $to_id})
  WHERE length(p) = fewest
// (LadybugDB wants a path renamed when a WITH passes it on.)
WITH p AS path, fewest
  LIMIT $limit
UNWIND nodes(path) AS n
WITH path AS path, fewest, collect(n.name) AS route
UNWIND relationships(path) AS r
WITH path AS path, fewest, route, collect(r.id) AS steps
RETURN fewest AS hops, route, steps, path AS connection
