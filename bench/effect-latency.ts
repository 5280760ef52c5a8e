/**
 * Trade → effect latency through a running `tickflow up` at a fixed rate, for the processors that
 * write transactionally or on a cadence:
 *
 *   trade → signal   a WebSocket client on /ws/notifications; per signal, its arrival − the signal's
 *                    `tsEvent`, the event time of the input it decided on. The strategies here are
 *                    EMA crossovers on 1 s bars, so that input is a bar and `tsEvent` is the bar's end
 *                    (also `lineage[0].tsEvent`): every trade of the bar happened before it, and no
 *                    bar-based signal can exist before it, so the figure is what the pipeline adds.
 *   trade → row      with PostgreSQL as the store (`--bus kafka`), a poller of the `trades` table; per
 *                    row, when it became visible − its `ts_recv` (the feed's receipt of the trade).
 *
 * Embedded (`tickflow up`, memory bus): its store is PGlite inside the process, which nothing
 * outside can read, so only trade → signal. `--bus kafka`: `tickflow up --bus kafka` on the local
 * broker, a fresh PostgreSQL database (DATABASE_URL's server) and fresh topics; both.
 *
 *   node bench/effect-latency.ts [--bus memory|kafka] [--rate 1000] [--seconds 30] [--bar-lateness-ms N]
 *
 * `--bar-lateness-ms` sets TICKFLOW_BAR_LATENESS_MS (default tickflow's, 2,000 ms): how long past its
 * end a bar waits for late trades before it closes, which a bar-based signal waits for too.
 *
 * Trades come from the simulator in this process (20 ms frames, no duplicates, as the other latency
 * benchmarks). All processes share this machine's clock; the first 5 s are warm-up.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createFinnhubSimulator } from '../src/sources/simulator/server.ts';
import { freshDatabase } from '../test/support/database.ts';
import { freePort } from './free-port.ts';
import { measuringWindow } from './measuring-window.ts';
import { notifiedSignals } from './notified-signals.ts';
import { quantile } from './received-metrics.ts';
import { timeStoredTrades } from './stored-trades.ts';
import { startUp } from './tickflow-up.ts';

const { values } = parseArgs({ options: { bus: { type: 'string', default: 'memory' }, rate: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '30' }, 'bar-lateness-ms': { type: 'string' } } });
if (values.bus !== 'memory' && values.bus !== 'kafka') throw new Error(`--bus must be memory or kafka (got ${values.bus})`);
const kafka = values.bus === 'kafka';
const rate = Number(values.rate);
const seconds = Number(values.seconds);

// Crossovers of fast EMAs on 1 s bars fire every few bars; three of them give a few signals a second.
const STRATEGIES = {
  default: [
    { strategy: 'ma-crossover', id: 'ema-2-4', kind: 'ema', fast: 2, slow: 4, interval: '1s' },
    { strategy: 'ma-crossover', id: 'ema-2-5', kind: 'ema', fast: 2, slow: 5, interval: '1s' },
    { strategy: 'ma-crossover', id: 'ema-3-6', kind: 'ema', fast: 3, slow: 6, interval: '1s' },
  ],
};

const simulator = await createFinnhubSimulator({ tradesPerSecond: rate, frameIntervalMs: 20, pingIntervalMs: 60_000, duplicateRate: 0 });
const db = kafka ? await freshDatabase() : null;
const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-effect-latency-'));
const port = await freePort();
const token = randomBytes(16).toString('hex');
const env: Record<string, string> = {
  TICKFLOW_DATA_DIR: dataDir,
  TICKFLOW_LOG_LEVEL: 'warn',
  TICKFLOW_SIMULATOR_URL: simulator.url,
  TICKFLOW_STRATEGIES: JSON.stringify(STRATEGIES),
  TICKFLOW_WS_TOKEN: token,
  ...(values['bar-lateness-ms'] === undefined ? {} : { TICKFLOW_BAR_LATENESS_MS: values['bar-lateness-ms'] }),
  ...(db ? { KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', TICKFLOW_TOPIC_PREFIX: `effect-${randomBytes(3).toString('hex')}-`, DATABASE_URL: db.url } : {}),
};

/** Starts `up`, measures both paths over one window, and cleans up whatever happens. */
async function measure() {
  try {
    const up = await startUp(kafka ? ['up', '--bus', 'kafka'] : ['up'], port, env);
    try {
      const window = measuringWindow(seconds);
      const sentBefore = simulator.stats.tradesSent;
      const [signals, stored] = await Promise.all([notifiedSignals(`ws://127.0.0.1:${port}`, token, window), db ? timeStoredTrades(db.url, 'simulator', window) : null]);
      return { signals, stored, sent: simulator.stats.tradesSent - sentBefore };
    } finally {
      await up.stop();
    }
  } finally {
    await db?.drop();
    await simulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const { signals, stored, sent } = await measure();
const offLineage = signals.filter(({ signal }) => signal.lineage.at(-1)?.tsEvent !== signal.tsEvent).length;

const lateness = values['bar-lateness-ms'] === undefined ? '' : `, bar lateness ${values['bar-lateness-ms']} ms`;
const setUp = `${kafka ? '`up --bus kafka`, PostgreSQL' : '`up` (memory bus, PGlite)'}${lateness}`;
const row = (path: string, measured: number, latencies: number[]) => {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length === 0 ? '–' : `${quantile(latencies, q)} ms`);
  return `| ${setUp} | ${path} | ${measured.toLocaleString('en-US')} | ${at(0.5)} | ${at(0.99)} | ${latencies.length === 0 ? '–' : `${latencies.at(-1)} ms`} |`;
};
console.log(`${rate.toLocaleString('en-US')} trades/s offered, ${sent.toLocaleString('en-US')} sent in ~${seconds + 5} s; measured over ${seconds} s after 5 s of warm-up`);
console.log('');
console.log('| set-up | path | measured | p50 | p99 | max |');
console.log('|---|---|---|---|---|---|');
console.log(row('trade → signal on /ws/notifications (arrival − bar end)', signals.length, signals.map(({ signal, at }) => at - signal.tsEvent)));
console.log(row('… of which bar end → signal made (`tsRecv` − `tsEvent`)', signals.length, signals.map(({ signal }) => signal.tsRecv - signal.tsEvent)));
console.log(row('… of which signal made → on the socket', signals.length, signals.map(({ signal, at }) => at - signal.tsRecv)));
if (stored) console.log(row('trade → row in PostgreSQL (visible − `ts_recv`)', stored.latencies.length, stored.latencies));
if (stored && stored.missed > 0) console.log(`\n${stored.missed} stored rows were not found by the poller's look-back (stored > 5 s after receipt): not in the figures.`);
if (offLineage > 0) console.log(`\n${offLineage} signals had a tsEvent other than their last input's.`);
