/**
 * WebSocket fan-out: 1,000 clients on /ws/stream over loopback, trades (and window metrics every
 * 10 trades of a symbol) at a few fixed rates, delivery latency and completeness, and the effect of
 * one deliberately slow client (its socket paused), side by side in one run.
 *
 *   node bench/fanout.ts [--clients 1000] [--symbols 50] [--per-client 2] [--wildcard 5]
 *                        [--rates 100,1000,5000] [--seconds 5] [--buffer 1000] [--no-observer]
 *                        [--compare] [--turn-budget-ms 10] [--max-lag-ms 500]
 *
 * The server (this process) is the notify routes and a NotificationHub, fed directly (the bus is
 * not what is measured here), with `TickflowMetrics.clientDelivered` as the delivery observer, as
 * in production. Each 5 ms sender tick's records are one batch, as a bus batch would be:
 * - after (the default): `hub.deliverBatch(batch)`, corked per client, latency observed once per
 *   record, fan-out in turns of at most `--turn-budget-ms`, trades shed past `--max-lag-ms`, each
 *   record framed once and that frame written to all its clients;
 * - before (`--compare` runs it too, alternately with "after", at the same rates): the same, but
 *   every message through each client's `socket.send` (`hub.sendPerClient`), framed per client by
 *   ws, as before shared frames.
 * The clients live in a child process
 * (bench/fanout/clients.ts). Each record's `tsRecv` is its send time (sub-ms, from
 * `performance.timeOrigin + performance.now()`); latency = the client's receive time − that.
 */
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import type { Trade } from '../src/model/trade.ts';
import type { WindowMetrics } from '../src/model/metrics.ts';
import { NotificationHub } from '../src/notify/notification-hub.ts';
import { notifyRoutes } from '../src/notify/websocket-routes.ts';
import { TickflowMetrics } from '../src/observability/metrics.ts';
import type { ClientPlan, FromParent, PhaseReport, ToParent } from './fanout/messages.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    symbols: { type: 'string', default: '50' },
    'per-client': { type: 'string', default: '2' },
    wildcard: { type: 'string', default: '5' },
    rates: { type: 'string', default: '100,1000,5000' },
    seconds: { type: 'string', default: '5' },
    buffer: { type: 'string', default: '1000' },
    'heartbeat-ms': { type: 'string', default: '15000' },
    'no-observer': { type: 'boolean', default: false },
    compare: { type: 'boolean', default: false },
    'turn-budget-ms': { type: 'string', default: '10' },
    'max-lag-ms': { type: 'string', default: '500' },
  },
});
type Path = 'before' | 'after';
const paths: readonly Path[] = values.compare ? ['before', 'after'] : ['after'];
const clientCount = Math.min(Number(values.clients), 5_000);
const symbolCount = Number(values.symbols);
const perClient = Number(values['per-client']);
const wildcard = Math.min(Number(values.wildcard), clientCount);
const rates = values.rates.split(',').map(Number);
const seconds = Math.min(Number(values.seconds), 60);
const symbols = Array.from({ length: symbolCount }, (_, i) => `SYM${String(i).padStart(3, '0')}`);
const now = (): number => performance.timeOrigin + performance.now();

// --- server
const metrics = new TickflowMetrics({ defaultMetrics: false });
const hub = new NotificationHub({
  buffer: Number(values.buffer),
  turnBudgetMs: Number(values['turn-budget-ms']),
  maxLagMs: Number(values['max-lag-ms']),
  ...(values['no-observer'] ? {} : { onDelivered: metrics.clientDelivered }),
});
const app = Fastify();
await app.register(notifyRoutes, { hub, heartbeatMs: Number(values['heartbeat-ms']), instance: 'bench' });
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as { port: number };
const url = `ws://127.0.0.1:${port}`;

// --- clients: `wildcard` of them on `*`, the others on `perClient` symbols each (spread evenly)
const plans: ClientPlan[] = Array.from({ length: clientCount }, (_, i) =>
  i < wildcard
    ? { symbols: ['*'], channels: ['trades', 'metrics'] }
    : { symbols: Array.from({ length: perClient }, (_, k) => symbols[(i * perClient + k) % symbolCount]!), channels: ['trades', 'metrics'] },
);
const child = fork(fileURLToPath(new URL('./fanout/clients.ts', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const inbox: ToParent[] = [];
const waiters: (() => void)[] = [];
child.on('message', (message: ToParent) => {
  inbox.push(message);
  waiters.splice(0).forEach((wake) => wake());
});
child.on('exit', (code) => code !== 0 && code !== null && (console.error(`client process exited ${code}`), process.exit(1)));
async function expect<T extends ToParent['type']>(type: T, timeoutMs = 120_000): Promise<Extract<ToParent, { type: T }>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const index = inbox.findIndex((message) => message.type === type);
    if (index >= 0) return inbox.splice(index, 1)[0] as Extract<ToParent, { type: T }>;
    if (Date.now() > deadline) throw new Error(`no ${type} from the client process within ${timeoutMs} ms`);
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 100);
    });
  }
}
const tell = (message: FromParent): void => void child.send(message);

await expect('started');
const connectStarted = performance.now();
tell({ type: 'connect', url, plans });
await expect('connected');
console.error(`${clientCount} clients connected and subscribed in ${Math.round(performance.now() - connectStarted)} ms`);

// --- phases
interface Row {
  rate: number;
  path: Path;
  slow: boolean;
  sent: number;
  achievedRate: number;
  /** Trades fanned out (not shed) per second, until the hub's backlog was empty. */
  fannedOutRate: number;
  shed: number;
  report: PhaseReport;
  loopP99: number;
  serverCpu: number;
  slowFate: string;
}

