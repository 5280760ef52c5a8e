import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import { systemClock } from '../../../src/clock.ts';
import { PART_TOPICS, partTopics, statefulParts, type PartName, type TopicUse } from '../../../src/cli/compose/part-topics.ts';
import { createProcessor, type ProcessorContext, type ProcessorName } from '../../../src/cli/compose/processor-factory.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { silentLogger } from '../../../src/logger.ts';
import { NotificationHub } from '../../../src/notify/notification-hub.ts';
import { createStore } from '../../../src/store/create-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { STATE_TOPIC_PROCESSORS, topicNames } from '../../../src/topics.ts';

/** The processors built here without a trading service (trading, trader and strategy need one). */
const BUILT: readonly ProcessorName[] = ['aggregator', 'signals', 'alerts', 'storage', 'archive', 'moving-averages', 'notify', 'kinesis', 'logger'];

describe('PART_TOPICS, the topics the processors are built from', () => {
  it('declares stateful exactly the processors whose state topics the topic names are checked against', () => {
    assert.deepEqual(statefulParts(), [...STATE_TOPIC_PROCESSORS]);
  });

  const dir = mkdtempSync(join(tmpdir(), 'tickflow-part-topics-'));
  let store: Store;
  let context: ProcessorContext;

  before(async () => {
    store = await createStore({ dataDir: dir });
    const config = loadConfig({ TICKFLOW_DATA_DIR: dir, TICKFLOW_TOPIC_PREFIX: 'q-', KINESIS_STREAM: 'ticks', AWS_REGION: 'us-east-1' }, '/nonexistent/.env');
    context = {
      config,
      bus: new MemoryBus(),
      topics: topicNames(config.topicPrefix),
      clock: systemClock,
      logger: silentLogger(),
      barsOnEventTime: false,
      archiveDir: join(dir, 'archive'),
      store,
      notifyHub: new NotificationHub(),
      trading: null,
    };
  });

  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const name of BUILT) {
    it(`${name} consumes exactly the topics it declares`, () => {
      const spec = createProcessor(name, context);
      const consumed = spec.kind === 'stateful' ? [spec.processor.input] : spec.processor.topics;
      assert.deepEqual([...consumed].sort(), Object.values(partTopics(name, context.topics).reads).sort());
      assert.equal(spec.kind === 'stateful', statefulParts().includes(name), 'stateful exactly when declared so');
    });
  }

  it('names a topic kind under every role, and each part reads or writes something', () => {
    for (const [part, use] of Object.entries(PART_TOPICS) as Array<[PartName, TopicUse]>) {
      assert.ok(Object.keys(use.reads).length + Object.keys(use.writes).length > 0, part);
      const { reads, writes } = partTopics(part, topicNames('z-'));
      for (const name of [...Object.values(reads), ...Object.values(writes)]) assert.match(name, /^z-[a-z-]+$/, part);
    }
  });
});
