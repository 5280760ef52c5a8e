import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClientSocket } from '../../src/notify/hub-client.ts';
import { NotificationHub } from '../../src/notify/notification-hub.ts';
import { TickflowMetrics } from '../../src/observability/metrics.ts';
import { SubscriptionIndex } from '../../src/notify/subscription-index.ts';
import { bar, signal, trade, windowMetrics } from './records.ts';

/** A socket whose buffer the test fills and drains by hand. */
class FakeSocket implements ClientSocket {
  bufferedAmount = 0;
  readyState = 1;
  sent: Record<string, unknown>[] = [];
  closedWith: [number | undefined, string | undefined] | null = null;
  #callbacks: ((error?: Error) => void)[] = [];
  send(data: Buffer, _options: { binary: boolean }, callback: (error?: Error) => void): void {
    this.sent.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
    this.#callbacks.push(callback);
  }
  close(code?: number, reason?: string): void {
    this.closedWith = [code, reason];
    this.readyState = 2;
  }
  /** The kernel took everything: run the write callbacks. */
  drain(): void {
    this.bufferedAmount = 0;
    const callbacks = this.#callbacks.splice(0);
    for (const callback of callbacks) callback();
  }
}

describe('subscription index', () => {
  it('finds exact and * subscribers once each', () => {
    const index = new SubscriptionIndex<string>();
    index.add('AAPL', 'trades', 'a');
    index.add('*', 'trades', 'b');
    index.add('AAPL', 'trades', 'b');
    index.add('MSFT', 'trades', 'c');
    index.add('AAPL', 'bars', 'c');
    const seen: string[] = [];
    index.forEach('AAPL', 'trades', (client) => seen.push(client));
    assert.deepEqual(seen.sort(), ['a', 'b']);
    index.remove('AAPL', 'trades', 'a');
    index.remove('*', 'trades', 'b');
    seen.length = 0;
    index.forEach('AAPL', 'trades', (client) => seen.push(client));
    assert.deepEqual(seen, ['b']);
  });
});