let seq = 0;
async function phase(rate: number, path: Path, slow: boolean, durationS: number): Promise<Row> {
  hub.sendPerClient = path === 'before';
  const overloadBefore = hub.overload();
  const before = new Set(hub.clients().map((client) => client.id));
  tell({ type: 'phase', url, slow });
  await expect('phase-ready');
  const slowId = slow ? hub.clients().find((client) => !before.has(client.id))?.id : undefined;
  const sentBySymbol: Record<string, { trades: number; metrics: number }> = Object.fromEntries(symbols.map((symbol) => [symbol, { trades: 0, metrics: 0 }]));
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpu = process.cpuUsage();
  let sent = 0;
  const started = performance.now();
  const startedAt = now();
  let slowSeen = slowId === undefined ? null : hub.clients().find((client) => client.id === slowId) ?? null;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      const target = Math.min(Math.floor((rate * elapsed) / 1000), rate * durationS);
      const batch: (Trade | WindowMetrics)[] = [];
      while (sent < target) {
        const symbol = symbols[sent % symbolCount]!;
        const counts = sentBySymbol[symbol]!;
        const ts = now();
        const due = startedAt + (sent * 1000) / rate;
        const trade: Trade = { type: 'trade', source: 'bench', symbol, price: 100 + (sent % 7), size: 10, conditions: null, tsEvent: due, tsRecv: ts, seq: seq++ };
        batch.push(trade);
        counts.trades++;
        if (counts.trades % 10 === 0) {
          const m: WindowMetrics = { type: 'window-metrics', symbol, window: 20, count: 20, vwap: 101, avg: 101, min: 100, max: 106, first: 100, last: trade.price, changePct: 0.5, volume: 200, tsStart: ts - 1_000, tsEvent: due, tsRecv: ts };
          batch.push(m);
          counts.metrics++;
        }
        sent++;
      }
      if (batch.length > 0) hub.deliverBatch(batch);
      if (slowId !== undefined) slowSeen = hub.clients().find((client) => client.id === slowId) ?? slowSeen;
      if (sent >= rate * durationS) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  const elapsedS = (performance.now() - started) / 1000;
  // The hub may still be working through its backlog: the phase ends when it is empty.
  while (hub.overload().backlog > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const fanOutS = (performance.now() - started) / 1000;
  const serverCpu = process.cpuUsage(cpu);
  loop.disable();
  const shed = hub.overload().shedTrades - overloadBefore.shedTrades;
  const stillThere = slowId !== undefined && hub.clients().some((client) => client.id === slowId);
  tell({ type: 'report', sent: sentBySymbol, drainMs: 10_000 });
  const report = await expect('report');
  const slowFate = slowSeen
    ? `${stillThere ? 'still connected' : 'terminated'}; got ${report.slow?.received ?? 0}, dropped ${slowSeen.dropped} trades, conflated ${slowSeen.conflated} metrics, ${slowSeen.queued} queued`
    : '—';
  return {
    rate,
    path,
    slow,
    sent,
    report,
    achievedRate: sent / elapsedS,
    fannedOutRate: (sent - shed) / fanOutS,
    shed,
    loopP99: loop.percentile(99) / 1e6,
    serverCpu: (serverCpu.user + serverCpu.system) / 1000 / fanOutS / 10, // % of one core
    slowFate,
  };
}

for (const path of paths) await phase(100, path, false, 1); // warm-up, not reported
const rows: Row[] = [];
// Alternately, at each rate: before and after without the slow client, then both with it.
for (const rate of rates) {
  for (const slow of [false, true]) {
    for (const path of paths) {
      const row = await phase(rate, path, slow, seconds);
      rows.push(row);
      console.error(`${rate}/s ${path} ${slow ? 'with' : 'without'} the slow client: p99 ${row.report.latency.p99.toFixed(2)} ms, ${row.report.delivered}/${row.report.expected}, loop p99 ${row.loopP99.toFixed(1)} ms`);
    }
  }
}

const ms = (value: number): string => (value < 10 ? value.toFixed(2) : value.toFixed(0));
const n = (value: number): string => Math.round(value).toLocaleString('en-US');
console.log(
  `\n${clientCount} clients (${wildcard} on *, the others on ${perClient} of ${symbolCount} symbols), trades + window metrics every 10 trades of a symbol, ${seconds} s per row, buffer ${values.buffer}, observer ${values['no-observer'] ? 'off' : 'on'}, turn budget ${values['turn-budget-ms']} ms, max lag ${values['max-lag-ms']} ms\n`,
);
console.log('| trades/s offered | path | slow client | handed/s | fanned out/s | shed by the hub | records to the others | delivered/expected | p50 | p99 | max | p99 from schedule | server CPU | loop delay p99 | the slow client |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  const { report } = row;
  console.log(
    `| ${n(row.rate)} | ${row.path} | ${row.slow ? 'yes' : 'no'} | ${n(row.achievedRate)} | ${n(row.fannedOutRate)} | ${n(row.shed)} | ${n(report.expected)} | ${((100 * report.delivered) / report.expected).toFixed(2)} % | ${ms(report.latency.p50)} ms | ${ms(report.latency.p99)} ms | ${ms(report.latency.max)} ms | ${ms(report.fromSchedule.p99)} ms | ${row.serverCpu.toFixed(0)} % | ${ms(row.loopP99)} ms | ${row.slowFate} |`,
  );
}
console.log(`\nhub overload totals: ${JSON.stringify(hub.overload())}`);
console.log(`\nhub totals: ${JSON.stringify(hub.stats())}`);

tell({ type: 'close' });
await new Promise((resolve) => child.once('exit', resolve));
await app.close();
