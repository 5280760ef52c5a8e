/**
 * In the embedded mode the live path (the aggregator, notify) reads in the foreground and every other
 * processor in the background (`ConsumerOptions.background`): checked on the consumers a real
 * assembly opens on its memory bus.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import type { ConsumerOptions } from '../../../src/bus/bus.ts';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import { assemble } from '../../../src/cli/compose/assemble.ts';
import { PROCESSOR_NAMES, runsInBackground } from '../../../src/cli/compose/processor-factory.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { silentLogger } from '../../../src/logger.ts';

const opened: ConsumerOptions[] = [];
const consumer = MemoryBus.prototype.consumer;
MemoryBus.prototype.consumer = function (this: MemoryBus, options: ConsumerOptions) {
  opened.push(options);
  return consumer.call(this, options);
};
after(() => void (MemoryBus.prototype.consumer = consumer));

it('reads only the aggregator and notify in the foreground', () => {
  const foreground = PROCESSOR_NAMES.filter((name) => !runsInBackground(name));
  assert.deepEqual(foreground.sort(), ['aggregator', 'notify']);
});

it("opens the background processors' consumers as background consumers, the aggregator's not", async () => {
  const config = loadConfig({ TICKFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'tickflow-background-')), TICKFLOW_JOURNAL: 'off' }, '/nonexistent');
  const assembly = await assemble({ config, logger: silentLogger(), bus: 'memory', source: null, processors: ['aggregator', 'signals', 'archive'], http: null, drainMs: 1_000 });
  await assembly.start();
  await assembly.stop();
  const background = Object.fromEntries(opened.map(({ groupId, background }) => [groupId, background === true]));
  assert.deepEqual(background, { 'tickflow-aggregator': false, 'tickflow-signals': true, 'tickflow-archive': true });
});
