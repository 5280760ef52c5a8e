import type { Admin } from '@platformatic/kafka';
import type { BusRecord, OutgoingRecord } from '../../../src/bus/bus.ts';
import type { KafkaBus } from '../../../src/bus/kafka/kafka-bus.ts';
import { waitFor } from '../../support/wait.ts';
import { asBusRecords, byTopicAndPartition } from './scenario.ts';

export const PARTITIONS = 4;

export interface ScenarioTopics {
  readonly input: string;
  readonly output: string;
  readonly deadLetters: string;
  readonly state: string;
  readonly group: string;
}

export function scenarioTopics(uniqueName: (kind: string) => string): ScenarioTopics {
  return { input: uniqueName('raw'), output: uniqueName('metrics'), deadLetters: uniqueName('dead'), state: uniqueName('state'), group: uniqueName('group') };
}

export async function createTopics(bus: KafkaBus, topics: ScenarioTopics): Promise<void> {
  await bus.ensureTopics([
    { name: topics.input, partitions: PARTITIONS },
    { name: topics.output, partitions: PARTITIONS },
    { name: topics.deadLetters, partitions: 1 },
  ]);
}

/** Publishes `records` and returns them as the bus holds them (the offsets the pure run must see). */
export async function feed(bus: KafkaBus, topics: ScenarioTopics, records: readonly OutgoingRecord[], already: readonly OutgoingRecord[] = []): Promise<BusRecord[]> {
  const producer = bus.producer();
  for (let at = 0; at < records.length; at += 500) await producer.send(topics.input, records.slice(at, at + 500));
  await producer.close();
  return asBusRecords(topics.input, PARTITIONS, [...already, ...records]);
}

/** Waits until the group's committed offsets (stable: no transaction pending) reach the input's end. */
export async function waitCaughtUp(admin: Admin, topics: ScenarioTopics, timeoutMs: number): Promise<void> {
  const partitions = [...Array(PARTITIONS).keys()];
  await waitFor(
    async () => {
      const [ends] = await admin.listOffsets({ topics: [{ name: topics.input, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp: -1n })) }] });
      const [group] = await admin.listConsumerGroupOffsets({ groups: [{ groupId: topics.group, topics: [{ name: topics.input, partitionIndexes: partitions }] }], requireStable: true }).catch(() => []);
      const committed = new Map(group?.topics[0]?.partitions.map((partition) => [partition.partitionIndex, partition.committedOffset]) ?? []);
      return (ends?.partitions ?? []).every((end) => committed.get(end.partitionIndex) === end.offset);
    },
    `group ${topics.group} to commit everything`,
    timeoutMs,
  );
}

/** The metrics topic as a read_committed consumer sees it, per partition. */
export async function committedOutputs(bus: KafkaBus, topic: string): Promise<unknown[][]> {
  const reader = bus.committedReader();
  try {
    const records = await reader.readToEnd(topic, [...Array(PARTITIONS).keys()], { timeoutMs: 20_000 });
    return byTopicAndPartition(records, PARTITIONS).get(topic) ?? Array.from({ length: PARTITIONS }, () => []);
  } finally {
    await reader.close();
  }
}

/** A short description of where two per-partition sequences first differ. */
export function firstDifference(actual: readonly unknown[][], expected: readonly unknown[][]): string {
  for (let partition = 0; partition < expected.length; partition++) {
    const got = actual[partition] ?? [];
    const want = expected[partition]!;
    const at = want.findIndex((value, index) => JSON.stringify(value) !== JSON.stringify(got[index]));
    if (at >= 0 || got.length !== want.length) {
      const index = at >= 0 ? at : want.length;
      return `partition ${partition}: ${got.length} outputs, expected ${want.length}; first difference at ${index}: got ${JSON.stringify(got[index])}, expected ${JSON.stringify(want[index])}`;
    }
  }
  return 'none';
}
