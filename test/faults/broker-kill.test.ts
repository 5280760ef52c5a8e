import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { BusRecord } from '../../src/bus/bus.ts';
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts';
import { createFinnhubSimulator, type FinnhubSimulator } from '../../src/sources/simulator/server.ts';
import { topicNames } from '../../src/topics.ts';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { PrivateBroker } from '../support/private-broker.ts';
import { waitFor, within } from '../support/wait.ts';

const broker = new PrivateBroker();
let simulator: FinnhubSimulator;
let ingest: RunningCli | undefined;
/** Every trade the simulator wrote to its socket: the source's own log. */
const sent: string[] = [];

const identity = (trade: { s?: string; symbol?: string; p?: number; price?: number; t?: number; tsEvent?: number; v?: number; size?: number }) =>
  `${trade.s ?? trade.symbol}|${trade.p ?? trade.price}|${trade.t ?? trade.tsEvent}|${trade.v ?? trade.size}`;

before(async () => {
  await broker.start();
  simulator = await createFinnhubSimulator({
    tradesPerSecond: 400,
    frameIntervalMs: 50,
    tap: (frame) => {
      const parsed = JSON.parse(frame) as { type: string; data?: Array<Record<string, number & string>> };
      if (parsed.type === 'trade') for (const trade of parsed.data ?? []) sent.push(identity(trade));
    },
  });
});

after(async () => {
  ingest?.child.kill('SIGKILL');
  await simulator?.close();
  await broker.stop();
});

async function tradesPublished(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/status`).catch(() => null);
  return response?.ok ? ((await response.json()) as { trades: number }).trades : -1;
}

it('loses and duplicates nothing when the broker is killed -9 in the middle of a produce run and restarted', async () => {
  const prefix = 'faults-';
  const port = await freePort();
  ingest = startCli(['run', 'ingest'], {
    KAFKA_BROKERS: broker.brokers,
    TICKFLOW_TOPIC_PREFIX: prefix,
    TICKFLOW_SIMULATOR_URL: simulator.url,
    PORT: String(port),
    TICKFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'tickflow-faults-')),
  });
  await waitFor(async () => (await tradesPublished(port)) > 1_000, 'ingest to publish 1,000 trades', 30_000);

  broker.kill9();
  const atKill = await tradesPublished(port);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  assert.ok((await tradesPublished(port)) - atKill < 1_000, 'with the broker down, publishing stalls instead of going on');
  await broker.start();
  await waitFor(async () => (await tradesPublished(port)) > atKill + 2_000, 'publishing to resume after the restart', 60_000);

  // Stop the source, let ingest take in everything the source sent, then stop ingest cleanly.
  simulator.faults.goSilent(600_000);
  const total = sent.length;
  await waitFor(async () => (await tradesPublished(port)) >= total, `ingest to publish all ${total} trades sent`, 60_000);
  ingest.child.kill('SIGINT');
  assert.equal(await within(ingest.exited, 30_000, 'ingest to stop'), 0, ingest.stderr());

  const bus = new KafkaBus({ brokers: broker.brokers, clientId: 'faults-check' });
  const consumer = await bus.consumer({ groupId: 'faults-check', topics: [topicNames(prefix).raw] });
  const received: BusRecord[] = [];
  const reading = (async () => {
    for await (const batch of consumer) {
      received.push(...batch.filter((record) => (record.value as { type: string }).type === 'trade'));
      if (received.length >= total) break;
    }
  })();
  await within(reading, 60_000, `reading ${total} trades back`);
  await consumer.close();
  await bus.close();

  const counts = (identities: string[]) => identities.reduce((map, id) => map.set(id, (map.get(id) ?? 0) + 1), new Map<string, number>());
  const expected = counts(sent.slice(0, total));
  const actual = counts(received.map((record) => identity(record.value as Record<string, number & string>)));
  const missing = [...expected].filter(([id, n]) => (actual.get(id) ?? 0) < n);
  const duplicated = [...actual].filter(([id, n]) => n > (expected.get(id) ?? 0));
  assert.deepEqual({ missing: missing.length, duplicated: duplicated.length }, { missing: 0, duplicated: 0 });
  assert.equal(received.length, total);
});
