// name: evidence
// title: The evidence for an entity
// description: Every citation behind an entity and its relationships: first the entity's
//   own citations (source, title, paragraph, quote, whom the source attributes the claim
//   to, and whether it is the source's opinion), then each relationship to or from it with
//   its sources, paragraph references and quotes as three lists in the same order.
// param entity: entity, example "person/rachael-saunders" -- any entity (an id, a name or an alias)

MATCH (n {id: $entity})-[r]-(o)
// A relationship's id is `start|TYPE|end[|...]`. The entity's own citations are its
// CITED_IN relationships to sources; every other relationship carries its citations in
// the cite_sources, cite_refs and cite_quotes lists.
// (`= true` on purpose: LadybugDB 0.14 gets `CASE WHEN flag` wrong for a boolean
// variable or property.)
WITH n, r, o, r.id STARTS WITH (n.id + '|CITED_IN|') AS own
  WHERE own = true OR r.cite_sources IS NOT NULL
RETURN CASE WHEN own = true THEN n.id ELSE r.id END AS element,
       CASE WHEN own = true THEN 'the entity itself' ELSE o.name END AS related,
       CASE WHEN own = true THEN n.basis ELSE r.basis END AS basis,
       CASE WHEN own = true THEN [o.id] ELSE r.cite_sources END AS sources,
       CASE WHEN own = true THEN o.title END AS source_title,
       CASE WHEN own = true THEN [coalesce(r.ref, '')] ELSE r.cite_refs END AS refs,
       CASE WHEN own = true THEN [r.quote] ELSE r.cite_quotes END AS quotes,
       CASE WHEN own = true THEN r.reports END AS reports,
       CASE WHEN own = true THEN coalesce(r.opinion, false) END AS opinion
ORDER BY own DESC, element, r.id
