import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';
import { isTopicKind, SCHEMA_MEDIA_TYPE, schemaFile } from '../../schemas/topic-schemas.ts';
import { TOPIC_KINDS, type TopicKind, type Topics } from '../../topics.ts';
import { HttpProblem } from '../problem.ts';
import { PROBLEM_SCHEMA } from '../schemas.ts';

export interface SchemaRouteOptions {
  /** The topic names as this deployment configures them. */
  readonly topics: Topics;
}

const INDEX_SCHEMA = {
  type: 'object',
  properties: {
    schemas: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', description: 'the topic kind, e.g. raw, priceEvents' },
          topic: { type: 'string', description: 'the Kafka topic it names here, with the configured prefix' },
          description: { type: 'string', description: 'what its records are and their key' },
          url: { type: 'string', description: 'its JSON Schema (draft 2020-12)' },
        },
      },
    },
  },
} as const;

/**
 * The JSON Schemas of the records on every topic (docs/schemas/, made by `npm run schemas`), read
 * once at start: a missing file stops the app from starting instead of answering 500 later.
 */
export const schemaRoutes: FastifyPluginAsync<SchemaRouteOptions> = async (app, { topics }) => {
  const texts = new Map<TopicKind, string>();
  for (const kind of TOPIC_KINDS) texts.set(kind, await readFile(schemaFile(kind), 'utf8'));
  const index = TOPIC_KINDS.map((kind) => ({
    kind,
    topic: topics[kind],
    description: (JSON.parse(texts.get(kind)!) as { description?: string }).description ?? '',
    url: `/v1/schemas/${kind}`,
  }));

  app.get('/v1/schemas', { schema: { summary: 'The record schema of every topic, with its topic name as configured', tags: ['schemas'], response: { 200: INDEX_SCHEMA } } }, async () => ({ schemas: index }));

  app.get<{ Params: { kind: string } }>(
    '/v1/schemas/:kind',
    {
      schema: {
        summary: `The JSON Schema (draft 2020-12, ${SCHEMA_MEDIA_TYPE}) of the records on one topic`,
        tags: ['schemas'],
        params: { type: 'object', properties: { kind: { type: 'string', description: `one of ${TOPIC_KINDS.join(', ')}` } } },
        response: { 200: { description: 'the schema', type: 'object', additionalProperties: true }, 404: PROBLEM_SCHEMA },
      },
    },
    async (request, reply) => {
      const { kind } = request.params;
      if (!isTopicKind(kind)) throw new HttpProblem(404, 'Not Found', `no topic kind ${JSON.stringify(kind)}; known: ${TOPIC_KINDS.join(', ')}`);
      return reply.type(SCHEMA_MEDIA_TYPE).send(texts.get(kind));
    },
  );
};