describe('notification hub', () => {
  it('delivers a record only to the clients subscribed to its symbol and channel', () => {
    const observed: string[] = [];
    const hub = new NotificationHub({ onDelivered: (_record, channel) => observed.push(channel) });
    const [a, b] = [new FakeSocket(), new FakeSocket()];
    hub.connect('stream', a).subscribe(['AAPL'], ['trades']);
    hub.connect('stream', b).subscribe(['*'], ['bars']);
    hub.deliver(trade('AAPL', 1));
    hub.deliver(trade('MSFT', 2));
    hub.deliver(bar('MSFT', 0, 10));
    assert.deepEqual(a.sent.map((m) => m.seq), [1]);
    assert.deepEqual(b.sent.map((m) => m.type), ['bar']);
    assert.deepEqual(observed.sort(), ['bars', 'trades']);
    assert.equal(hub.stats().delivered, 2);
  });

  it('queues past the socket bound, conflates bars and metrics, drops trades and says so once', () => {
    const hub = new NotificationHub({ buffer: 3, maxBufferedBytes: 100 });
    const socket = new FakeSocket();
    const client = hub.connect('stream', socket);
    client.subscribe(['AAPL'], ['trades', 'bars', 'metrics']);
    socket.bufferedAmount = 1_000; // the socket is full: everything queues from here
    hub.deliver(bar('AAPL', 0, 1));
    hub.deliver(windowMetrics('AAPL', 1));
    hub.deliver(bar('AAPL', 0, 2)); // replaces the queued bar
    hub.deliver(windowMetrics('AAPL', 3)); // replaces the queued metrics
    hub.deliver(bar('AAPL', 0, 4, '1m')); // another interval: a place of its own
    for (let seq = 0; seq < 5; seq++) hub.deliver(trade('AAPL', seq)); // the queue is full: all dropped
    assert.equal(socket.sent.length, 0);
    assert.deepEqual(hub.stats(), { notificationClients: 0, streamClients: 1, delivered: 0, dropped: 5, conflated: 2, slowClosed: 0, unreadClosed: 0, rateClosed: 0 });
    socket.drain();
    client.flush(); // no write of ours was pending, so nothing called back: the heartbeat's flush
    assert.deepEqual(
      socket.sent.map((m) => (m.type === 'lagging' ? `lagging ${m.dropped}` : `${m.type} ${m.close ?? m.last}`)),
      ['bar 2', 'window-metrics 3', 'bar 4', 'lagging 5'],
    );
    hub.deliver(trade('AAPL', 9)); // caught up: straight to the socket again
    assert.equal(socket.sent.at(-1)?.seq, 9);
    assert.deepEqual(client.stats(), { id: client.id, endpoint: 'stream', delivered: 4, dropped: 5, conflated: 2, queued: 0, symbols: 1 });
  });

  it('closes a notifications client that falls behind by more than the bound with 4008', () => {
    const hub = new NotificationHub({ buffer: 2, maxBufferedBytes: 100 });
    const [slow, fast] = [new FakeSocket(), new FakeSocket()];
    hub.connect('notifications', slow);
    hub.connect('notifications', fast);
    slow.bufferedAmount = 1_000;
    for (let n = 0; n < 5; n++) hub.deliver(signal('AAPL', n));
    assert.deepEqual(slow.closedWith, [4008, 'slow consumer']);
    assert.equal(fast.sent.length, 5);
    assert.deepEqual(hub.stats(), { notificationClients: 1, streamClients: 0, delivered: 5, dropped: 0, conflated: 0, slowClosed: 1, unreadClosed: 0, rateClosed: 0 });
  });

  it('keeps delivering to everyone else when one socket throws', () => {
    const hub = new NotificationHub();
    const broken = new FakeSocket();
    broken.send = () => {
      throw new Error('torn down');
    };
    const fine = new FakeSocket();
    hub.connect('notifications', broken);
    hub.connect('notifications', fine);
    hub.deliver(signal('AAPL'));
    assert.equal(fine.sent.length, 1);
  });

  it('lets no throwing socket escape a drain: neither the heartbeat flush, nor a write callback, nor a control message', () => {
    const hub = new NotificationHub({ buffer: 10, maxBufferedBytes: 100 });
    const broken = new FakeSocket();
    const client = hub.connect('stream', broken);
    client.subscribe(['AAPL'], ['trades']);
    broken.bufferedAmount = 1_000;
    hub.deliver(trade('AAPL', 1)); // queued
    broken.send = () => {
      throw new Error('torn down');
    };
    broken.bufferedAmount = 0;
    assert.doesNotThrow(() => hub.flush());
    assert.doesNotThrow(() => client.send({ type: 'error', message: 'bad' }));
    assert.equal(hub.stats().delivered, 0);
  });

  it('refuses a subscription past the symbol limit without changing anything', () => {
    const hub = new NotificationHub({ maxSymbolsPerClient: 2 });
    const client = hub.connect('stream', new FakeSocket());
    assert.deepEqual(client.subscribe(['A', 'B'], ['trades']), { trades: ['A', 'B'] });
    assert.match(String(client.subscribe(['C'], ['trades'])), /at most 2 symbols/);
    assert.deepEqual(client.subscriptions(), { A: ['trades'], B: ['trades'] });
    client.unsubscribe(['A'], ['trades']);
    assert.deepEqual(client.subscriptions(), { B: ['trades'] });
  });

  it('says what a subscribe added and an unsubscribe removed, not the whole set', () => {
    const client = new NotificationHub().connect('stream', new FakeSocket());
    assert.deepEqual(client.subscribe(['A', 'B'], ['trades', 'bars']), { trades: ['A', 'B'], bars: ['A', 'B'] });
    assert.deepEqual(client.subscribe(['A', 'B', 'C'], ['trades']), { trades: ['C'] });
    assert.deepEqual(client.subscribe(['A'], ['trades']), {});
    assert.deepEqual(client.unsubscribe(['A', 'Z'], ['trades', 'metrics']), { trades: ['A'] });
    assert.equal(client.symbols, 3);
  });

  it('shows in the Prometheus metrics: clients, drops, deliveries and their latency', async () => {
    const metrics = new TickflowMetrics({ defaultMetrics: false });
    const hub = new NotificationHub({ buffer: 1, maxBufferedBytes: 100, onDelivered: metrics.clientDelivered });
    metrics.watchClients(() => hub.stats());
    const socket = new FakeSocket();
    hub.connect('stream', socket).subscribe(['*'], ['trades']);
    hub.connect('notifications', new FakeSocket());
    hub.deliver(trade('AAPL', 1));
    socket.bufferedAmount = 1_000;
    for (let seq = 2; seq < 5; seq++) hub.deliver(trade('AAPL', seq));
    const text = await metrics.text();
    assert.match(text, /tickflow_ws_clients\{endpoint="stream"\} 1/);
    assert.match(text, /tickflow_ws_clients\{endpoint="notifications"\} 1/);
    assert.match(text, /tickflow_ws_records_delivered_total 1/);
    assert.match(text, /tickflow_ws_trades_dropped_total 2/);
    assert.match(text, /tickflow_exchange_to_client_seconds_count\{channel="trades"\} 1/);
  });
});

