/**
 * The client side of bench/fanout.ts, in a process of its own so the server is measured fairly:
 * opens the clients, subscribes them, measures each record's delivery latency (receive time −
 * `tsRecv`, which the server stamps with its send time; one machine, one clock) and counts what
 * each client got. Driven over IPC by the parent.
 */
import { WebSocket } from 'ws';
import { summarize, type ClientPlan, type FromParent, type PhaseReport, type ToParent } from './messages.ts';

const now = (): number => performance.timeOrigin + performance.now();
const send = (message: ToParent): void => void process.send!(message);

interface Received {
  readonly type: string;
  /** When the server meant to send it (the offered rate's schedule) and when it did. */
  readonly tsEvent?: number;
  readonly tsRecv?: number;
}

interface Client {
  readonly ws: WebSocket;
  readonly plan: ClientPlan;
  received: number;
}

let clients: Client[] = [];
let slow: { ws: WebSocket; received: number; lagging: number; closed: number | null } | null = null;
// Latencies of the current phase, in ms, for the normal clients only: from the server's send
// (tsRecv) and from the schedule (tsEvent), which also counts the server falling behind the rate.
let samples = new Float64Array(1 << 20);
let scheduled = new Float64Array(1 << 20);
let count = 0;
/** When a normal client last got a record: the report stops waiting once they have been quiet for a while. */
let lastReceived = 0;

function record(sent: number, due: number): void {
  if (count === samples.length) {
    const grow = (values: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const grown = new Float64Array(values.length * 2);
      grown.set(values);
      return grown;
    };
    samples = grow(samples);
    scheduled = grow(scheduled);
  }
  const at = now();
  samples[count] = at - sent;
  scheduled[count++] = at - due;
}

/** Opens a client and resolves once the server confirmed its subscription. */
function open(url: string, plan: ClientPlan, onMessage: (message: Received) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/ws/stream`, ['tickflow.v1']);
    ws.once('error', reject);
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as Received;
      if (message.type === 'subscribed') resolve(ws);
      else onMessage(message);
    });
    ws.once('open', () => ws.send(JSON.stringify({ op: 'subscribe', symbols: plan.symbols, channels: plan.channels })));
  });
}

async function connectAll(url: string, plans: readonly ClientPlan[]): Promise<void> {
  for (let i = 0; i < plans.length; i += 100) {
    const batch = plans.slice(i, i + 100);
    const opened = await Promise.all(
      batch.map(async (plan) => {
        const client: Client = { ws: null as unknown as WebSocket, plan, received: 0 };
        (client as { ws: WebSocket }).ws = await open(url, plan, (message) => {
          if (message.type !== 'trade' && message.type !== 'window-metrics') return;
          client.received++;
          lastReceived = Date.now();
          record(message.tsRecv!, message.tsEvent!);
        });
        return client;
      }),
    );
    clients.push(...opened);
  }
}

async function openSlow(url: string): Promise<void> {
  const state = { ws: null as unknown as WebSocket, received: 0, lagging: 0, closed: null as number | null };
  state.ws = await open(url, { symbols: ['*'], channels: ['trades', 'metrics'] }, (message) => {
    if (message.type === 'lagging') state.lagging++;
    else if (message.type === 'trade' || message.type === 'window-metrics') state.received++;
  });
  state.ws.on('close', (code) => (state.closed = code));
  state.ws.on('error', () => {});
  // A client that stopped reading: the kernel buffers fill, then the server's.
  (state.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  slow = state;
}

process.on('message', async (message: FromParent) => {
  switch (message.type) {
    case 'connect':
      await connectAll(message.url, message.plans);
      send({ type: 'connected', clients: clients.length });
      break;
    case 'phase':
      count = 0;
      for (const client of clients) client.received = 0;
      if (message.slow) await openSlow(message.url);
      send({ type: 'phase-ready' });
      break;
    case 'report': {
      // Wait (bounded) until every normal client got what was sent to it, or nothing came for 1 s
      // (what the server shed under overload never comes).
      const expected = clients.map((client) => expectedFor(client.plan, message.sent));
      const deadline = Date.now() + message.drainMs;
      lastReceived = Date.now();
      while (Date.now() < deadline && Date.now() - lastReceived < 1_000 && clients.some((client, i) => client.received < expected[i]!)) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const report: PhaseReport = {
        type: 'report',
        delivered: clients.reduce((sum, client) => sum + client.received, 0),
        expected: expected.reduce((sum, n) => sum + n, 0),
        latency: summarize(samples.subarray(0, count)),
        fromSchedule: summarize(scheduled.subarray(0, count)),
        slow: slow ? { received: slow.received, lagging: slow.lagging, closedCode: slow.closed } : null,
      };
      slow?.ws.terminate();
      slow = null;
      send(report);
      break;
    }
    case 'close':
      for (const client of clients) client.ws.terminate();
      clients = [];
      process.exit(0);
  }
});

function expectedFor(plan: ClientPlan, sent: Readonly<Record<string, { trades: number; metrics: number }>>): number {
  const symbols = plan.symbols.includes('*') ? Object.keys(sent) : plan.symbols;
  let total = 0;
  for (const symbol of symbols) {
    const counts = sent[symbol];
    if (!counts) continue;
    if (plan.channels.includes('trades')) total += counts.trades;
    if (plan.channels.includes('metrics')) total += counts.metrics;
  }
  return total;
}

send({ type: 'started' });
