import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KafkaBus } from '../../../src/bus/kafka/kafka-bus.ts';
import { NotifyProcessor, notifyGroupId } from '../../../src/processors/notify/notify-processor.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import { systemClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { kafkaFixture, TEST_BUS_OPTIONS, type KafkaFixture } from '../../support/kafka.ts';
import { within } from '../../support/wait.ts';
import { alert, signal } from '../../notify/records.ts';
import { connect, serve, type Served, type TestClient } from '../../notify/ws-support.ts';

/**
 * Two notification instances side by side on one Kafka cluster, each on its own bus connection,
 * in its own consumer group from the live end: a signal published once reaches a client of each.
 */
describe('notify instances on Kafka', () => {
  let fixture: KafkaFixture;
  let secondBus: KafkaBus;
  const instances: { served: Served; runner: ProcessorRunner; client: TestClient }[] = [];
  let topics: { raw: string; metrics: string; signals: string; alerts: string };

  before(async () => {
    fixture = await kafkaFixture();
    secondBus = new KafkaBus(TEST_BUS_OPTIONS);
    topics = { raw: fixture.uniqueName('raw'), metrics: fixture.uniqueName('metrics'), signals: fixture.uniqueName('signals'), alerts: fixture.uniqueName('alerts') };
    await fixture.bus.ensureTopics(Object.values(topics).map((name) => ({ name, partitions: 2 })));
  });

  after(async () => {
    for (const { client } of instances) client.ws.terminate();
    await within(Promise.all(instances.map(({ runner }) => runner.stop())), 20_000, 'runners stop');
    await within(Promise.all(instances.map(({ served }) => served.app.close())), 5_000, 'apps close');
    await secondBus.close();
    await fixture.close();
  });

  it('delivers every notification to the clients of every instance, from the live end', async () => {
    const producer = fixture.bus.producer();
    // Published before the instances start: not live, so no one gets it.
    await producer.send(topics.signals, [{ key: 'AAPL', value: { ...signal('AAPL'), reason: 'old news' } }]);
    const prefix = `${fixture.uniqueName('group')}-`;
    for (const [bus, instance] of [
      [fixture.bus, 'a'],
      [secondBus, 'b'],
    ] as const) {
      const served = await serve({ instance });
      const processor = new NotifyProcessor({ topics, hub: served.hub, logger: silentLogger() });
      const runner = new ProcessorRunner({ bus, processor, groupId: notifyGroupId(prefix, instance), startFrom: 'latest', clock: systemClock, logger: silentLogger() });
      await runner.start();
      const client = await connect(`${served.url}/ws/notifications`);
      instances.push({ served, runner, client });
    }
    assert.notEqual(instances[0]!.runner.status().groupId, instances[1]!.runner.status().groupId);

    await producer.send(topics.signals, [{ key: 'AAPL', value: signal('AAPL', 1) }]);
    await producer.send(topics.alerts, [{ key: 'MSFT', value: alert('MSFT', 1) }]);
    for (const { client } of instances) {
      const hello = client.of('hello')[0];
      await client.next((m) => m.type === 'alert', `the alert at instance ${hello?.instance}`, 30_000);
      await client.next((m) => m.type === 'signal', `the signal at instance ${hello?.instance}`, 30_000);
      assert.deepEqual(client.messages.filter((m) => m.type === 'signal').map((m) => m.reason), ['test signal 1']);
    }
    assert.deepEqual(instances.map(({ client }) => client.of('hello')[0]?.instance), ['a', 'b']);
    await producer.close();
  });
});