describe('clients that do not read, or send too much', () => {
  it('closes a stream client with 4009 once its socket buffer and queue hold more than the byte bound', () => {
    const hub = new NotificationHub({ maxBufferedBytes: 100, maxOutstandingBytes: 2_000 });
    const socket = new FakeSocket();
    hub.connect('stream', socket).subscribe(['AAPL'], ['trades']);
    socket.bufferedAmount = 1_000;
    // Each trade is ~150 bytes: well within the queue's 1,000 messages, but past 2,000 bytes.
    for (let seq = 0; seq < 20 && !socket.closedWith; seq++) hub.deliver(trade('AAPL', seq));
    assert.equal(socket.closedWith?.[0], 4009);
    assert.match(socket.closedWith?.[1] ?? '', /^not reading: \d+ bytes unread, at most 2000$/);
    assert.equal(hub.stats().unreadClosed, 1);
    assert.equal(hub.stats().streamClients, 0);
  });

  it('closes with 4009 a client whose queued messages its socket did not take for maxUnreadMs; one that reads stays', async () => {
    const hub = new NotificationHub({ maxBufferedBytes: 100, maxUnreadMs: 50 });
    const [stuck, reading] = [new FakeSocket(), new FakeSocket()];
    for (const socket of [stuck, reading]) {
      hub.connect('stream', socket).subscribe(['AAPL'], ['trades']);
      socket.send(Buffer.from('{}'), { binary: false }, () => {}); // a write of its own the kernel has not taken
      socket.bufferedAmount = 1_000;
    }
    hub.deliver(trade('AAPL', 1)); // queued for both
    await new Promise((resolve) => setTimeout(resolve, 60));
    reading.drain(); // it read: its write callbacks ran
    await new Promise((resolve) => setTimeout(resolve, 60));
    hub.flush(); // the heartbeat's tick
    assert.deepEqual(stuck.closedWith, [4009, 'not reading: nothing taken for 50 ms']);
    assert.equal(reading.closedWith, null);
    assert.equal(hub.stats().unreadClosed, 1);
  });

  it('answers the first message past the rate with an error, ignores the next, and closes with 1008 if they keep coming', () => {
    const hub = new NotificationHub({ clientMessages: { perSecond: 0.001, burst: 3 } });
    const socket = new FakeSocket();
    const client = hub.connect('stream', socket);
    assert.deepEqual([client.admit(), client.admit(), client.admit()], [true, true, true]);
    assert.equal(client.admit(), false);
    assert.match(String(socket.sent.at(-1)?.message), /^too many messages: at most 0.001\/s \(bursts of 3\)/);
    assert.equal(client.admit(), false);
    assert.equal(socket.sent.length, 1, 'told once');
    assert.equal(socket.closedWith, null);
    assert.equal(client.admit(), false);
    assert.deepEqual(socket.closedWith, [1008, 'too many messages: over 0.001/s']);
    assert.equal(hub.stats().rateClosed, 1);
  });

  it('shows the 4009 and 1008 closes in the Prometheus metrics', async () => {
    const metrics = new TickflowMetrics({ defaultMetrics: false });
    const hub = new NotificationHub({ maxBufferedBytes: 100, maxOutstandingBytes: 100, clientMessages: { perSecond: 0.001, burst: 1 } });
    metrics.watchClients(() => hub.stats());
    const unread = new FakeSocket();
    unread.bufferedAmount = 1_000;
    hub.connect('notifications', unread).send({ type: 'error', message: 'queued past the bound' });
    const flooding = hub.connect('stream', new FakeSocket());
    for (let n = 0; n < 3; n++) flooding.admit();
    const text = await metrics.text();
    assert.match(text, /^tickflow_ws_unread_clients_closed_total 1$/m);
    assert.match(text, /^tickflow_ws_rate_limited_clients_closed_total 1$/m);
  });
});
