import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { generateTopicSchemas, schemaText } from '../../scripts/schemas/generate.ts';
import { DEAD_LETTER_MAX_RAW, deadLetter } from '../../src/model/dead-letter.ts';
import { SCHEMA_DIR, schemaFile } from '../../src/schemas/topic-schemas.ts';
import { TOPIC_KINDS } from '../../src/topics.ts';
import { schemaProblems, topicSchemaValidators } from '../support/topic-schema-validators.ts';

const generated = generateTopicSchemas();

test('the committed schemas are what the code generates (run `npm run schemas` after changing a record type)', async () => {
  for (const kind of TOPIC_KINDS) {
    const committed = await readFile(schemaFile(kind), 'utf8');
    assert.ok(committed === schemaText(generated[kind]), `docs/schemas/${kind}.schema.json is stale: run npm run schemas`);
  }
  assert.deepEqual((await readdir(SCHEMA_DIR)).sort(), TOPIC_KINDS.map((kind) => `${kind}.schema.json`).sort(), 'docs/schemas/ holds one schema per topic kind and nothing else');
});

test('a topic carrying several record types is a oneOf discriminated by `type`', () => {
  for (const kind of ['raw', 'metrics'] as const) {
    assert.deepEqual(generated[kind].discriminator, { propertyName: 'type' });
    assert.ok(Array.isArray(generated[kind].oneOf) && generated[kind].oneOf.length === 3, `${kind}: ${JSON.stringify(generated[kind].oneOf)}`);
  }
  assert.equal(generated.priceEvents.oneOf, undefined);
});

test('the schemas keep the bounds the hand-written validators check', async () => {
  const validators = await topicSchemaValidators();
  const trade = { type: 'trade', source: 'finnhub', symbol: 'AAPL', price: 190.5, size: 10, conditions: null, tsEvent: 1, tsRecv: 2, seq: 7 };
  assert.equal(schemaProblems(validators.raw, trade), null);
  assert.equal(schemaProblems(validators.raw, { ...trade, extra: 'a later field' }), null, 'extra fields are allowed');
  assert.match(schemaProblems(validators.raw, { ...trade, price: 0 }) ?? '', /\/price must be > 0/);
  assert.match(schemaProblems(validators.raw, { ...trade, symbol: '' }) ?? '', /\/symbol must NOT have fewer than 1 characters/);
  assert.match(schemaProblems(validators.raw, { ...trade, type: 'tick' }) ?? '', /tag "type" must be in oneOf/);

  const letter = deadLetter('finnhub', 'not JSON', 'x'.repeat(DEAD_LETTER_MAX_RAW * 2));
  assert.equal(schemaProblems(validators.deadLetter, letter), null);
  assert.match(schemaProblems(validators.deadLetter, { ...letter, raw: 'x'.repeat(DEAD_LETTER_MAX_RAW + 1) }) ?? '', /\/raw must NOT have more than 4096 characters/);
});
