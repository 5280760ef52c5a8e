import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'node:test';
import { Lifecycle } from '../../../src/cli/compose/lifecycle.ts';
import { createLogger } from '../../../src/logger.ts';

function loggedLifecycle(slowStopMs: number): { lifecycle: Lifecycle; lines: () => Array<Record<string, unknown>> } {
  const file = join(mkdtempSync(join(tmpdir(), 'tickflow-lifecycle-')), 'log.json');
  const logger = createLogger({ destination: file, pretty: false, level: 'info' });
  const lines = () => {
    logger.flush();
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  };
  return { lifecycle: new Lifecycle(logger, { slowStopMs }), lines };
}

it('starts parts in the order added and stops them in reverse; a failing stop does not keep the rest running', async () => {
  const { lifecycle, lines } = loggedLifecycle(10_000);
  const events: string[] = [];
  for (const name of ['store', 'bus', 'processors', 'http']) {
    lifecycle.add({
      name,
      start: async () => void events.push(`start ${name}`),
      stop: async () => {
        events.push(`stop ${name}`);
        if (name === 'bus') throw new Error('broker gone');
      },
    });
  }
  await lifecycle.start();
  await Promise.all([lifecycle.stop(), lifecycle.stop()]);
  assert.deepEqual(events, ['start store', 'start bus', 'start processors', 'start http', 'stop http', 'stop processors', 'stop bus', 'stop store']);
  assert.deepEqual(lines().filter((line) => line.level === 50).map((line) => line.part), ['bus']);
});

it('names a part that was slow to stop, with how long it took', async () => {
  const { lifecycle, lines } = loggedLifecycle(30);
  lifecycle.add({ name: 'quick', stop: async () => {} });
  lifecycle.add({ name: 'websockets', stop: () => sleep(60) });
  await lifecycle.stop();
  const slow = lines().filter((line) => line.level === 40);
  assert.deepEqual(slow.map((line) => line.part), ['websockets']);
  assert.ok((slow[0]!.ms as number) >= 30);
  assert.match(slow[0]!.msg as string, /stopping websockets took \d+ ms/);
});
