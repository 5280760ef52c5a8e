import assert from 'node:assert/strict';
import { it } from 'node:test';
import { murmur2, partitionForKey } from '../../src/bus/partitioner.ts';

// Expected values from Kafka's own UtilsTest.testMurmur2 (Java client).
const JAVA_VECTORS: Array<[string, number]> = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

it('murmur2 matches the Java client bit for bit', () => {
  for (const [input, expected] of JAVA_VECTORS) assert.equal(murmur2(new TextEncoder().encode(input)), expected, input);
});

it('maps a key to a partition in range, the same every time', () => {
  for (const key of ['AAPL', 'OANDA:EUR_USD', 'BINANCE:BTCUSDT', '']) {
    const partition = partitionForKey(key, 6);
    assert.ok(partition >= 0 && partition < 6);
    assert.equal(partitionForKey(key, 6), partition);
  }
});
