// shortest-connection on LadybugDB: its own breadth-first search (ALL SHORTEST) instead of
// enumerating every path of up to four steps twice (queries/shortest-connection.cypher,
// which both engines take). The same parameters, columns and rows: every shortest path,
// CITED_IN left out. (No WITH after the search: LadybugDB 0.14 fails on an ALL SHORTEST
// path passed through WITH or UNWIND, KU_UNREACHABLE; rels() is its relationships().)
// The start carries its entity's label (a label slot, queries/labels.py): the search then
// starts from one table, not every one, about 0.65x the time at N=153. Labelling the end as
// well is slower (0.75x).
MATCH p = (a:`{from_id}` {id: $from_id})-[:HOLDS|MEMBER_OF|CHAIRS|OVERSEES|ACCOUNTABLE_FOR|REPORTS_TO|PART_OF|CONDUCTED_BY|INSPECTED|INSPECTOR_ON|HAS_JUDGEMENT|FOUND|CONCERNS|FOLLOWS_UP|REPORTS|MEASURE_OF|SAID|ABOUT|PUBLISHED|WROTE|COVERS* ALL SHORTEST 1..4]-(b {id: $to_id})
RETURN length(p) AS hops,
       properties(nodes(p), 'name') AS route,
       properties(rels(p), 'id') AS steps,
       p AS connection
LIMIT $limit
