import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Consumer, jsonDeserializer, kGetApi, Producer, stringDeserializer, type GroupAssignment } from '@platformatic/kafka';
import { sendClientApiVersionsOnly } from '../../src/bus/kafka/client-api-versions.ts';
import { KAFKA_BROKERS, kafkaFixture, type KafkaFixture } from '../support/kafka.ts';
import { waitFor, within } from '../support/wait.ts';

const PACKAGE = '@platformatic/kafka';
const CLIENT_DIR = join(createRequire(import.meta.url).resolve(PACKAGE), '../..');

/**
 * `src/bus/kafka/kafka-consumer.ts` relies on behaviour of the client that its documentation does not
 * promise: this checks each piece on a real consumer (or, where only a rebalance in the middle of a
 * commit would show it, in the client's source), so that an upgrade that moves one fails here
 * instead of in production. Upgrading means: change the pinned version, run this, then adapt
 * kafka-consumer.ts where it fails.
 */
describe(`${PACKAGE} internals that KafkaConsumer relies on`, () => {
  let fixture: KafkaFixture;
  before(async () => {
    fixture = await kafkaFixture();
  });
  after(() => fixture?.close());

  it('is pinned to one exact version, and that version is the one installed', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const pinned = manifest.dependencies[PACKAGE]!;
    assert.match(pinned, /^\d+\.\d+\.\d+$/, `${PACKAGE} must be pinned exactly (got ${pinned})`);
    const installed = (JSON.parse(readFileSync(join(CLIENT_DIR, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(installed, pinned);
  });

  it('sets generation and assignment before consumer:group:join, emits offsets once the start offsets are known, and keeps the fetch position in offsetsToFetch past transaction markers', async () => {
    const { bus } = fixture;
    const topic = fixture.uniqueName('internals');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const producer = bus.producer();
    await producer.send(topic, [1, 2, 3].map((value) => ({ key: 'k', value })));
    await producer.close();
    const transactional = bus.transactionalProducer({ transactionalId: fixture.uniqueName('tx') });
    await transactional.init();
    const transaction = await transactional.begin();
    await transaction.send([4, 5].map((value) => ({ topic, key: 'k', value })));
    await transaction.commit();
    await transactional.close();
    // Offsets 0–4 hold records, 5 the commit marker: the partition ends at 6.

    const client = new Consumer<string, unknown, string, string>({
      clientId: 'tickflow-test-internals',
      bootstrapBrokers: [...KAFKA_BROKERS],
      groupId: fixture.uniqueName('g'),
      autocommit: false,
      deserializers: { key: stringDeserializer, value: jsonDeserializer },
      heartbeatInterval: 250,
      sessionTimeout: 10_000,
    });
    try {
      const joins: Array<{ generationId: number; memberId: string | null; assignments: GroupAssignment[] | null }> = [];
      client.on('consumer:group:join', () => joins.push({ generationId: client.generationId, memberId: client.memberId, assignments: client.assignments }));
      const stream = await client.consume({ topics: [topic], autocommit: false, mode: 'committed', fallbackMode: 'earliest' });
      // KafkaConsumer.open waits for this event, attached the same way, right after consume() resolves.
      await within(new Promise<void>((resolve) => stream.once('offsets', () => resolve())), 20_000, "the stream's offsets event");

      assert.ok(joins.length >= 1, 'consumer:group:join was emitted');
      const join = joins.at(-1)!;
      assert.ok(join.generationId >= 0 && typeof join.memberId === 'string' && join.memberId !== '', JSON.stringify(join));
      assert.deepEqual(join.assignments?.map(({ topic: name, partitions }) => [name, [...partitions]]), [[topic, [0]]]);
      assert.ok(typeof client.coordinatorId === 'number' && client.coordinatorId >= 0);

      const values: unknown[] = [];
      stream.on('readable', () => {
        for (let message = stream.read(); message !== null; message = stream.read()) values.push((message as { value: unknown }).value);
      });
      await waitFor(() => values.length === 5, 'the five records', 20_000);
      // The key format (`topic:partition`) and the meaning (next offset to fetch, past the marker) are what lag() reads.
      assert.ok(stream.offsetsToFetch instanceof Map);
      await waitFor(() => stream.offsetsToFetch.get(`${topic}:0`) === 6n, `offsetsToFetch of ${topic}:0 to pass the commit marker`, 20_000);
      await stream.close();
    } finally {
      await client.close(true);
    }
  });

  it('retries a commit refused for a rebalance by rejoining, then sending the same request object again', () => {
    // KafkaConsumer.commit filters that object's `offsets` on consumer:group:join, so that the retry does
    // not commit for partitions the new generation gave to another member.
    const source = readFileSync(join(CLIENT_DIR, 'dist/clients/consumer/consumer.js'), 'utf8');
    const commit = source.slice(source.indexOf('    #commit(options, callback, rejoinAttempts = 0) {'));
    assert.ok(commit.length < source.length, 'consumer.js still has #commit(options, callback, rejoinAttempts)');
    const body = commit.slice(0, commit.indexOf('\n    }\n'));
    assert.match(body, /for \(const \{ topic, partition, offset, leaderEpoch \} of options\.offsets\)/, 'the request offsets are read when the request is built');
    assert.match(body, /this\.joinGroup\(\{\}, joinError => \{[\s\S]*this\.#commit\(options, callback, rejoinAttempts \+ 1\)/, 'the retry rejoins, then sends the same options');
  });

  it('lets a client offer AddPartitionsToTxn only up to v3 by wrapping kListApis, which kGetApi consults', async () => {
    const client = new Producer({ clientId: 'internals-api-versions', bootstrapBrokers: [...KAFKA_BROKERS] });
    try {
      const versionOf = (c: Producer) => new Promise<number>((resolve, reject) => c[kGetApi]('AddPartitionsToTxn', (error, api) => (error ? reject(error) : resolve((api as unknown as { version: number }).version))));
      const plain = new Producer({ clientId: 'internals-api-versions-plain', bootstrapBrokers: [...KAFKA_BROKERS] });
      assert.ok((await versionOf(plain).finally(() => plain.close())) > 3, 'the broker offers the brokers-only versions, which the client would pick');
      sendClientApiVersionsOnly(client);
      assert.equal(await versionOf(client), 3);
    } finally {
      await client.close();
    }
  });
});

