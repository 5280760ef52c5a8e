/**
 * Which compression codecs the record batches of a topic were stored with, read from the batch
 * headers the broker hands out (attributes, bits 0–2). Proves that a "compressed" interoperability
 * check really crossed a compressed batch, not a plain one.
 */
import { randomBytes } from 'node:crypto';
import { Consumer } from '@platformatic/kafka';
import { KAFKA_BROKERS } from '../support/kafka.ts';

// Kafka's CompressionType ids, as the batch attributes carry them.
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

export async function storedCodecs(topic: string): Promise<Set<string>> {
  // A group id is required by the client; fetch() never joins it.
  const consumer = new Consumer({ clientId: 'tickflow-test-codecs', groupId: `tickflow-test-codecs-${randomBytes(4).toString('hex')}`, bootstrapBrokers: [...KAFKA_BROKERS] });
  try {
    const metadata = await consumer.metadata({ topics: [topic] });
    const info = metadata.topics.get(topic);
    if (!info) throw new Error(`topic ${topic} not in the metadata`);
    const codecs = new Set<string>();
    for (const [partition, { leader, leaderEpoch }] of info.partitions.entries()) {
      const response = await consumer.fetch({
        node: leader,
        maxWaitTime: 0,
        minBytes: 0,
        topics: [{ topicId: info.id, partitions: [{ partition, currentLeaderEpoch: leaderEpoch, fetchOffset: 0n, lastFetchedEpoch: -1, partitionMaxBytes: 8 * 1024 * 1024 }] }],
      });
      for (const { partitions } of response.responses) {
        for (const { records } of partitions) {
          for (const batch of records ?? []) codecs.add(CODECS[batch.attributes & 0b111] ?? `unknown codec ${batch.attributes & 0b111}`);
        }
      }
    }
    return codecs;
  } finally {
    await consumer.close(true);
  }
}
