import { Consumer, FetchIsolationLevels, IS_CONTROL, IS_TRANSACTIONAL, ListOffsetTimestamps, type RecordsBatch } from '@platformatic/kafka';
import { deniedOr } from './authorization-failures.ts';
import { absorbConnectionErrors } from './connection-errors.ts';
import { busClosed, busTimeout, isUnknownTopicError, unknownTopic } from './kafka-errors.ts';
import type { ResolvedKafkaBusOptions } from './options.ts';

type FetchedPartition = Awaited<ReturnType<Consumer['fetch']>>['responses'][number]['partitions'][number];

/** A record as a read_committed consumer sees it; `value` is the JSON-decoded value, `null` for a tombstone. */
export interface CommittedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: unknown;
  readonly timestamp: number;
}

export interface ReadToEndOptions {
  /** How long to wait for open transactions to end; default 30 s. */
  readonly timeoutMs?: number;
  /** Most bytes fetched per partition and request (at least one batch is returned); default 4 MiB. */
  readonly fetchBytes?: number;
}

export interface KafkaCommittedReaderHost {
  closed(reader: KafkaCommittedReader): void;
}

const FETCH_BYTES = 4 * 1024 * 1024;
const FETCH_WAIT_MS = 100;

/**
 * Reads whole partitions as read_committed, without a consumer group: for rebuilding state from a
 * (compacted) state topic, and for checking what consumers see.
 *
 * It filters aborted transactions itself (Kafka's algorithm: the aborted producer ids of the fetch
 * response, dropped at their abort marker) rather than trusting the client's filter, which keeps an
 * aborted transaction whose abort marker is not in the same response.
 */
export class KafkaCommittedReader {
  readonly #client: Consumer;
  readonly #host: KafkaCommittedReaderHost;
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedKafkaBusOptions, host: KafkaCommittedReaderHost) {
    this.#host = host;
    this.#client = new Consumer({
      clientId: `${options.clientId}-reader`,
      ...options.connection,
      // Required by the client; never joined (only metadata, ListOffsets and Fetch are used).
      groupId: `${options.clientId}-reader`,
      retries: options.retries,
      retryDelay: options.retryDelayMs,
    });
    absorbConnectionErrors(this.#client);
  }

  /**
   * Every committed record of `partitions` up to their end as of the call (the high watermark), in
   * offset order per partition. A transaction still open below that end is waited for: its records
   * are returned if it commits, left out if it aborts. Rejects after `timeoutMs` if one stays open.
   */
  async readToEnd(topic: string, partitions: readonly number[], options: ReadToEndOptions = {}): Promise<CommittedRecord[]> {
    return this.#readToEnd(topic, partitions, options).catch((error: unknown) => {
      throw deniedOr(error, { operation: 'READ', topics: [topic] });
    });
  }

  async #readToEnd(topic: string, partitions: readonly number[], options: ReadToEndOptions): Promise<CommittedRecord[]> {
    if (this.#closing) throw busClosed('readToEnd');
    if (partitions.length === 0) return [];
    const timeoutMs = options.timeoutMs ?? 30_000;
    const partitionMaxBytes = options.fetchBytes ?? FETCH_BYTES;
    const deadline = Date.now() + timeoutMs;
    const metadata = await this.#client.metadata({ topics: [topic], forceUpdate: true }).catch((error: unknown) => {
      throw isUnknownTopicError(error) ? unknownTopic(topic, error) : error;
    });
    const info = metadata.topics.get(topic);
    if (!info) throw unknownTopic(topic);
    const starts = (await this.#client.listOffsets({ topics: [topic], timestamp: ListOffsetTimestamps.EARLIEST })).get(topic) ?? [];
    // The high watermark (read_uncommitted), not the last stable offset: a transaction open below it is waited for.
    const latest = (await this.#client.listOffsets({ topics: [topic], timestamp: ListOffsetTimestamps.LATEST, isolationLevel: FetchIsolationLevels.READ_UNCOMMITTED })).get(topic) ?? [];
    const positions = new Map(partitions.map((partition) => [partition, starts[partition] ?? 0n]));
    const ends = new Map(partitions.map((partition) => [partition, latest[partition] ?? 0n]));
    const records: CommittedRecord[][] = partitions.map(() => []);
    // An empty partition is not fetched: the client keeps a fetch session (KIP-227), whose responses
    // leave out a partition with nothing new, so a second read of it would wait for an answer in vain.
    const pending = new Set(partitions.filter((partition) => positions.get(partition)! < ends.get(partition)!));
    while (pending.size > 0) {
      if (this.#closing) throw busClosed('readToEnd');
      for (const [leader, led] of groupBy([...pending], (partition) => info.partitions[partition]?.leader ?? -1)) {
        const response = await this.#client.fetch({
          node: leader,
          isolationLevel: FetchIsolationLevels.READ_COMMITTED,
          maxWaitTime: FETCH_WAIT_MS,
          topics: [
            {
              topicId: info.id,
              partitions: led.map((partition) => ({ partition, currentLeaderEpoch: -1, fetchOffset: positions.get(partition)!, lastFetchedEpoch: -1, partitionMaxBytes })),
            },
          ],
        });
        for (const fetched of response.responses.flatMap((topicResponse) => topicResponse.partitions)) {
          const partition = fetched.partitionIndex;
          if (!pending.has(partition)) continue;
          const position = collect(topic, fetched, positions.get(partition)!, records[partitions.indexOf(partition)]!);
          positions.set(partition, position);
          if (position >= ends.get(partition)!) pending.delete(partition);
        }
      }
      if (pending.size > 0 && Date.now() > deadline) {
        throw busTimeout(
          `reading ${topic} partitions ${[...pending].join(', ')} to their end: a transaction stayed open for ${timeoutMs} ms (the broker aborts one left by a crashed producer after its transaction timeout)`,
        );
      }
    }
    return records.flat();
  }

  close(): Promise<void> {
    this.#closing ??= this.#client.close(true).finally(() => this.#host.closed(this));
    return this.#closing;
  }
}

