import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/errors.ts';
import { kinesisConfigFromEnv, resolveKinesisSinkOptions, type KinesisSinkOptions } from '../../../src/processors/kinesis/kinesis-options.ts';
import { createKinesisSink, KinesisSink } from '../../../src/processors/kinesis/kinesis-sink.ts';

const base: KinesisSinkOptions = { streamName: 'ticks', region: 'us-east-1' };

describe('kinesis sink options', () => {
  it('fills in defaults: the raw topic, 500 records, 200 ms', () => {
    const options = resolveKinesisSinkOptions(base);
    assert.deepEqual(options.topics, ['raw-market-data']);
    assert.equal(options.batchSize, 500);
    assert.equal(options.flushMs, 200);
    assert.equal(options.maxRetries, 10);
    assert.equal(new KinesisSink({ ...base, topics: ['a', 'b', 'a'] }).topics.length, 2);
  });

  const bad: [string, Partial<KinesisSinkOptions> & Record<string, unknown>, RegExp][] = [
    ['streamName', { streamName: 'has space' }, /option streamName: .*\(got "has space"\)/],
    ['streamName', { streamName: '' }, /option streamName/],
    ['region', { region: 'US East' }, /option region/],
    ['endpoint', { endpoint: 'ftp://x' }, /option endpoint: must be an http/],
    ['endpoint', { endpoint: 'not a url' }, /option endpoint/],
    ['topics', { topics: [] }, /option topics/],
    ['batchSize', { batchSize: 501 }, /option batchSize: must be an integer from 1 to 500 \(got 501\)/],
    ['batchSize', { batchSize: 1.5 }, /option batchSize/],
    ['flushMs', { flushMs: -1 }, /option flushMs/],
    ['maxRetries', { maxRetries: -1 }, /option maxRetries/],
    ['retryMaxMs', { retryBaseMs: 500, retryMaxMs: 100 }, /option retryMaxMs: must be at least retryBaseMs/],
  ];
  for (const [name, override, message] of bad) {
    it(`names the bad option: ${name} ${JSON.stringify(override)}`, () => {
      assert.throws(() => new KinesisSink({ ...base, ...override } as KinesisSinkOptions), (error: unknown) => error instanceof ConfigError && message.test(error.message));
    });
  }

  it('never puts credentials in an error message', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    assert.throws(
      () => new KinesisSink({ ...base, credentials: { accessKeyId: '', secretAccessKey: secret } }),
      (error: unknown) => error instanceof ConfigError && /option credentials/.test(error.message) && !error.message.includes(secret),
    );
  });
});

describe('kinesis config from the environment', () => {
  it('is off without KINESIS_STREAM', () => {
    assert.equal(kinesisConfigFromEnv({}), null);
    assert.equal(kinesisConfigFromEnv({ KINESIS_STREAM: '  ', AWS_REGION: 'eu-west-1' }), null);
  });

  it('reads stream, region (default us-east-1) and endpoint', () => {
    assert.deepEqual(kinesisConfigFromEnv({ KINESIS_STREAM: 'ticks' }), { streamName: 'ticks', region: 'us-east-1' });
    assert.deepEqual(kinesisConfigFromEnv({ KINESIS_STREAM: 'ticks', AWS_REGION: 'eu-west-1', KINESIS_ENDPOINT: 'http://127.0.0.1:4567' }), {
      streamName: 'ticks',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4567',
    });
  });

  it('names the bad variable, without a URL password', () => {
    assert.throws(() => kinesisConfigFromEnv({ KINESIS_STREAM: 'a/b' }), /^ConfigError: KINESIS_STREAM: /);
    assert.throws(() => kinesisConfigFromEnv({ KINESIS_STREAM: 'a', AWS_REGION: 'Mars 1' }), /AWS_REGION: must be an AWS region/);
    assert.throws(
      () => kinesisConfigFromEnv({ KINESIS_STREAM: 'a', KINESIS_ENDPOINT: 'ftp://user:hunter2@host' }),
      (error: unknown) => error instanceof ConfigError && /^KINESIS_ENDPOINT: must be an http/.test(error.message) && !error.message.includes('hunter2'),
    );
  });

  it('builds the sink from the config plus topics', () => {
    const sink = createKinesisSink(kinesisConfigFromEnv({ KINESIS_STREAM: 'ticks' })!, { topics: ['x'] });
    assert.equal(sink.name, 'kinesis');
    assert.deepEqual(sink.topics, ['x']);
  });
});
