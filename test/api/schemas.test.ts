import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { readTopicSchema } from '../../src/schemas/topic-schemas.ts';
import { TOPIC_KINDS, topicNames } from '../../src/topics.ts';
import { idleStatus } from '../support/pipeline-status.ts';

const topics = topicNames('staging.');
let app: FastifyInstance;

before(async () => {
  app = await buildApp({ status: idleStatus, schemas: { topics }, auth: { adminToken: 'admin-token-of-the-schemas-test' } });
  await app.ready();
});
after(() => app?.close());

it('GET /v1/schemas lists every topic kind with its configured topic name and schema URL', async () => {
  const response = await app.inject({ method: 'GET', url: '/v1/schemas' });
  assert.equal(response.statusCode, 200, response.body);
  const { schemas } = response.json() as { schemas: { kind: string; topic: string; description: string; url: string }[] };
  assert.deepEqual(schemas.map((entry) => entry.kind), [...TOPIC_KINDS]);
  const raw = schemas.find((entry) => entry.kind === 'raw')!;
  assert.equal(raw.topic, 'staging.raw-market-data');
  assert.equal(raw.url, '/v1/schemas/raw');
  assert.match(raw.description, /keyed by symbol/);
  for (const entry of schemas) assert.equal(entry.topic, topics[entry.kind as keyof typeof topics]);
});

it('GET /v1/schemas/:kind answers the committed schema as application/schema+json', async () => {
  for (const kind of TOPIC_KINDS) {
    const response = await app.inject({ method: 'GET', url: `/v1/schemas/${kind}` });
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /^application\/schema\+json/);
    assert.deepEqual(response.json(), await readTopicSchema(kind), kind);
  }
  const metrics = (await app.inject({ method: 'GET', url: '/v1/schemas/metrics' })).json() as { $schema: string; oneOf: unknown[] };
  assert.equal(metrics.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(metrics.oneOf.length, 3);
});

it('an unknown kind is a 404 problem naming the known ones', async () => {
  const response = await app.inject({ method: 'GET', url: '/v1/schemas/trades' });
  assert.equal(response.statusCode, 404, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  assert.match((response.json() as { detail: string }).detail, /no topic kind "trades"; known: raw, metrics, priceEvents/);
});

it('the routes are in the OpenAPI document', async () => {
  const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> };
  assert.ok(document.paths['/v1/schemas'], Object.keys(document.paths).join(', '));
  assert.ok(document.paths['/v1/schemas/{kind}']);
});
