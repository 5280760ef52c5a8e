import { readFile } from 'node:fs/promises';
import { TOPIC_KINDS, type TopicKind } from '../topics.ts';

/** Where `npm run schemas` writes the JSON Schemas of the topics' records, and where the API reads them. */
export const SCHEMA_DIR = new URL('../../docs/schemas/', import.meta.url);

export const SCHEMA_MEDIA_TYPE = 'application/schema+json';

export function schemaFile(kind: TopicKind): URL {
  return new URL(`${kind}.schema.json`, SCHEMA_DIR);
}

export function isTopicKind(value: string): value is TopicKind {
  return (TOPIC_KINDS as readonly string[]).includes(value);
}

/** The published schema of `kind`'s records, as committed (docs/schemas/). */
export async function readTopicSchema(kind: TopicKind): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(schemaFile(kind), 'utf8')) as Record<string, unknown>;
}
