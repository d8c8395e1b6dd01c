// shortest-connection on Neo4j: its own shortest-path search instead of enumerating every
// path of up to four steps (queries/shortest-connection.cypher, which both engines take).
// The same parameters, columns and rows: every shortest path, CITED_IN left out.
MATCH (a {id: $from_id}), (b {id: $to_id})
MATCH p = allShortestPaths((a)-[:HOLDS|MEMBER_OF|CHAIRS|OVERSEES|ACCOUNTABLE_FOR|REPORTS_TO|PART_OF|CONDUCTED_BY|INSPECTED|INSPECTOR_ON|HAS_JUDGEMENT|FOUND|CONCERNS|FOLLOWS_UP|REPORTS|MEASURE_OF|SAID|ABOUT|PUBLISHED|WROTE|COVERS*1..4]-(b))
WITH p AS path, length(p) AS fewest
  LIMIT $limit
UNWIND nodes(path) AS n
WITH path AS path, fewest, collect(n.name) AS route
UNWIND relationships(path) AS r
WITH path AS path, fewest, route, collect(r.id) AS steps
RETURN fewest AS hops, route, steps, path AS connection
