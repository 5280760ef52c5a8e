import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { waitFor, within } from '../support/wait.ts';
import { alert, bar, signal, trade, windowMetrics } from './records.ts';
import { connect, serve, subscribe, type Served, type TestClient } from './ws-support.ts';

const TOKEN = 'sekrit-token-0123456789';

describe('websocket routes', () => {
  const servers: Served[] = [];
  const clients: TestClient[] = [];
  const start = async (...args: Parameters<typeof serve>) => {
    const served = await serve(...args);
    servers.push(served);
    return served;
  };
  const open = async (...args: Parameters<typeof connect>) => {
    const client = await connect(...args);
    clients.push(client);
    return client;
  };
  after(async () => {
    for (const client of clients) client.ws.terminate();
    await Promise.all(servers.map((served) => within(served.app.close(), 5_000, 'app.close()')));
  });

  it('says hello on both endpoints', async () => {
    const { url } = await start({ heartbeatMs: 5_000 });
    const notifications = await open(`${url}/ws/notifications`);
    const stream = await open(`${url}/ws/stream`);
    assert.deepEqual(await notifications.next((m) => m.type === 'hello', 'hello'), { type: 'hello', endpoint: 'notifications', instance: 'test-1', heartbeatMs: 5_000 });
    assert.deepEqual(await stream.next((m) => m.type === 'hello', 'hello'), { type: 'hello', endpoint: 'stream', instance: 'test-1', heartbeatMs: 5_000 });
  });

  it('sends only the subscribed symbols and channels, until unsubscribed', async () => {
    const { url, hub } = await start();
    const client = await open(`${url}/ws/stream`);
    assert.deepEqual(await subscribe(client, ['AAPL', 'BINANCE:BTCUSDT'], ['trades', 'bars']), {
      type: 'subscribed',
      added: { trades: ['AAPL', 'BINANCE:BTCUSDT'], bars: ['AAPL', 'BINANCE:BTCUSDT'] },
      removed: {},
      symbols: 2,
    });
    hub.deliver(trade('MSFT', 1));
    hub.deliver(windowMetrics('AAPL', 5));
    hub.deliver(bar('BINANCE:BTCUSDT', 0, 7));
    hub.deliver(trade('AAPL', 2));
    await client.next((m) => m.type === 'trade' && m.seq === 2, 'the AAPL trade');
    assert.deepEqual(
      client.messages.filter((m) => !['hello', 'subscribed'].includes(m.type)).map((m) => `${m.type} ${m.symbol}`),
      ['bar BINANCE:BTCUSDT', 'trade AAPL'],
    );
    client.send({ op: 'unsubscribe', symbols: ['AAPL'], channels: ['trades'] });
    await client.next((m) => m.type === 'subscribed' && m.removed.trades !== undefined, 'unsubscribed');
    hub.deliver(trade('AAPL', 3));
    hub.deliver(trade('BINANCE:BTCUSDT', 4));
    await client.next((m) => m.seq === 4, 'the BTC trade');
    assert.equal(client.messages.some((m) => m.seq === 3), false);
    assert.deepEqual(client.of('subscribed').at(-1), { type: 'subscribed', added: {}, removed: { trades: ['AAPL'] }, symbols: 2 });
  });

  it('sends every symbol to a * subscription, once even when also subscribed by name', async () => {
    const { url, hub } = await start();
    const client = await open(`${url}/ws/stream`);
    await subscribe(client, ['*']);
    await subscribe(client, ['AAPL'], ['trades']);
    hub.deliver(trade('AAPL', 1));
    hub.deliver(trade('OANDA:EUR_USD', 2));
    hub.deliver(windowMetrics('SPY', 3));
    await client.next((m) => m.type === 'window-metrics', 'metrics');
    assert.deepEqual(client.of('trade').map((m) => m.seq), [1, 2]);
  });

  it('delivers every signal and alert to every notifications client', async () => {
    const { url, hub } = await start();
    const all = await Promise.all([1, 2, 3].map(() => open(`${url}/ws/notifications`)));
    await waitFor(() => hub.stats().notificationClients === 3, '3 clients');
    hub.deliver(signal('AAPL', 1));
    hub.deliver(alert('MSFT', 1));
    hub.deliver(trade('AAPL', 1)); // not a notification
    for (const client of all) {
      await client.next((m) => m.type === 'alert', 'the alert');
      assert.deepEqual(client.messages.map((m) => m.type), ['hello', 'signal', 'alert']);
      assert.equal(client.of('signal')[0]?.reason, 'test signal 1');
    }
  });

  it('answers a bad message with an error and keeps the socket usable', async () => {
    const { url, hub } = await start({ maxMessageBytes: 1_024 });
    const client = await open(`${url}/ws/stream`);
    const bad: unknown[] = [
      'not json',
      '[1,2]',
      { op: 'explode' },
      { op: 'subscribe', symbols: [] },
      { op: 'subscribe', symbols: ['has space'] },
      { op: 'subscribe', symbols: ['AAPL'], channels: ['quotes'] },
      { op: 'subscribe', symbols: ['A'.repeat(2_000)] },
    ];
    for (const message of bad) client.send(message);
    client.ws.send(Buffer.from('{}'), { binary: true });
    await waitFor(() => client.of('error').length === bad.length + 1, 'an error for each');
    assert.deepEqual(
      client.of('error').map((m) => (m.message as string).split(/[:;]/)[0]),
      ['not JSON', 'a message must be a JSON object with an "op"', 'unknown op "explode"', '"symbols" must be a non-empty array of symbols (or ["*"])', 'bad symbol "has space"', 'unknown channel "quotes"', 'message too long', 'binary frames are not accepted'],
    );
    await subscribe(client, ['AAPL']);
    hub.deliver(trade('AAPL', 42));
    await client.next((m) => m.seq === 42, 'a trade after the errors');
    assert.equal(client.ws.readyState, client.ws.OPEN);
  });

  it('closes with 1009 a frame past the hard limit (4 × the message limit)', async () => {
    const { url } = await start({ maxMessageBytes: 1_024 });
    const client = await open(`${url}/ws/stream`);
    client.send('x'.repeat(5_000));
    assert.equal((await within(client.closed, 5_000, 'close')).code, 1009);
  });

  it('caps the symbols one client may subscribe to', async () => {
    const { url } = await start({}, { maxSymbolsPerClient: 3 });
    const client = await open(`${url}/ws/stream`);
    await subscribe(client, ['A', 'B']);
    const refused = await subscribe(client, ['C', 'D']);
    assert.equal(refused.type, 'error');
    assert.match(refused.message, /at most 3 symbols/);
    assert.deepEqual(await subscribe(client, ['C']), { type: 'subscribed', added: { bars: ['C'], metrics: ['C'], trades: ['C'] }, removed: {}, symbols: 3 });
  });

  it('answers messages past the rate with one error, then closes with 1008 if they keep coming', async () => {
    const { url, hub } = await start({}, { clientMessages: { perSecond: 1, burst: 5 } });
    const client = await open(`${url}/ws/stream`);
    for (let n = 0; n < 20; n++) client.send({ op: 'subscribe', symbols: [`S${n}`] });
    assert.deepEqual(await within(client.closed, 5_000, 'closed'), { code: 1008, reason: 'too many messages: over 1/s' });
    assert.equal(client.of('subscribed').length, 5);
    assert.deepEqual(client.of('error').map((m) => m.message), [
      'too many messages: at most 1/s (bursts of 5); messages are ignored until you slow down, and 5 refused in a row close the connection (1008)',
    ]);
    assert.equal(hub.stats().rateClosed, 1);
  });

  it('counts pings against the rate too', async () => {
    const { url } = await start({}, { clientMessages: { perSecond: 1, burst: 5 } });
    const client = await open(`${url}/ws/notifications`);
    for (let n = 0; n < 20; n++) client.ws.ping();
    assert.equal((await within(client.closed, 5_000, 'closed')).code, 1008);
  });

  it('requires the token when one is set, as a header or a subprotocol, and never logs it', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) }));
    const { url } = await start({ token: TOKEN }, {}, logger);
    await assert.rejects(connect(`${url}/ws/stream`), /HTTP 401/);
    await assert.rejects(connect(`${url}/ws/notifications`, [], { headers: { authorization: 'Bearer wrong-token-0123456789' } }), /HTTP 401/);
    await assert.rejects(connect(`${url}/ws/stream`, ['tickflow.v1', 'bearer.wrong']), /HTTP 401/);
    const byHeader = await open(`${url}/ws/stream`, [], { headers: { authorization: `Bearer ${TOKEN}` } });
    await byHeader.next((m) => m.type === 'hello', 'hello');
    const byProtocol = await open(`${url}/ws/notifications`, ['tickflow.v1', `bearer.${TOKEN}`]);
    assert.equal(byProtocol.ws.protocol, 'tickflow.v1');
    await byProtocol.next((m) => m.type === 'hello', 'hello');
    assert.ok(lines.length > 0, 'the app logged requests');
    assert.equal(lines.filter((line) => line.includes(TOKEN) || line.includes('wrong-token')).length, 0);
  });

  it('answers tickflow.v1 when asked without a token', async () => {
    const { url } = await start();
    const client = await open(`${url}/ws/stream`, ['tickflow.v1']);
    assert.equal(client.ws.protocol, 'tickflow.v1');
  });

  it('terminates a client that stops answering pings and keeps the others', async () => {
    const { url, hub } = await start({ heartbeatMs: 100 });
    const silent = await open(`${url}/ws/stream`, [], { autoPong: false });
    const alive = await open(`${url}/ws/stream`);
    let pings = 0;
    alive.ws.on('ping', () => pings++);
    const closed = await within(silent.closed, 5_000, 'the silent client to be terminated');
    assert.equal(closed.code, 1006); // terminated: no closing handshake
    await waitFor(() => pings >= 3, 'the live client to answer a few more pings');
    assert.equal(alive.ws.readyState, alive.ws.OPEN);
    assert.equal(hub.stats().streamClients, 1);
  });

  it('conflates and drops for a paused stream client while a fast one gets everything in order', async () => {
    const { url, hub } = await start({ heartbeatMs: 60_000 }, { buffer: 50, maxBufferedBytes: 16 * 1024 });
    const slow = await open(`${url}/ws/stream`);
    const fast = await open(`${url}/ws/stream`);
    await subscribe(slow, ['AAPL']);
    await subscribe(fast, ['AAPL']);
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const padding = Array.from({ length: 100 }, (_, i) => `condition-${i}`); // ~1.5 KB a trade
    let seq = 0;
    let slowest = 0;
    while (hub.clients().find((client) => client.id === 1)!.dropped < 500 && seq < 40_000) {
      const started = performance.now();
      for (let i = 0; i < 200; i++, seq++) {
        hub.deliver(trade('AAPL', seq, { conditions: padding }));
        if (seq % 50 === 0) hub.deliver(bar('AAPL', 0, seq));
      }
      slowest = Math.max(slowest, performance.now() - started);
      const sent = seq;
      await fast.next((m) => m.seq === sent - 1, `the fast client to get trade ${sent - 1}`);
    }
    const slowStats = hub.clients().find((client) => client.id === 1)!;
    assert.ok(slowStats.dropped >= 500, `the slow client dropped ${slowStats.dropped}`);
    assert.ok(slowStats.conflated > 0, 'bars conflated');
    assert.ok(slowest < 250, `200 delivers took ${slowest.toFixed(1)} ms at most`);
    assert.deepEqual(fast.of('trade').map((m) => m.seq), Array.from({ length: seq }, (_, i) => i));
    assert.equal(hub.clients().find((client) => client.id === 2)!.dropped, 0);
    // Resumed, the slow client reads what was buffered, is told what it missed, and catches up.
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const lagging = await slow.next((m) => m.type === 'lagging', 'the lagging notice', 10_000);
    assert.equal(lagging.dropped, slowStats.dropped);
    hub.deliver(trade('AAPL', seq));
    await slow.next((m) => m.seq === seq, 'a live trade after catching up', 10_000);
    assert.equal(slow.of('lagging').length, 1);
    const slowSeqs = slow.of('trade').map((m) => m.seq as number);
    assert.deepEqual(slowSeqs, [...slowSeqs].sort((a, b) => a - b), 'what the slow client got is in order');
    assert.equal(slowSeqs.length + slowStats.dropped, seq + 1);
  });

  it('closes a paused notifications client with 4008 while a fast one gets every notification', async () => {
    const { url, hub } = await start({ heartbeatMs: 60_000, closeTimeoutMs: 10_000 }, { buffer: 20, maxBufferedBytes: 16 * 1024 });
    const slow = await open(`${url}/ws/notifications`);
    const fast = await open(`${url}/ws/notifications`);
    await waitFor(() => hub.stats().notificationClients === 2, 'two clients');
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    let n = 0;
    while (hub.stats().slowClosed === 0 && n < 40_000) {
      for (let i = 0; i < 200; i++, n++) hub.deliver({ ...signal('AAPL', n), reason: 'x'.repeat(1_000) });
      const sent = n;
      await fast.next((m) => m.price === 100 + sent - 1, `notification ${sent - 1}`);
    }
    assert.equal(hub.stats().slowClosed, 1);
    assert.deepEqual(fast.of('signal').map((m) => m.price - 100), Array.from({ length: n }, (_, i) => i));
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    assert.deepEqual(await within(slow.closed, 10_000, 'the slow client closed'), { code: 4008, reason: 'slow consumer' });
    assert.equal(hub.stats().notificationClients, 1);
  });

  it('closes every socket with 1001 on app.close(), a paused one too, without hanging', async () => {
    const { app, url, hub } = await start({ closeTimeoutMs: 300 }, { maxBufferedBytes: 16 * 1024 });
    const stream = await open(`${url}/ws/stream`);
    const notifications = await open(`${url}/ws/notifications`);
    const paused = await open(`${url}/ws/stream`);
    await subscribe(paused, ['*']);
    (paused.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let seq = 0; seq < 5_000; seq++) hub.deliver(trade('AAPL', seq, { conditions: Array.from({ length: 50 }, () => 'padding') }));
    await within(app.close(), 5_000, 'app.close()');
    assert.deepEqual(await within(stream.closed, 2_000, 'stream closed'), { code: 1001, reason: 'server shutting down' });
    assert.equal((await within(notifications.closed, 2_000, 'notifications closed')).code, 1001);
    (paused.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await within(paused.closed, 5_000, 'the paused client closed');
    assert.deepEqual(hub.stats().streamClients + hub.stats().notificationClients, 0);
  });

  it('answers a plain GET with 426', async () => {
    const { app } = await start();
    const response = await app.inject({ method: 'GET', url: '/ws/stream' });
    assert.equal(response.statusCode, 426);
  });
});
