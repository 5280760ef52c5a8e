import { writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createGenerator, type Schema } from 'ts-json-schema-generator';
import { SCHEMA_DIR, schemaFile } from '../../src/schemas/topic-schemas.ts';
import { TOPIC_KINDS, type TopicKind } from '../../src/topics.ts';

type JsonObject = Record<string, unknown>;

const ROOT = 'RecordsByTopicKind';
const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The JSON Schema (draft 2020-12) of every topic kind's records, generated from the TypeScript types
 * in src/schemas/records-by-topic-kind.ts, their doc comments and JSDoc constraints. Extra fields are
 * allowed: a consumer must not break when a record gains one.
 */
export function generateTopicSchemas(): Record<TopicKind, JsonObject> {
  const generator = createGenerator({
    path: fileURLToPath(new URL('../../src/schemas/records-by-topic-kind.ts', import.meta.url)),
    tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)),
    type: ROOT,
    jsDoc: 'extended',
    additionalProperties: true,
    discriminatorType: 'open-api',
    sortProps: false,
    skipTypeCheck: true,
  });
  const definitions = generator.createSchema(ROOT).definitions as Record<string, Schema>;
  const topics = definitions[ROOT] as { properties: Record<string, Schema> };
  const schemas = {} as Record<TopicKind, JsonObject>;
  for (const kind of TOPIC_KINDS) {
    const property = topics.properties[kind];
    if (property === undefined) throw new Error(`${ROOT} in src/schemas/records-by-topic-kind.ts has no record type for topic kind ${kind}`);
    schemas[kind] = topicSchema(kind, property as JsonObject, definitions);
  }
  return schemas;
}

/** The record type named by `property` ({ $ref, description }) at the root, with the definitions it reaches under `$defs`. */
function topicSchema(kind: TopicKind, property: JsonObject, definitions: Record<string, Schema>): JsonObject {
  const { $ref, description } = property as { $ref: string; description?: string };
  const rootName = definitionName($ref);
  const { description: typeDescription, ...root } = definitions[rootName] as JsonObject;
  const reached = reachable(root, definitions, rootName);
  const schema: JsonObject = { $schema: DRAFT_2020_12, title: `tickflow ${kind} record`, description: description ?? typeDescription, ...root };
  if (reached.length > 0) schema.$defs = Object.fromEntries(reached.map((name) => [name, definitions[name]]));
  return inDraft2020(schema) as JsonObject;
}

/** Names of the definitions `schema` refers to, directly or through others, in first-use order. */
function reachable(schema: unknown, definitions: Record<string, Schema>, rootName: string): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = definitionName(value);
        if (name !== rootName && !found.includes(name)) {
          found.push(name);
          visit(definitions[name]);
        }
      } else visit(value);
    }
  };
  visit(schema);
  return found;
}

function definitionName(ref: string): string {
  return decodeURIComponent(ref.replace(/^#\/definitions\//, ''));
}

/** Draft-07 references (`#/definitions/X`) as draft 2020-12 ones (`#/$defs/X`). */
function inDraft2020(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(inDraft2020);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' ? value.replace(/^#\/definitions\//, '#/$defs/') : inDraft2020(value)]));
}

/** The committed file's text: stable key order as generated, two-space indent, final newline. */
export function schemaText(schema: JsonObject): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

async function writeSchemas(): Promise<void> {
  await mkdir(SCHEMA_DIR, { recursive: true });
  for (const [kind, schema] of Object.entries(generateTopicSchemas())) {
    await writeFile(schemaFile(kind as TopicKind), schemaText(schema));
    console.log(`wrote ${fileURLToPath(schemaFile(kind as TopicKind))}`);
  }
}

if (import.meta.main) await writeSchemas();
