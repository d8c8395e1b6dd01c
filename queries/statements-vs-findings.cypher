// name: statements-vs-findings
// title: What was said against what inspectors found
// description: Each finding about an entity set against each statement about the same
//   entity (or about that finding), with both stances and whether they agree: `agree` (same
//   stance), `disagree` (one criticises, the other praises) or `differ` (one is neutral).
// param entity: entity Person|Post|Body|Service, example "body/overview-and-scrutiny" -- a person, post, body or service (an id, a name or an alias)

MATCH (i:Inspection)-[:FOUND]->(f:Finding)-[c:CONCERNS]->(e {id: $entity})
MATCH (s:Statement)-[a:ABOUT]->(t)
  WHERE t.id = e.id OR t.id = f.id
OPTIONAL MATCH (who)-[:SAID]->(s)
WITH i, f, c, s, a, t, e, who
  ORDER BY who.name
  SKIP 0
WITH i, f, c, s, a, t, e, coalesce(collect(who.name), []) AS speakers
RETURN coalesce(i.start_date, i.published_date) AS date,
       i.name AS inspection,
       f.name AS finding,
       c.stance AS finding_stance,
       s.name AS statement,
       speakers AS said_by,
       a.stance AS statement_stance,
       CASE WHEN c.stance IS NULL OR a.stance IS NULL THEN null
            WHEN c.stance = a.stance THEN 'agree'
            WHEN c.stance = 'neutral' OR a.stance = 'neutral' THEN 'differ'
            ELSE 'disagree' END AS agreement,
       CASE WHEN t.id = f.id THEN 'about the finding' ELSE 'about ' + e.name END AS statement_about,
       f.id AS finding_id,
       s.id AS statement_id
ORDER BY date, inspection, finding_id, statement_id
