// Lint Cypher with Neo4j's own linter (Neo4j 5 catalogue of functions and procedures).
//
//   node lint.mjs < input.json > diagnostics.json
//
// Input: a JSON array of {"query": "...", "parameters": ["name", ...]}, or an object
//   {"schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...]},
//    "statements": [ ...same items... ]}
// The schema names are added to testData.mockSchema: the linter warns (severity 2) about labels,
// relationship types and read property keys it does not know, so real names must be declared
// for typos to stand out.
// Output: one JSON array with, per statement, a list of
//   {"severity": 1 error | 2 warning, "message": "...", "line": 0-based, "character": 0-based}.
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const readStdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

const union = (a = [], b = []) => [...new Set([...a, ...b])];

// The linter re-serialises the whole function/procedure catalogue with JSON.stringify on every
// call to see whether it changed (~10 ms a statement); ours never changes, so make that cheap.
function frozenCatalogue(registry, name) {
  const copy = structuredClone(registry);
  Object.defineProperty(copy, 'toJSON', { value: () => name, enumerable: false });
  return copy;
}

function buildSchema(extra = {}) {
  const mock = testData.mockSchema;
  const catalogue = (kind) => Object.fromEntries(
    Object.entries(mock[kind]).map(([v, reg]) => [v, frozenCatalogue(reg, `${kind} ${v}`)]),
  );
  return {
    ...mock,
    functions: catalogue('functions'),
    procedures: catalogue('procedures'),
    defaultLanguage: 'CYPHER 5',
    labels: union(mock.labels, extra.labels),
    relationshipTypes: union(mock.relationshipTypes, extra.relationshipTypes),
    propertyKeys: union(mock.propertyKeys, extra.propertyKeys),
  };
}

// The linter attributes every property key inside a node/relationship pattern to that pattern's
// variable, so `MATCH (a:Person {id: r.src})` warns "src is not present in the database" although
// `src` is a key of the map `r`. Its own rule is to check only properties of nodes and
// relationships, so drop a property warning whose key is read from a variable of another type.
const ACCESSED_VARIABLE = /(?:`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*))\s*\.\s*$/;

function isMapKeyFalsePositive(query, diagnostic, symbolTable) {
  const key = query.slice(diagnostic.offsets.start, diagnostic.offsets.end);
  if (!diagnostic.message.startsWith(`${key} is not present in the database.`)) return false;
  const match = query.slice(0, diagnostic.offsets.start).match(ACCESSED_VARIABLE);
  if (!match) return false;
  const name = match[1] ?? match[2];
  const symbol = symbolTable.find((s) => s.variable === name);
  return Boolean(symbol) && !symbol.types.every((t) => t === 'Node' || t === 'Relationship');
}

function lintOne(schema, { query, parameters = [] }) {
  // Only presence is checked, so any value declares a parameter.
  const params = Object.fromEntries(parameters.map((name) => [name, 'value']));
  const { diagnostics, symbolTables } = lintCypherQuery(
    query,
    { ...schema, parameters: params },
    { consoleCommandsEnabled: false },
  );
  const symbols = symbolTables.flat();
  return diagnostics
    .filter((d) => !isMapKeyFalsePositive(query, d, symbols))
    .map((d) => ({
      severity: d.severity,
      message: d.message,
      line: d.range.start.line,
      character: d.range.start.character,
    }));
}

function lintAll(schema, statements) {
  const dbSchema = buildSchema(schema);
  return statements.map((s) => lintOne(dbSchema, s));
}

const input = JSON.parse(await readStdin());
const { schema = {}, statements } = Array.isArray(input) ? { statements: input } : input;
process.stdout.write(JSON.stringify(lintAll(schema, statements)) + '\n');
