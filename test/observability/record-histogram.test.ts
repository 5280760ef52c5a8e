import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '../../src/observability/metrics.ts';
import { RecordHistogram } from '../../src/observability/record-histogram.ts';

const OBSERVED = [0, 0.001, 0.0011, 0.003, 0.003, 0.2, 1, 59.9, 60, 61, 3_600];

describe('RecordHistogram (the per-record hops)', () => {
  it('exposes exactly the text prom-client’s histogram does for the same observations, labelled or not', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const labelled = { name: 'hop_seconds', help: 'A hop', labelNames: ['processor'] as const, buckets: LATENCY_BUCKETS };
    const plain = { name: 'plain_seconds', help: 'Another', labelNames: [] as const, buckets: LATENCY_BUCKETS };
    const oursLabelled = new RecordHistogram({ ...labelled, registers: [ours] });
    const oursPlain = new RecordHistogram({ ...plain, registers: [ours] });
    const theirsLabelled = new Histogram({ ...labelled, labelNames: [...labelled.labelNames], buckets: [...LATENCY_BUCKETS], registers: [theirs] });
    new Histogram({ ...plain, labelNames: [], buckets: [...LATENCY_BUCKETS], registers: [theirs] });
    for (const [index, value] of OBSERVED.entries()) {
      const processor = index % 3 === 0 ? 'aggregator' : 'storage "main"';
      oursLabelled.labels({ processor }).observe(value);
      theirsLabelled.labels({ processor }).observe(value);
    }
    assert.equal(await ours.metrics(), await theirs.metrics());
    assert.match(await ours.metrics(), /plain_seconds_count 0/, 'the unlabelled series from the start');
    assert.match(await ours.metrics(), /hop_seconds_bucket\{le="0\.005",processor="aggregator"\} 2/);
    oursPlain.labels({}).observe(0.002);
    assert.match(await ours.metrics(), /plain_seconds_bucket\{le="0\.0025"\} 1/);
  });

  it('gives the same series to the same labels, zeroes on reset, and refuses a missing label or unordered buckets', async () => {
    const registry = new Registry();
    const histogram = new RecordHistogram({ name: 'x_seconds', help: 'x', labelNames: ['channel'], buckets: [1, 2], registers: [registry] });
    assert.equal(histogram.labels({ channel: 'bars' }), histogram.labels({ channel: 'bars' }));
    histogram.labels({ channel: 'bars' }).observe(1.5);
    assert.match(await registry.metrics(), /x_seconds_count\{channel="bars"\} 1/);
    registry.resetMetrics();
    assert.match(await registry.metrics(), /x_seconds_count\{channel="bars"\} 0/);
    assert.throws(() => histogram.labels({} as { channel: string }), /label channel missing/);
    assert.throws(() => new RecordHistogram({ name: 'y', help: 'y', labelNames: [], buckets: [2, 1], registers: [] }), /ascend/);
  });
});
