import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { it } from 'node:test';
import { RecordLogger } from '../../../src/processors/logger/record-logger.ts';

it('prints topic, partition, offset, both clocks and the record, one line each', async () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const logger = new RecordLogger(['raw-market-data'], out);
  const value = { type: 'trade', symbol: 'AAPL', price: 146.76, size: 43, tsEvent: Date.UTC(2021, 7, 6, 8, 28, 50, 221), tsRecv: Date.UTC(2021, 7, 6, 8, 28, 50, 233) };
  const done = await logger.process([{ topic: 'raw-market-data', partition: 2, offset: 17, key: 'AAPL', timestamp: value.tsRecv, value }]);
  assert.equal(done.length, 1);
  assert.equal(text, `raw-market-data[2]@17 AAPL trade event=2021-08-06T08:28:50.221Z recv=+12ms ${JSON.stringify(value)}\n`);
  assert.deepEqual(logger.stats(), { lines: 1 });
});
