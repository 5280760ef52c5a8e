import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { mapFinnhubFrame } from '../../../src/sources/finnhub/mapper.ts';
import { IngestSequence } from '../../../src/sources/ingest-sequence.ts';

interface Fixture {
  readonly description: string;
  readonly raw: string;
  readonly expected: {
    readonly records: ReadonlyArray<{ symbol: string; price: number; size: number; conditions: string[] | null; tsEvent: number }>;
    readonly deadLetters: ReadonlyArray<{ reason: string; raw?: string }>;
    readonly control?: unknown;
  };
}

const FIXTURES = new URL('../../fixtures/finnhub/', import.meta.url);
const TS_RECV = 1_700_000_009_000;

describe('mapFinnhubFrame on captured frames', () => {
  for (const file of readdirSync(FIXTURES).filter((name) => name.endsWith('.json'))) {
    const fixture = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as Fixture;
    it(`${file}: ${fixture.description}`, () => {
      const result = mapFinnhubFrame(fixture.raw, TS_RECV, new IngestSequence(() => 1_000), 'finnhub');
      assert.deepEqual(
        result.records.map(({ seq: _seq, ...rest }) => rest),
        fixture.expected.records.map((record) => ({ type: 'trade', source: 'finnhub', ...record, tsRecv: TS_RECV })),
      );
      // Sequence numbers are the trade's identity (no trade id exists): strictly increasing, duplicates included.
      const seqs = result.records.map((record) => record.seq);
      assert.deepEqual(seqs, seqs.map((_, i) => 1_000_000 + i));
      assert.deepEqual(
        result.deadLetters.map((letter) => ({ reason: letter.reason, ...(letter.raw === fixture.raw ? { raw: letter.raw } : {}) })),
        fixture.expected.deadLetters.map((letter) => ({ reason: letter.reason, ...(letter.raw ? { raw: letter.raw } : {}) })),
      );
      for (const letter of result.deadLetters) {
        assert.equal(letter.type, 'dead-letter');
        assert.equal(letter.origin, 'finnhub');
        assert.equal(letter.tsRecv, TS_RECV);
      }
      assert.deepEqual(result.control, fixture.expected.control);
    });
  }
});

describe('mapFinnhubFrame edge cases', () => {
  const map = (raw: string) => mapFinnhubFrame(raw, TS_RECV, new IngestSequence(), 'simulator');

  it('stamps the given source on trades and dead letters', () => {
    const result = map('{"type":"trade","data":[{"s":"AAPL","p":1,"t":2,"v":3},{"s":"AAPL"}]}');
    assert.equal(result.records[0]?.source, 'simulator');
    assert.equal(result.deadLetters[0]?.origin, 'simulator');
    assert.equal(result.deadLetters[0]?.raw, '{"s":"AAPL"}', 'a bad entry is kept on its own, not the whole frame');
  });

  it('dead-letters frames that are not objects or have no data array', () => {
    for (const raw of ['42', '[]', 'null', '{"type":"trade"}', '{"type":"trade","data":{}}', '{"data":[]}']) {
      const result = map(raw);
      assert.equal(result.records.length, 0, raw);
      assert.equal(result.deadLetters.length, 1, raw);
      assert.equal(result.deadLetters[0]?.raw, raw);
    }
  });

  it('accepts an empty batch and numeric condition codes (as strings)', () => {
    assert.deepEqual(map('{"type":"trade","data":[]}'), { records: [], deadLetters: [] });
    assert.deepEqual(map('{"type":"trade","data":[{"s":"AAPL","p":1,"t":2,"v":3,"c":[1,"12"]}]}').records[0]?.conditions, ['1', '12']);
  });

  it('reports an error frame whose msg is not a string', () => {
    assert.deepEqual(map('{"type":"error"}').control, { type: 'error', message: 'null' });
  });
});
