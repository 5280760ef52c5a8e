import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/api/app.ts';
import { NotificationHub } from '../../../src/notify/notification-hub.ts';
import { connect, type TestClient } from '../../notify/ws-support.ts';
import { idleStatus } from '../../support/pipeline-status.ts';
import { EngineGateway, KEY, MONDAY_10AM, print } from './support.ts';


async function serve(withNotify: boolean): Promise<{ app: FastifyInstance; gateway: EngineGateway; url: string }> {
  const gateway = new EngineGateway(MONDAY_10AM);
  gateway.addAccount('acct-1', KEY.keyId, KEY.secret);
  const app = await buildApp({ status: idleStatus, trading: { gateway, now: () => gateway.at }, ...(withNotify ? { notify: { hub: new NotificationHub(), instance: 'test' } } : {}) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  assert.ok(address && typeof address === 'object');
  return { app, gateway, url: `ws://127.0.0.1:${address.port}` };
}

const authenticate = (client: TestClient, secret: string = KEY.secret) => client.send({ action: 'authenticate', data: { key_id: KEY.keyId, secret_key: secret } });

describe('the trade-updates stream (/stream)', () => {
  for (const withNotify of [false, true]) {
    it(`authenticates, listens and streams the account's updates as JSON text frames${withNotify ? ', next to the notify WebSockets' : ''}`, async () => {
      const { app, gateway, url } = await serve(withNotify);
      try {
        const client = await connect(`${url}/stream`);
        authenticate(client);
        assert.deepEqual(await client.next((m) => m.stream === 'authorization', 'authorization'), { stream: 'authorization', data: { status: 'authorized', action: 'authenticate' } });
        client.send({ action: 'listen', data: { streams: ['trade_updates'] } });
        assert.deepEqual(await client.next((m) => m.stream === 'listening', 'listening'), { stream: 'listening', data: { streams: ['trade_updates'] } });
        gateway.feed(print('AAPL', 100, 1_000, MONDAY_10AM));
        const submitted = await gateway.submitOrder('acct-1', {
          type: 'order-request', symbol: 'AAPL', qty: '3', notional: null, side: 'buy', order_type: 'market', time_in_force: 'day',
          limit_price: null, stop_price: null, trail_price: null, trail_percent: null, extended_hours: false, client_order_id: 'm1',
        });
        assert.ok(submitted.ok);
        gateway.feed(print('AAPL', 101, 1_000, MONDAY_10AM + 1_000));
        const fill = await client.next((m) => m.stream === 'trade_updates' && m.data.event === 'fill', 'the fill');
        assert.equal(fill.data.order.client_order_id, 'm1');
        assert.equal(fill.data.order.type, 'market');
        assert.equal(fill.data.qty, '3');
        assert.equal(fill.data.position_qty, '3');
        assert.equal(typeof fill.data.execution_id, 'string');
        assert.equal(fill.data.timestamp, new Date(MONDAY_10AM + 1_000).toISOString());
        client.ws.close();
        await client.closed;
        if (withNotify) {
          const notify = await connect(`${url}/ws/stream`);
          await notify.next((m) => m.type === 'hello', 'the notify hello');
          notify.ws.close();
          await notify.closed;
        }
      } finally {
        await app.close();
      }
    });
  }

  it('answers a wrong secret with unauthorized and closes; refuses listen before authenticate and malformed frames', async () => {
    const { app, url } = await serve(false);
    try {
      const early = await connect(`${url}/stream`);
      early.send({ action: 'listen', data: { streams: ['trade_updates'] } });
      assert.deepEqual(await early.next((m) => m.action === 'error', 'the error'), { action: 'error', data: { error_message: 'authenticate first' } });
      early.send('not json');
      await early.next((m) => m.action === 'error' && m.data.error_message === 'messages must be JSON objects', 'the second error');
      early.ws.close();

      const wrong = await connect(`${url}/stream`);
      authenticate(wrong, 'wrong');
      assert.deepEqual(await wrong.next((m) => m.stream === 'authorization', 'authorization'), { stream: 'authorization', data: { status: 'unauthorized', action: 'authenticate' } });
      assert.equal((await wrong.closed).code, 1008);
    } finally {
      await app.close();
    }
  });
});
