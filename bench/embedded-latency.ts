/**
 * Latency of the embedded pipeline (`tickflow up`'s memory bus) at a fixed rate: from a trade's
 * receipt by the feed (`tsRecv`) to a consumer on the same bus receiving the aggregator's window
 * metrics that include it, and from the simulator's send time (`tsEvent`, ms) to the same moment.
 * Side by side in one run: the aggregator alone, every processor `tickflow up` runs, and the same
 * without the ingest journal.
 *
 *   node bench/embedded-latency.ts [--rate 10000] [--seconds 20] [--rows aggregator,up,up-journal-off] [--leave-one-out]
 *
 * `--rows` picks among the three rows (all by default).
 *
 * `--leave-one-out` adds a row per processor: every processor of `up` but that one (the aggregator
 * stays), to find whose work holds the event loop.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BusConsumer, BusRecord } from '../src/bus/bus.ts';
import { assemble } from '../src/cli/compose/assemble.ts';
import { PROCESSOR_NAMES, type ProcessorName } from '../src/cli/compose/processor-factory.ts';
import { loadConfig } from '../src/config/config.ts';
import { createLogger } from '../src/logger.ts';
import { createFinnhubSimulator } from '../src/sources/simulator/server.ts';
import { freePort } from './free-port.ts';
import { quantile, receiveMetrics } from './received-metrics.ts';

const ROWS = ['aggregator', 'up', 'up-journal-off'] as const;
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '20' },
    rows: { type: 'string', default: ROWS.join(',') },
    'leave-one-out': { type: 'boolean', default: false },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const rows = values.rows.split(',');
for (const [name, value] of [['--rate', rate], ['--seconds', seconds]] as const) if (!(value > 0)) throw new Error(`${name} must be a positive number`);
for (const name of rows) if (!(ROWS as readonly string[]).includes(name)) throw new Error(`--rows: ${name} is not one of ${ROWS.join(', ')}`);

interface Measured {
  readonly fromReceipt: number[];
  readonly fromSend: number[];
  readonly sent: number;
}

/** With `http`, the process serves what `tickflow up` serves (the API, the dashboard, the WebSockets the notify processor feeds). */
async function measure(processors: readonly ProcessorName[], http: 'full' | null, journal: 'on' | 'off'): Promise<Measured> {
  const simulator = await createFinnhubSimulator({ tradesPerSecond: rate, frameIntervalMs: 20, pingIntervalMs: 60_000, duplicateRate: 0 });
  const config = loadConfig({ TICKFLOW_SIMULATOR_URL: simulator.url, TICKFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'tickflow-embedded-latency-')), PORT: String(await freePort()), TICKFLOW_JOURNAL: journal }, '/nonexistent');
  const assembly = await assemble({ config, logger: createLogger({ level: 'warn' }), bus: 'memory', source: 'feed', processors, http });
  const consumer = await assembly.wiring.bus.consumer({ groupId: 'bench-latency', topics: [assembly.topics.metrics], startFrom: 'latest' });
  await assembly.start();
  const received = await receiveMetrics(committing(consumer), seconds);
  const fromReceipt = received.map(({ metrics, at }) => at - metrics.tsRecv);
  const fromSend = received.map(({ metrics, at }) => at - metrics.tsEvent);
  const sent = simulator.stats.tradesSent;
  await consumer.close();
  await assembly.stop();
  await simulator.close();
  return { fromReceipt, fromSend, sent };
}

/** Commits what it read: the memory bus holds producers back once a group leaves 20,000 records of a partition uncommitted. */
async function* committing(consumer: BusConsumer): AsyncGenerator<readonly BusRecord[]> {
  for await (const batch of consumer) {
    yield batch;
    await consumer.commit(batch);
  }
}

const row = (sorted: readonly number[]) => `${quantile(sorted, 0.5)} ms | ${quantile(sorted, 0.99)} ms | ${sorted.at(-1)} ms`;

console.log(`| processors | trades sent | metrics measured | receipt → metrics p50 | p99 | max | send → metrics p50 | p99 | max |`);
console.log(`|---|---|---|---|---|---|---|---|---|`);
const upProcessors = PROCESSOR_NAMES.filter((name) => name !== 'logger' && name !== 'kinesis');
const runs: Array<readonly [string, readonly ProcessorName[], 'full' | null, 'on' | 'off']> = [];
if (rows.includes('aggregator')) runs.push(['aggregator', ['aggregator'], null, 'on']);
if (rows.includes('up')) runs.push([`up's (${upProcessors.join(', ')})`, upProcessors, 'full', 'on']);
if (rows.includes('up-journal-off')) runs.push([`up's, TICKFLOW_JOURNAL=off`, upProcessors, 'full', 'off']);
if (values['leave-one-out']) {
  for (const left of upProcessors.filter((name) => name !== 'aggregator')) runs.push([`up's without ${left}`, upProcessors.filter((name) => name !== left), 'full', 'on']);
}
for (const [label, processors, http, journal] of runs) {
  const { fromReceipt, fromSend, sent } = await measure(processors, http, journal);
  fromReceipt.sort((a, b) => a - b);
  fromSend.sort((a, b) => a - b);
  console.log(`| ${label} | ${sent.toLocaleString('en-US')} | ${fromReceipt.length.toLocaleString('en-US')} | ${row(fromReceipt)} | ${row(fromSend)} |`);
}
