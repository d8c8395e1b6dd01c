"""Cypher statements derived from the schema.

The write statements are the same text for both stores (the lint gate checks them against
Neo4j's linter); only the DDL differs: LadybugDB needs tables, Neo4j takes constraints.
Labels and types in these texts come from the schema, never from user input.
"""

from __future__ import annotations

from oversight.graph.schema import Label, RelType, Schema, stored_columns


def ladybug_ddl(schema: Schema) -> list[str]:
    """CREATE TABLE statements for LadybugDB, nodes first (relationship tables need them)."""
    statements = []
    for label in schema.labels:
        columns = ", ".join(
            f"{name} {type_}" for name, type_ in stored_columns(schema.node_properties(label))
        )
        statements.append(
            f"CREATE NODE TABLE IF NOT EXISTS {label.name}({columns}, PRIMARY KEY (id))"
        )
    for reltype in schema.reltypes:
        pairs = ", ".join(f"FROM {s} TO {t}" for s in reltype.sources for t in reltype.targets)
        columns = "".join(
            f", {name} {type_}" for name, type_ in stored_columns(schema.rel_properties(reltype))
        )
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {reltype.name}({pairs}{columns})")
    return statements


def ladybug_columns(schema: Schema) -> dict[str, list[tuple[str, str]]]:
    """Every table's columns and types, as the DDL above declares them."""
    tables = {label.name: stored_columns(schema.node_properties(label)) for label in schema.labels}
    for reltype in schema.reltypes:
        tables[reltype.name] = stored_columns(schema.rel_properties(reltype))
    return tables


def neo4j_schema(schema: Schema) -> list[str]:
    """Uniqueness constraints on every label's id, and indexes on names and relationship ids."""
    statements = []
    for label in schema.labels:
        low = label.name.lower()
        statements.append(
            f"CREATE CONSTRAINT {low}_id IF NOT EXISTS FOR (n:{label.name}) REQUIRE n.id IS UNIQUE"
        )
        statements.append(f"CREATE INDEX {low}_name IF NOT EXISTS FOR (n:{label.name}) ON (n.name)")
    for reltype in schema.reltypes:
        low = reltype.name.lower()
        statements.append(
            f"CREATE INDEX {low}_id IF NOT EXISTS FOR ()-[r:{reltype.name}]-() ON (r.id)"
        )
    return statements


def _sets(var: str, columns: list[str], absent: frozenset[str]) -> str:
    """`SET` items for every column but id; columns no row has are set to a literal null."""
    return ", ".join(
        f"{var}.{name} = {'null' if name in absent else 'row.' + name}"
        for name in columns
        if name != "id"
    )


def upsert_nodes(schema: Schema, label: Label, absent: frozenset[str] = frozenset()) -> str:
    """MERGE a batch of nodes of one label by id and set every property (absent ones to null)."""
    columns = [name for name, _ in stored_columns(schema.node_properties(label))]
    sets = _sets("n", columns, absent)
    merge = f"UNWIND $rows AS row MERGE (n:{label.name} {{id: row.id}})"
    return merge + (f" SET {sets}" if sets else "")


def upsert_relationships(
    schema: Schema,
    reltype: RelType,
    source: str,
    target: str,
    absent: frozenset[str] = frozenset(),
) -> str:
    """MERGE a batch of relationships of one type between two labels by the relationship's id."""
    columns = [name for name, _ in stored_columns(schema.rel_properties(reltype))]
    sets = _sets("r", columns, absent)
    return (
        f"UNWIND $rows AS row MATCH (a:{source} {{id: row.from_id}}) "
        f"MATCH (b:{target} {{id: row.to_id}}) "
        f"MERGE (a)-[r:{reltype.name} {{id: row.id}}]->(b)" + (f" SET {sets}" if sets else "")
    )


def count_nodes(label: Label) -> str:
    return f"MATCH (n:{label.name}) RETURN count(n) AS count"


def count_relationships(reltype: RelType) -> str:
    return f"MATCH ()-[r:{reltype.name}]->() RETURN count(r) AS count"


CLEAR = "MATCH (n) DETACH DELETE n"

# Neo4j runs transactions at read committed: a `load --replace` whose DETACH DELETE has passed
# cannot see what another load commits meanwhile, so two loads at once could both succeed and
# leave a mix of both datasets. So every write transaction of a load starts by creating a node
# with this id under the first label's uniqueness constraint: that takes the index entry's
# exclusive lock until the transaction ends, and write transactions take turns. The node is
# deleted before the commit (by a --replace sooner), so nobody ever sees it. No dataset id can
# be this one (ids start with a label's prefix).
WRITE_LOCK_ID = "oversight:write-lock"


def neo4j_write_lock(schema: Schema) -> tuple[str, str]:
    """The statements that take and give back the write lock, each with parameter `lock`."""
    label = schema.labels[0].name
    return (
        f"CREATE (lock:{label} {{id: $lock}})",
        f"MATCH (lock:{label} {{id: $lock}}) DELETE lock",
    )


# Endpoints of relationships whose nodes a query did not return, on Neo4j (elementId is
# Neo4j's own; LadybugDB resolves its internal ids with its own lookup).
NEO4J_ENDPOINTS = "MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n) AS element, n"


def all_statements(schema: Schema) -> list[tuple[str, list[str]]]:
    """Every statement the stores send to Neo4j, with its parameters: what the lint gate checks."""
    statements: list[tuple[str, list[str]]] = [(s, []) for s in neo4j_schema(schema)]
    for label in schema.labels:
        every = frozenset(name for name, _ in stored_columns(schema.node_properties(label)))
        for absent in (frozenset(), every):
            statements.append((upsert_nodes(schema, label, absent), ["rows"]))
        statements.append((count_nodes(label), []))
    for reltype in schema.reltypes:
        every = frozenset(name for name, _ in stored_columns(schema.rel_properties(reltype)))
        statements.append((count_relationships(reltype), []))
        for source in reltype.sources:
            for target in reltype.targets:
                for absent in (frozenset(), every):
                    text = upsert_relationships(schema, reltype, source, target, absent)
                    statements.append((text, ["rows"]))
    statements.append((CLEAR, []))
    statements += [(text, ["lock"]) for text in neo4j_write_lock(schema)]
    statements.append((NEO4J_ENDPOINTS, ["ids"]))
    return statements
