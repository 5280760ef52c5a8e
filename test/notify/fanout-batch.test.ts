import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClientSocket, Corkable } from '../../src/notify/hub-client.ts';
import { NotificationHub, type NotificationHubOptions } from '../../src/notify/notification-hub.ts';
import type { NotifyRecord } from '../../src/notify/protocol.ts';
import { waitFor } from '../support/wait.ts';
import { bar, signal, trade, windowMetrics } from './records.ts';
import { connect, serve, subscribe } from './ws-support.ts';

/** The underlying socket of CorkSocket: counts corks and uncorks, and whether it is corked now. */
class FakeNetSocket implements Corkable {
  depth = 0;
  corks = 0;
  uncorks = 0;
  cork(): void {
    this.depth++;
    this.corks++;
  }
  uncork(): void {
    this.depth--;
    this.uncorks++;
  }
}

/** A socket whose buffer grows with what is sent (as ws's does, corked or not) until drained. */
class CorkSocket implements ClientSocket {
  bufferedAmount = 0;
  readyState = 1;
  readonly _socket = new FakeNetSocket();
  readonly sent: string[] = [];
  /** Sends made while the underlying socket was not corked by the hub. */
  uncorkedSends = 0;
  #callbacks: ((error?: Error) => void)[] = [];
  send(data: Buffer, _options: { binary: boolean }, callback: (error?: Error) => void): void {
    const message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    this.sent.push(message.type === 'lagging' ? `lagging ${message.dropped}` : `${message.type} ${message.symbol} ${message.seq ?? message.last ?? message.close ?? message.price}`);
    if (this._socket.depth === 0) this.uncorkedSends++;
    this.bufferedAmount += data.length;
    this.#callbacks.push(callback);
  }
  close(): void {
    this.readyState = 2;
  }
  drain(): void {
    this.bufferedAmount = 0;
    for (const callback of this.#callbacks.splice(0)) callback();
  }
}

/** The cheapest possible socket, for volume: checks each client's trades arrive in order. */
class CountingSocket implements ClientSocket {
  readonly bufferedAmount = 0;
  readyState = 1;
  readonly _socket = { cork: (): void => {}, uncork: (): void => {} };
  received = 0;
  outOfOrder = 0;
  lagging = 0;
  #last = -1;
  send(data: Buffer): void {
    // Trades are `{"type":"trade",…,"seq":N}`: the seq is the last field (records.ts).
    if (data[9] === 0x6c) {
      this.lagging++;
      return;
    }
    const seq = Number(data.toString('latin1', data.lastIndexOf(0x3a) + 1, data.length - 1));
    if (seq <= this.#last) this.outOfOrder++;
    this.#last = seq;
    this.received++;
  }
  close(): void {
    this.readyState = 2;
  }
}

function mixedBatch(): NotifyRecord[] {
  const records: NotifyRecord[] = [];
  for (let seq = 0; seq < 60; seq++) {
    const symbol = seq % 3 === 0 ? 'MSFT' : 'AAPL';
    records.push(trade(symbol, seq));
    if (seq % 5 === 0) records.push(windowMetrics(symbol, seq));
    if (seq % 7 === 0) records.push(bar(symbol, 0, seq));
    if (seq % 20 === 0) records.push(signal(symbol, seq));
  }
  return records;
}

/** Three stream clients and a notifications one, on a hub with small bounds so some overflow within the batch. */
function setUp(options: NotificationHubOptions = {}) {
  const hub = new NotificationHub({ buffer: 8, maxBufferedBytes: 2_000, ...options });
  const sockets = { all: new CorkSocket(), aapl: new CorkSocket(), idle: new CorkSocket(), notes: new CorkSocket() };
  hub.connect('stream', sockets.all).subscribe(['*'], ['trades', 'bars', 'metrics']);
  hub.connect('stream', sockets.aapl).subscribe(['AAPL'], ['trades']);
  hub.connect('stream', sockets.idle).subscribe(['IBM'], ['trades']);
  hub.connect('notifications', sockets.notes);
  return { hub, sockets };
}

describe('batched fan-out', () => {
  it('corks each touched socket once per batch and sends exactly what deliver() one by one would', () => {
    // A budget no busy machine exhausts: the batch is one turn, as this test compares it with deliver().
    const batched = setUp({ turnBudgetMs: 60_000 });
    const single = setUp({ turnBudgetMs: 60_000 });
    const records = mixedBatch();
    batched.hub.deliverBatch(records);
    for (const record of records) single.hub.deliver(record);

    for (const name of ['all', 'aapl', 'idle', 'notes'] as const) {
      assert.deepEqual(batched.sockets[name].sent, single.sockets[name].sent, `${name}: same messages in the same order`);
      const wrote = batched.sockets[name].sent.length > 0;
      assert.equal(batched.sockets[name]._socket.corks, wrote ? 1 : 0, `${name}: corked once`);
      assert.equal(batched.sockets[name]._socket.uncorks, wrote ? 1 : 0, `${name}: uncorked once`);
      assert.equal(batched.sockets[name]._socket.depth, 0);
      assert.equal(batched.sockets[name].uncorkedSends, 0, `${name}: every frame of the batch went out corked`);
    }
    // The bound held within the corked batch: the * client overflowed, queued, conflated and dropped as before.
    assert.deepEqual(batched.hub.stats(), single.hub.stats());
    assert.deepEqual(batched.hub.clients(), single.hub.clients());
    const all = batched.hub.clients().find((client) => client.endpoint === 'stream')!;
    assert.ok(all.dropped > 0 && all.conflated > 0 && all.queued > 8, `the * client overflowed: ${JSON.stringify(all)}`);

    // Draining: the queues empty in the same order on both (write callbacks, not corked: one client each).
    for (const { sockets } of [batched, single]) for (const socket of Object.values(sockets)) socket.drain();
    for (const name of ['all', 'aapl', 'idle', 'notes'] as const) assert.deepEqual(batched.sockets[name].sent, single.sockets[name].sent, `${name} after draining`);
    assert.ok(batched.sockets.all.sent.some((message) => message.startsWith('lagging ')));
  });

  it('observes each record once, after its frames left the corked sockets', () => {
    const seen: string[] = [];
    let corkedWhenObserved = 0;
    const hub = new NotificationHub({
      onDelivered: (record, channel) => {
        seen.push(`${channel} ${(record as { seq?: number }).seq ?? ''}`);
        corkedWhenObserved += sockets.reduce((sum, socket) => sum + socket._socket.depth, 0);
      },
    });
    const sockets = [new CorkSocket(), new CorkSocket(), new CorkSocket()];
    for (const socket of sockets) hub.connect('stream', socket).subscribe(['AAPL'], ['trades']);
    hub.deliverBatch([trade('AAPL', 1), trade('MSFT', 2), trade('AAPL', 3)]);
    assert.deepEqual(seen, ['trades 1', 'trades 3'], 'once per record with a client, not once per write; none for MSFT');
    assert.equal(corkedWhenObserved, 0);
    assert.equal(hub.stats().delivered, 6);
    hub.observeEachWrite = true; // the behaviour before batching, for the benchmark's comparison
    hub.deliverBatch([trade('AAPL', 4)]);
    assert.equal(seen.filter((entry) => entry === 'trades 4').length, 3);
  });

  it('keeps each client its order over real sockets across many corked turns, in few writev calls', async () => {
    const { app, hub, url } = await serve({}, { turnBudgetMs: 0.01, maxLagMs: 60_000 });
    const writes = { calls: 0, chunks: 0 };
    const serverSockets: unknown[] = [];
    const connectClient = hub.connect.bind(hub);
    hub.connect = (endpoint, socket) => (serverSockets.push(socket), connectClient(endpoint, socket));
    try {
      const clients = await Promise.all([connect(`${url}/ws/stream`), connect(`${url}/ws/stream`)]);
      await subscribe(clients[0]!, ['*'], ['trades']);
      await subscribe(clients[1]!, ['AAPL'], ['trades']);
      // Count the server-side sockets' writev calls from here on (net.Socket's _writev is what uncork uses).
      for (const socket of serverSockets) {
        const net = (socket as unknown as { _socket: { _writev: (chunks: unknown[], cb: () => void) => void } })._socket;
        const writev = net._writev.bind(net);
        net._writev = (chunks, cb) => {
          writes.calls++;
          writes.chunks += chunks.length;
          writev(chunks, cb);
        };
      }
      const records = Array.from({ length: 2_000 }, (_, seq) => trade(seq % 2 === 0 ? 'AAPL' : 'MSFT', seq));
      hub.deliverBatch(records.slice(0, 1_000));
      hub.deliverBatch(records.slice(1_000)); // behind the first one's backlog
      assert.ok(hub.overload().backlog > 0, 'the tiny budget left work for later turns');
      await clients[0]!.next((message) => message.seq === 1_999, 'the last trade at the * client');
      await clients[1]!.next((message) => message.seq === 1_998, 'the last AAPL trade');
      assert.deepEqual(clients[0]!.of('trade').map((message) => message.seq), records.map((record) => (record as { seq: number }).seq));
      assert.deepEqual(clients[1]!.of('trade').map((message) => message.seq), records.filter((record) => record.symbol === 'AAPL').map((record) => (record as { seq: number }).seq));
      assert.ok(hub.overload().deferredTurns > 1);
      assert.equal(hub.overload().shedTrades, 0);
      assert.ok(writes.calls > 0 && writes.chunks / writes.calls > 2, `frames batched into writev calls: ${JSON.stringify(writes)}`);
      for (const client of clients) client.ws.close();
    } finally {
      await app.close();
    }
  });

  it('keeps the event loop responsive while 1 M writes are offered, and delivers them all in order', async () => {
    const hub = new NotificationHub({ maxLagMs: 600_000 });
    const sockets = Array.from({ length: 200 }, () => new CountingSocket());
    for (const socket of sockets) hub.connect('stream', socket).subscribe(['*'], ['trades']);
    const trades = Array.from({ length: 5_000 }, (_, seq) => trade(`S${seq % 50}`, seq)); // × 200 clients: 1 M writes

    let last = performance.now();
    let longestGap = 0;
    let ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 1);
    try {
      const started = performance.now();
      last = started;
      hub.deliverBatch(trades.slice(0, 2_500));
      hub.deliverBatch(trades.slice(2_500));
      const handedMs = performance.now() - started;
      await waitFor(() => hub.overload().backlog === 0, 'the backlog worked off', 60_000);
      const tookMs = performance.now() - started;
      // The budget is 10 ms a turn; a noisy 2-core machine gets plenty of slack, a blocking
      // fan-out (~1 M writes in one go) would not come close.
      assert.ok(handedMs < 100, `deliverBatch returned in ${handedMs.toFixed(1)} ms`);
      assert.ok(longestGap < 250, `the timer fired at most ${longestGap.toFixed(1)} ms apart (fan-out took ${tookMs.toFixed(0)} ms, ${ticks} ticks)`);
      assert.ok(hub.overload().deferredTurns > 1);
    } finally {
      clearInterval(timer);
    }
    for (const socket of sockets) {
      assert.equal(socket.received, 5_000);
      assert.equal(socket.outOfOrder, 0);
    }
    assert.equal(hub.stats().delivered, 1_000_000);
  });

  it('under overload sheds the trades that waited too long, tells each client, conflates bars and metrics, never sheds notifications', async () => {
    // Sockets never full: only the hub's own overload is at play here.
    const hub = new NotificationHub({ turnBudgetMs: 0.01, maxLagMs: 20, maxBufferedBytes: 1e9 });
    const stream = new CorkSocket();
    const notes = new CorkSocket();
    hub.connect('stream', stream).subscribe(['*'], ['trades', 'metrics']);
    hub.connect('notifications', notes);
    const records: NotifyRecord[] = [];
    for (let seq = 0; seq < 400; seq++) {
      records.push(trade('AAPL', seq));
      if (seq % 100 === 99) records.push(windowMetrics('AAPL', seq), signal('AAPL', seq));
    }
    hub.deliverBatch(records);
    assert.ok(hub.overload().backlog > 0, `the first turn left part of the batch (${stream.sent.length} sent)`);
    // The process is busy elsewhere for longer than maxLagMs: what waits is stale by the next turn.
    const busyUntil = performance.now() + 40;
    while (performance.now() < busyUntil);
    await waitFor(() => hub.overload().backlog === 0, 'the backlog worked off');

    const { shedTrades, backlogConflated } = hub.overload();
    const trades = stream.sent.filter((message) => message.startsWith('trade '));
    assert.ok(shedTrades > 0);
    assert.equal(trades.length + shedTrades, 400, 'every trade either delivered or shed');
    assert.deepEqual(trades, trades.map((_, i) => `trade AAPL ${i}`), 'what was delivered is a prefix, in order');
    // Told when the drops began and once more when the hub caught up, with the counts.
    const notices = stream.sent.filter((message) => message.startsWith('lagging '));
    assert.ok(notices.length >= 1 && notices.length <= 2, notices.join(', '));
    assert.equal(notices.reduce((sum, notice) => sum + Number(notice.split(' ')[1]), 0), shedTrades);
    assert.equal(stream.sent.at(-1), notices.at(-1));
    assert.equal(hub.stats().dropped, shedTrades);
    // The waiting window metrics were conflated to the newest; the signals all arrived, in order.
    const metrics = stream.sent.filter((message) => message.startsWith('window-metrics '));
    assert.equal(metrics.length + backlogConflated, 4);
    assert.equal(metrics.at(-1), 'window-metrics AAPL 399');
    assert.deepEqual(notes.sent, ['signal AAPL 199', 'signal AAPL 299', 'signal AAPL 399', 'signal AAPL 499']);
  });
});
