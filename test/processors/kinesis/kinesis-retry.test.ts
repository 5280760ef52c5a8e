import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { KinesisSink, KinesisSinkError } from '../../../src/processors/kinesis/kinesis-sink.ts';
import { TEST_CREDENTIALS } from './kinesis-support.ts';

interface SentEntry {
  readonly key: string;
  readonly data: Record<string, unknown>;
  readonly bytes: number;
}

type Answer = { status: number; body: unknown } | { failEntries: (entry: SentEntry, index: number) => string | null };

/**
 * A Kinesis endpoint speaking the JSON 1.1 protocol for PutRecords, over real HTTP, whose answers the
 * test scripts request by request; it remembers every request and every record it accepted.
 */
class FakeKinesis {
  readonly requests: SentEntry[][] = [];
  readonly accepted: SentEntry[] = [];
  readonly requestTimes: number[] = [];
  script: ((request: number) => Answer | undefined) | null = null;
  readonly #server: Server = createServer((req, res) => void this.#handle(req).then(({ status, body }) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  }));
  endpoint = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.requests.length = 0;
    this.accepted.length = 0;
    this.requestTimes.length = 0;
    this.script = null;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.headers['x-amz-target'] !== 'Kinesis_20131202.PutRecords') return { status: 400, body: { __type: 'UnknownOperationException' } };
    const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { StreamName: string; Records: { Data: string; PartitionKey: string }[] };
    const entries = request.Records.map((r) => {
      const raw = Buffer.from(r.Data, 'base64');
      return { key: r.PartitionKey, data: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, bytes: raw.length + Buffer.byteLength(r.PartitionKey) };
    });
    const index = this.requests.length;
    this.requests.push(entries);
    this.requestTimes.push(Date.now());
    const answer = this.script?.(index);
    if (answer && 'status' in answer) return answer;
    let failed = 0;
    const records = entries.map((entry, i) => {
      const code = answer?.failEntries(entry, i) ?? null;
      if (code) {
        failed++;
        return { ErrorCode: code, ErrorMessage: `${code} for shard shardId-000000000000` };
      }
      this.accepted.push(entry);
      return { SequenceNumber: String(this.accepted.length), ShardId: 'shardId-000000000000' };
    });
    return { status: 200, body: { FailedRecordCount: failed, Records: records } };
  }
}

function records(count: number, value: (i: number) => Record<string, unknown> = (i) => ({ type: 'trade', seq: i })): BusRecord[] {
  return Array.from({ length: count }, (_, i) => ({ topic: 'raw-market-data', partition: i % 4, offset: i, key: `SYM${i % 3}`, value: value(i), timestamp: 0 }));
}

const seqs = (entries: readonly SentEntry[]) => entries.map((e) => e.data.seq as number);

