import { kGetApi, kGetConnection, kMetadata, kPerformWithRetry, ProtocolError, type Producer, type txnOffsetCommitV4 } from '@platformatic/kafka';
import { ERROR_CODES, TickflowError } from '../../errors.ts';
import type { TopicPartitionOffset } from '../bus.ts';
import type { KafkaGroupMetadata } from './group-metadata.ts';

type Request = txnOffsetCommitV4.TxnOffsetCommitRequest;
type Response = txnOffsetCommitV4.TxnOffsetCommitResponse;

/**
 * Commits `offsets` (each the next record to read) for `group` inside `transaction` in one
 * TxnOffsetCommit request to the group's coordinator, as Java's sendOffsetsToTransaction does. The
 * group must already be added to the transaction (AddOffsetsToTxn). A partition the coordinator
 * refuses fails the whole call with the client's ResponseError; retriable refusals
 * (CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS, ...) are retried with the client's
 * retries and retry delay.
 */
export function commitTransactionOffsets<K, V, HK, HV>(
  client: Producer<K, V, HK, HV>,
  transaction: NonNullable<Producer<K, V, HK, HV>['transaction']>,
  offsets: readonly TopicPartitionOffset[],
  group: KafkaGroupMetadata,
): Promise<void> {
  const { producerId, producerEpoch } = client;
  if (client.transaction !== transaction || producerId === undefined || producerEpoch === undefined) {
    return Promise.reject(new TickflowError(ERROR_CODES.USAGE, `transaction of ${transaction.id} is no longer open: offsets not committed`));
  }
  return new Promise((resolve, reject) => {
    client[kPerformWithRetry]<Response>(
      'txnOffsetCommit',
      (done) => {
        client[kMetadata]({ topics: [...new Set(offsets.map(({ topic }) => topic))] }, (error, metadata) => {
          if (error) return done(error);
          const { brokers, topics: described } = metadata!;
          const coordinator = brokers.get(group.coordinatorId);
          if (!coordinator) return done(new ProtocolError('NOT_COORDINATOR'));
          const topics = requestTopics(offsets, (topic, partition) => described.get(topic)?.partitions[partition]?.leaderEpoch ?? -1);
          client[kGetConnection](coordinator, (error, connection) => {
            if (error) return done(error);
            client[kGetApi]<Request, Response>('TxnOffsetCommit', (error, api) => {
              if (error) return done(error);
              api!(connection!, transaction.id, group.groupId, producerId, producerEpoch, group.generationId, group.memberId, null, topics, done);
            });
          });
        });
      },
      (error) => (error ? reject(error) : resolve()),
    );
  });
}

function requestTopics(offsets: readonly TopicPartitionOffset[], leaderEpoch: (topic: string, partition: number) => number): Request[7] {
  const byTopic = new Map<string, Request[7][number]['partitions']>();
  for (const { topic, partition, offset } of offsets) {
    let partitions = byTopic.get(topic);
    if (!partitions) byTopic.set(topic, (partitions = []));
    partitions.push({ partitionIndex: partition, committedOffset: BigInt(offset), committedLeaderEpoch: leaderEpoch(topic, partition), committedMetadata: null });
  }
  return [...byTopic].map(([name, partitions]) => ({ name, partitions }));
}
