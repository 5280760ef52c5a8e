import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import Fastify from 'fastify';
import { FrontDoor } from '../../src/api/front-door.ts';
import { within } from '../support/wait.ts';

const door = new FrontDoor();
after(() => door.close());

async function get(path: string): Promise<{ status: number; type: string; body: Record<string, unknown> }> {
  const { port } = door.server.address() as { port: number };
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, unknown> };
}

it('answers /healthz 200 and /readyz 503 with the step it waits for, every other path 503 problem+json, until the app is served', async () => {
  await door.listen('127.0.0.1', 0);
  door.starting('opening the store');
  assert.equal((await get('/healthz')).status, 200);
  assert.equal((await get('/healthz')).body.status, 'ok');
  const ready = await get('/readyz');
  assert.equal(ready.status, 503);
  assert.deepEqual(ready.body.reasons, ['starting: opening the store']);
  const other = await get('/v1/symbols?x=1');
  assert.equal(other.status, 503);
  assert.match(other.type, /^application\/problem\+json/);
  assert.deepEqual(other.body, { type: 'https://tickflow.dev/problems/503', title: 'Service Unavailable', status: 503, detail: 'tickflow is not ready yet (opening the store); try again shortly', instance: '/v1/symbols' });

  const app = Fastify({ serverFactory: door.serverFactory });
  app.get('/hello', async () => ({ hello: 'world' }));
  await app.ready();
  assert.equal((await get('/hello')).status, 503, 'built but not served yet');
  door.serve();
  assert.deepEqual((await get('/hello')).body, { hello: 'world' });
  assert.equal((await get('/healthz')).status, 404, "served: the app's own routes answer");

  door.stopping();
  assert.equal((await get('/healthz')).status, 200, 'alive while shutting down');
  assert.deepEqual((await get('/readyz')).body.reasons, ['shutting down']);
  assert.equal((await get('/hello')).body.detail, 'tickflow is shutting down');
  await app.close();
  await within(door.close(), 5_000, 'the door closing');
  assert.equal(door.server.listening, false);
});
