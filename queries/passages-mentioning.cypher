// name: passages-mentioning
// title: Passages that mention an entity
// description: Every passage of the loaded documents (`oversight load-documents`) that
//   mentions an entity, across all sources, oldest source first: the source's title and date,
//   the paragraph reference where the source numbers paragraphs (and the passage's position
//   in any case), the words matched, how (exact, alias, acronym, post-holder, fuzzy) and the
//   linker's score, and the passage's text. An entity no loaded passage mentions gives no
//   rows (the command line says so on stderr).
// param entity: entity, example "person/debbie-jones" -- the entity (an id, a name or an alias)
// param min_score: float, default 0.0 -- leave out links scored lower (a post's holder: 0.6-0.8)

MATCH (p:Passage)-[m:MENTIONS]->(e {id: $entity})
  WHERE m.score >= $min_score
OPTIONAL MATCH (p)-[:IN_SOURCE]->(s:Source)
RETURN e.name AS entity,
       s.title AS source_title,
       s.id AS source_id,
       s.published_date AS published,
       p.ref AS ref,
       p.ordinal AS ordinal,
       m.surface AS matched,
       m.method AS method,
       m.score AS score,
       p.text AS passage
ORDER BY published, source_id, ordinal, matched, method, score