describe('kinesis sink retries (fake Kinesis endpoint)', () => {
  const fake = new FakeKinesis();
  const sinkFor = (extra: Partial<ConstructorParameters<typeof KinesisSink>[0]> = {}) =>
    new KinesisSink({ streamName: 'fake', region: 'eu-west-1', endpoint: fake.endpoint, credentials: TEST_CREDENTIALS, flushMs: 600_000, retryBaseMs: 20, retryMaxMs: 200, ...extra });

  before(() => fake.start());
  after(() => fake.close());
  beforeEach(() => fake.reset());

  it('retries only the failed entries of a partial response, in order, until all are accepted', async () => {
    const codes = ['ProvisionedThroughputExceededException', 'InternalFailure'];
    // First request: every third entry fails; second: one of those fails again; third: all accepted.
    fake.script = (request) => ({
      failEntries: (_entry, i) => (request === 0 && i % 3 === 0 ? codes[i % 2]! : request === 1 && i === 1 ? 'ProvisionedThroughputExceededException' : null),
    });
    const sink = sinkFor({ batchSize: 30 });
    const batch = records(30);
    assert.deepEqual(await sink.process(batch), [], 'the write is under way, nothing durable yet');
    assert.deepEqual(await sink.close(), batch, 'durable once every record was accepted');
    assert.equal(fake.requests.length, 3);
    assert.deepEqual(seqs(fake.requests[0]!), batch.map((_, i) => i));
    assert.deepEqual(seqs(fake.requests[1]!), [0, 3, 6, 9, 12, 15, 18, 21, 24, 27], 'only the failed ones, in their order');
    assert.deepEqual(seqs(fake.requests[2]!), [3]);
    assert.deepEqual(seqs(fake.accepted).sort((a, b) => a - b), batch.map((_, i) => i), 'each accepted exactly once');
    for (const entry of fake.accepted) assert.equal(entry.key, `SYM${(entry.data.seq as number) % 3}`);
    const ingested = new Set(fake.requests.flat().map((e) => e.data.ingestedAt));
    assert.equal(ingested.size, 1, 'a retried record keeps its ingestedAt');
    assert.equal(sink.stats().retriedEntries, 11);
    assert.equal(sink.stats().sent, 30);
    assert.ok(fake.requestTimes[1]! - fake.requestTimes[0]! >= 10, 'backs off before retrying');
  });

  it('retries a throttled or failed call as a whole, with growing backoff', async () => {
    fake.script = (request) =>
      request === 0
        ? { status: 400, body: { __type: 'ProvisionedThroughputExceededException', message: 'Rate exceeded for stream fake' } }
        : request === 1
          ? { status: 400, body: { __type: 'LimitExceededException', message: 'slow down' } }
          : request === 2
            ? { status: 500, body: { __type: 'InternalFailure', message: 'oops' } }
            : undefined;
    const sink = sinkFor();
    const batch = records(5);
    await sink.process(batch);
    assert.deepEqual(await sink.close(), batch);
    assert.equal(fake.requests.length, 4);
    assert.equal(sink.stats().throttledCalls, 3);
    assert.deepEqual(seqs(fake.accepted), [0, 1, 2, 3, 4]);
    const gaps = fake.requestTimes.slice(1).map((t, i) => t - fake.requestTimes[i]!);
    assert.ok(gaps[0]! >= 9 && gaps[2]! >= 38, `backoff 20 ms doubling, half jittered: gaps ${gaps.join(', ')}`);
  });

  it('fails the batch (nothing durable) once the retry budget is spent', async () => {
    fake.script = () => ({ failEntries: (entry) => (entry.data.seq === 2 ? 'ProvisionedThroughputExceededException' : null) });
    const sink = sinkFor({ maxRetries: 3 });
    await sink.process(records(4));
    await assert.rejects(sink.close(), (error: unknown) => error instanceof KinesisSinkError && /after 3 retries: 1× ProvisionedThroughputExceededException; 1 of 4/.test(error.message));
    assert.equal(fake.requests.length, 4, 'the first try and 3 retries');
  });

  it('does not retry an error retrying cannot fix', async () => {
    fake.script = () => ({ status: 400, body: { __type: 'ResourceNotFoundException', message: 'Stream fake under account 000000000000 not found.' } });
    const sink = sinkFor();
    await sink.process(records(2));
    await assert.rejects(sink.close(), /ResourceNotFoundException/);
    assert.equal(fake.requests.length, 1);
  });

  it('splits requests at 500 records and at 5 MiB, keeping the order', async () => {
    const sink = sinkFor({ batchSize: 500 });
    const many = records(1_200);
    const durable = [...(await sink.process(many.slice(0, 600))), ...(await sink.process(many.slice(600))), ...(await sink.close())];
    assert.deepEqual(durable, many, 'every record durable, in order');
    assert.deepEqual(fake.requests.map((r) => r.length), [500, 100, 500, 100]);
    assert.deepEqual(seqs(fake.requests.flat()), many.map((_, i) => i));

    fake.reset();
    const big = sinkFor({ batchSize: 500 });
    const blob = 'y'.repeat(700 * 1024);
    await big.process(records(10, (i) => ({ seq: i, blob })));
    assert.equal((await big.close()).length, 10);
    assert.deepEqual(fake.requests.map((r) => r.length), [7, 3]);
    for (const request of fake.requests) assert.ok(request.reduce((sum, e) => sum + e.bytes, 0) <= 5 * 1024 * 1024);
  });
});