/** Appends the committed data records of one fetched partition at or after `position`; returns the next position. */
function collect(topic: string, fetched: FetchedPartition, position: bigint, out: CommittedRecord[]): bigint {
  // Aborted transactions overlapping this response, by first offset; a producer id is aborted from its
  // first offset until its abort marker.
  const aborted = [...(fetched.abortedTransactions ?? [])].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const abortedProducers = new Set<bigint>();
  let next = position;
  for (const batch of fetched.records ?? []) {
    const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    while (aborted.length > 0 && aborted[0]!.firstOffset <= last) abortedProducers.add(aborted.shift()!.producerId);
    const transactional = (batch.attributes & IS_TRANSACTIONAL) !== 0;
    if ((batch.attributes & IS_CONTROL) !== 0) {
      if (transactional && isAbortMarker(batch)) abortedProducers.delete(batch.producerId);
    } else if (!(transactional && abortedProducers.has(batch.producerId))) {
      for (const record of batch.records) {
        const offset = batch.firstOffset + BigInt(record.offsetDelta);
        // A fetch returns whole batches: the first may begin before the position.
        if (offset < position) continue;
        out.push({
          topic,
          partition: fetched.partitionIndex,
          offset: Number(offset),
          key: record.key === null ? null : record.key.toString('utf8'),
          value: record.value === null ? null : JSON.parse(record.value.toString('utf8')),
          timestamp: Number(batch.firstTimestamp + record.timestampDelta),
        });
      }
    }
    if (last + 1n > next) next = last + 1n;
  }
  return next;
}

/** A control record's key is (version: int16, type: int16); type 0 is ABORT, 1 COMMIT. */
function isAbortMarker(batch: RecordsBatch): boolean {
  return batch.records[0]?.key?.readInt16BE(2) === 0;
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
