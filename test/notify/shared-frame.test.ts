import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import type { ClientSocket } from '../../src/notify/hub-client.ts';
import { waitFor } from '../support/wait.ts';
import { trade } from './records.ts';
import { connect, serve, subscribe, type Served, type TestClient } from './ws-support.ts';

describe('shared frames over real sockets', () => {
  let served: Served;
  const serverSockets: WebSocket[] = [];
  let perClientSends = 0;

  before(async () => {
    served = await serve();
    const connectClient = served.hub.connect.bind(served.hub);
    served.hub.connect = (endpoint, socket: ClientSocket) => {
      const ws = socket as WebSocket;
      serverSockets.push(ws);
      const send = ws.send.bind(ws);
      ws.send = ((...args: Parameters<WebSocket['send']>) => (perClientSends++, send(...args))) as WebSocket['send'];
      return connectClient(endpoint, socket);
    };
  });
  after(() => served.app.close());

  it('negotiates no permessage-deflate, even when the client offers it (shared frames are uncompressed)', async () => {
    const client = await connect(`${served.url}/ws/stream`, [], { perMessageDeflate: true });
    try {
      await client.next((message) => message.type === 'hello', 'hello');
      assert.equal(client.ws.extensions, '', 'the client got no extension');
      assert.equal(serverSockets.at(-1)?.extensions, '', 'the server socket has no extension');
    } finally {
      client.ws.close();
      await client.closed;
    }
  });

  it('gives several clients byte-identical messages, non-ASCII and past 64 KiB included, none through ws.send', async () => {
    const clients: TestClient[] = await Promise.all([1, 2, 3].map(() => connect(`${served.url}/ws/stream`)));
    const received = clients.map(() => [] as Buffer[]);
    clients.forEach((client, i) => client.ws.on('message', (data: Buffer, isBinary: boolean) => !isBinary && received[i]!.push(data)));
    try {
      for (const client of clients) assert.equal((await subscribe(client, ['XETRA:SAP'], ['trades'])).type, 'subscribed');
      const sendsBefore = perClientSends;
      const records = [
        trade('XETRA:SAP', 1, { conditions: ['日本株', '📈', 'ü'] }),
        trade('XETRA:SAP', 2, { conditions: Array.from({ length: 8_000 }, (_, i) => `€${i}`) }), // > 64 KiB: the 8-byte length
        trade('XETRA:SAP', 3, { conditions: ['x'.repeat(200)] }), // the 2-byte length
      ];
      const expected = records.map((record) => Buffer.from(JSON.stringify(record)));
      assert.ok(expected[1]!.length > 65_536);
      served.hub.deliverBatch(records.slice(0, 2));
      served.hub.deliver(records[2]!);
      for (const [i, client] of clients.entries()) {
        await client.next((message) => message.seq === 3, `the last trade at client ${i}`);
        assert.deepEqual(received[i]!.filter((data) => data.includes('"type":"trade"')), expected, `client ${i}`);
      }
      assert.equal(perClientSends, sendsBefore, 'no record went through ws.send');
    } finally {
      for (const client of clients) client.ws.close();
      await Promise.all(clients.map((client) => client.closed));
    }
  });

  it('keeps ws frames (pings, pongs, close) whole between shared frames', async () => {
    const client = await connect(`${served.url}/ws/stream`);
    const pings: string[] = [];
    const pongs: string[] = [];
    client.ws.on('ping', (data: Buffer) => pings.push(String(data)));
    client.ws.on('pong', (data: Buffer) => pongs.push(String(data)));
    await subscribe(client, ['AAPL'], ['trades']);
    const server = serverSockets.at(-1)!;
    client.ws.ping(Buffer.from('from the client'));
    for (let seq = 0; seq < 200; seq++) {
      served.hub.deliver(trade('AAPL', seq));
      if (seq % 50 === 0) server.ping(Buffer.from(`p${seq}`));
      if (seq === 100) await waitFor(() => pongs.length === 1, 'the pong, answered among the trades');
    }
    server.close(1001, 'bye');
    served.hub.deliver(trade('AAPL', 200)); // after the close frame: not written
    const { code, reason } = await client.closed;
    assert.equal(code, 1001);
    assert.equal(reason, 'bye');
    assert.deepEqual(client.of('trade').map((message) => message.seq), Array.from({ length: 200 }, (_, seq) => seq));
    assert.deepEqual(pings, ['p0', 'p50', 'p100', 'p150']);
    assert.deepEqual(pongs, ['from the client']);
  });
});
