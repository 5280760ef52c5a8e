import {
  Consumer,
  jsonDeserializer,
  ListOffsetTimestamps,
  stringDeserializer,
  type CommitOptionsPartition,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import { highestOffsets, type BusConsumer, type BusRecord, type PartitionLag } from '../bus.ts';
import { deniedOr } from './authorization-failures.ts';
import { absorbConnectionErrors } from './connection-errors.ts';
import { busClosed, busTimeout, isMembershipError } from './kafka-errors.ts';
import type { ResolvedKafkaBusOptions } from './options.ts';
import { Signal } from '../signal.ts';
import { settledWithin } from './settle.ts';
import type { KafkaGroupMetadata } from './group-metadata.ts';

type KafkaMessage = Message<string, unknown, string, string>;
type Stream = MessagesStream<string, unknown, string, string>;
type Client = Consumer<string, unknown, string, string>;

export interface KafkaConsumerSettings {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly startFrom: 'earliest' | 'latest';
  readonly maxBatchSize: number;
}

export interface KafkaConsumerHost {
  closed(consumer: KafkaConsumer): void;
}

const partitionId = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * A member of a Kafka consumer group (classic protocol, round-robin assignment). Offsets are
 * committed only by `commit` (no autocommit); a group without a committed offset starts at
 * `startFrom`. The client's stream fetches only while fewer than `highWaterMark` records wait here,
 * so a slow reader holds the fetching back instead of growing memory.
 *
 * Delivery is at least once across members: a partition's new owner starts at the group's committed
 * offset. Within one member, records of a partition come in offset order and are not handed out
 * twice while the member keeps the partition.
 */
export class KafkaConsumer implements BusConsumer {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly #client: Client;
  readonly #stream: Stream;
  readonly #settings: KafkaConsumerSettings;
  readonly #host: KafkaConsumerHost;
  readonly #closeTimeoutMs: number;
  readonly #wakeup = new Signal();
  /** Leader epoch of the last record handed out per partition: OffsetCommit carries it (KIP-320). */
  readonly #epochs = new Map<string, number>();
  /** Generation and member id of the current assignment (`partitions()`). */
  #member: { readonly generationId: number; readonly memberId: string };
  /** Highest offset this member committed per partition in the current generation. */
  #committed = new Map<string, number>();
  /** Next offset to hand out per partition this member has owned without interruption. */
  readonly #positions = new Map<string, number>();
  #commits: Promise<void> = Promise.resolve();
  #failure: Error | undefined;
  #ended = false;
  #closing: Promise<void> | undefined;

  /** Joins the group; resolves once this member has its partitions and knows where to read them from. */
  static async open(options: ResolvedKafkaBusOptions, settings: KafkaConsumerSettings, host: KafkaConsumerHost): Promise<KafkaConsumer> {
    const client: Client = new Consumer<string, unknown, string, string>({
      clientId: `${options.clientId}-consumer`,
      ...options.connection,
      groupId: settings.groupId,
      autocommit: false,
      deserializers: { key: stringDeserializer, value: jsonDeserializer },
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: options.rebalanceTimeoutMs,
      maxWaitTime: options.fetchMaxWaitMs,
      highWaterMark: options.highWaterMark,
      retries: options.retries,
      retryDelay: options.retryDelayMs,
    });
    absorbConnectionErrors(client);
    // The client emits 'error' when a rejoin fails for good; unhandled, that would end the process.
    let early: Error | undefined;
    const onEarlyError = (error: Error) => (early = error);
    client.on('error', onEarlyError);
    try {
      const stream = await client.consume({
        topics: [...settings.topics],
        autocommit: false,
        // Committed offsets first; `startFrom` only where the group has none.
        mode: 'committed',
        fallbackMode: settings.startFrom,
      });
      // consume() resolves after the group join, before the stream has looked up its start offsets.
      // Waiting for them makes "joined" mean what the port promises: with startFrom 'latest', a
      // record sent after consumer() resolves is read.
      await startOffsetsKnown(stream, options.rebalanceTimeoutMs);
      if (early) throw early;
      const consumer = new KafkaConsumer(client, stream, settings, options, host);
      client.off('error', onEarlyError);
      return consumer;
    } catch (error) {
      await client.close(true).catch(() => {});
      throw error;
    }
  }

  private constructor(client: Client, stream: Stream, settings: KafkaConsumerSettings, options: ResolvedKafkaBusOptions, host: KafkaConsumerHost) {
    this.groupId = settings.groupId;
    this.topics = [...settings.topics];
    this.#client = client;
    this.#stream = stream;
    this.#settings = settings;
    this.#host = host;
    this.#closeTimeoutMs = options.closeTimeoutMs;
    const wake = () => this.#wakeup.notify();
    const fail = (error: Error) => {
      if (!this.#closing) this.#failure ??= error;
      wake();
    };
    // A 'readable' listener keeps the stream in paused mode: it fetches only as far as we read.
    stream.on('readable', wake);
    stream.on('end', () => {
      this.#ended = true;
      wake();
    });
    stream.on('close', () => {
      this.#ended = true;
      wake();
    });
    stream.on('error', fail);
    client.on('error', fail);
    this.#member = { generationId: client.generationId, memberId: client.memberId ?? '' };
    client.on('consumer:group:join', () => {
      // The client sets the generation at JoinGroup and the assignment at SyncGroup, right before
      // this event: only here do the two belong together.
      this.#member = { generationId: client.generationId, memberId: client.memberId ?? '' };
      // A new generation: our record of commits starts over.
      this.#committed = new Map();
      // The stream now re-reads the committed offsets of every partition it was given, also of those
      // it kept, and would hand out again what this member already has. Positions of the kept
      // partitions stay, to skip that; those of partitions that moved away go.
      const owned = this.#owned();
      for (const id of this.#positions.keys()) if (!owned.has(id)) this.#positions.delete(id);
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<readonly BusRecord[]> {
    while (!this.#closing) {
      const batch = this.#read();
      if (batch.length > 0) {
        yield batch;
        continue;
      }
      if (this.#failure) throw deniedOr(this.#failure, { operation: 'READ', topics: this.topics, group: this.groupId });
      if (this.#ended) return;
      await this.#wakeup.wait();
    }
  }

  /**
   * Takes what the stream has buffered, up to maxBatchSize, dropping records of partitions this
   * member no longer owns and records it handed out already.
   */
  #read(): BusRecord[] {
    const owned = this.#owned();
    const batch: BusRecord[] = [];
    while (batch.length < this.#settings.maxBatchSize) {
      const message = this.#stream.read() as KafkaMessage | null;
      if (message === null) break;
      const id = partitionId(message.topic, message.partition);
      // Fetched before a rebalance moved the partition away: its new owner reads it from the
      // committed offset, so handing it out here would only duplicate work.
      if (!owned.has(id)) continue;
      const offset = Number(message.offset);
      if (offset < (this.#positions.get(id) ?? 0)) continue;
      this.#positions.set(id, offset + 1);
      this.#epochs.set(id, message.leaderEpoch);
      batch.push({
        topic: message.topic,
        partition: message.partition,
        offset,
        key: message.key ?? '',
        value: message.value,
        timestamp: Number(message.timestamp),
      });
    }
    return batch;
  }

  /** The partitions this member owns in the group's current generation (empty while closed). */
  partitions(): Array<{ topic: string; partition: number }> {
    return (this.#client.assignments ?? []).flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition })));
  }

  /**
   * The generation that assigned `partitions()` (read both together), for committing this member's
   * offsets in a transaction (KafkaTransaction.sendOffsets). While a rebalance is under way it is the
   * previous one, which the coordinator then refuses.
   */
  groupMetadata(): KafkaGroupMetadata {
    return { groupId: this.groupId, ...this.#member, coordinatorId: this.#client.coordinatorId ?? -1 };
  }

  #owned(): Set<string> {
    const owned = new Set<string>();
    for (const { topic, partitions } of this.#client.assignments ?? []) {
      for (const partition of partitions) owned.add(partitionId(topic, partition));
    }
    return owned;
  }

  /**
   * Commits offset+1 of the highest offset per partition, for the partitions this member owns now.
   * The others (moved away by a rebalance) are ignored, as is everything once the consumer is closed:
   * their records go to the next owner. Commits run one at a time, so a later one never lands first.
   */
  commit(records: readonly BusRecord[]): Promise<void> {
    if (this.#closing || records.length === 0) return Promise.resolve();
    const run = this.#commits.then(() => this.#commit(records));
    this.#commits = run.catch(() => {});
    return run;
  }

  async #commit(records: readonly BusRecord[]): Promise<void> {
    if (this.#closing) return;
    const owned = this.#owned();
    const offsets: CommitOptionsPartition[] = [];
    for (const { topic, partition, offset } of highestOffsets(records).values()) {
      const id = partitionId(topic, partition);
      if (!owned.has(id) || (this.#committed.get(id) ?? -1) >= offset + 1) continue;
      offsets.push({ topic, partition, offset: BigInt(offset + 1), leaderEpoch: this.#epochs.get(id) ?? -1 });
    }
    if (offsets.length === 0) return;
    const request = { offsets };
    // When the broker answers "rebalance" the client rejoins and then re-sends this same request
    // object (consumer.js #commit). Its join event fires between the two: drop the partitions the
    // new generation gave to other members, so the retry cannot commit for them.
    const keepOwned = () => {
      const nowOwned = this.#owned();
      request.offsets = request.offsets.filter((entry) => nowOwned.has(partitionId(entry.topic, entry.partition)));
    };
    this.#client.on('consumer:group:join', keepOwned);
    try {
      await this.#client.commit(request);
      for (const entry of request.offsets) this.#committed.set(partitionId(entry.topic, entry.partition), Number(entry.offset));
    } catch (error) {
      // Lost the membership (or closing): these partitions are someone else's now; nothing to commit.
      if (this.#closing || isMembershipError(error)) return;
      throw deniedOr(error, { operation: 'READ', topics: this.topics, group: this.groupId });
    } finally {
      this.#client.off('consumer:group:join', keepOwned);
    }
  }

  /** Per partition of the subscribed topics: end offset, the group's committed offset (or where it would start), and the difference. */
  async lag(): Promise<readonly PartitionLag[]> {
    if (this.#closing) throw busClosed('lag');
    const topics = [...this.topics];
    const ends = await this.#client.listOffsets({ topics: [...topics], timestamp: ListOffsetTimestamps.LATEST });
    const committed = await this.#client.listCommittedOffsets({
      topics: topics.map((topic) => ({ topic, partitions: [...(ends.get(topic) ?? []).keys()] })),
    });
    const uncommitted = topics.some((topic) => (ends.get(topic) ?? []).some((_, partition) => !isOffset(committed.get(topic)?.[partition])));
    const starts =
      uncommitted && this.#settings.startFrom === 'earliest'
        ? await this.#client.listOffsets({ topics: [...topics], timestamp: ListOffsetTimestamps.EARLIEST })
        : undefined;
    return topics.flatMap((topic) =>
      (ends.get(topic) ?? []).map((end, partition) => {
        const endOffset = Number(end);
        const groupOffset = committed.get(topic)?.[partition];
        const committedOffset = isOffset(groupOffset)
          ? Number(groupOffset)
          : this.#settings.startFrom === 'latest'
            ? endOffset
            : Number(starts?.get(topic)?.[partition] ?? 0n);
        const readTo = Math.max(committedOffset, this.#skippedTo(topic, partition, committedOffset));
        return { topic, partition, endOffset, committedOffset, lag: Math.max(0, endOffset - readTo) };
      }),
    );
  }

  /**
   * A read_committed fetch steps over transaction markers and aborted records without handing
   * anything out, so the last record's offset + 1 (what is committed) stays below the end of a
   * partition written in transactions. Once every record fetched was handed out and committed, the
   * stream's fetch position is how far the group really read; otherwise the committed offset.
   */
  #skippedTo(topic: string, partition: number, committedOffset: number): number {
    if (this.#closing || this.#stream.readableLength > 0) return committedOffset;
    const id = partitionId(topic, partition);
    if (!this.#owned().has(id) || (this.#positions.get(id) ?? committedOffset) !== committedOffset) return committedOffset;
    const fetchPosition = this.#stream.offsetsToFetch.get(`${topic}:${partition}`);
    return fetchPosition === undefined ? committedOffset : Number(fetchPosition);
  }

  /**
   * Ends iteration, lets commits in flight finish, closes the stream and leaves the group (the
   * partitions move to the other members at once, not after the session timeout). Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#wakeup.notify();
    await settledWithin([this.#commits], this.#closeTimeoutMs);
    // The stream ends only once its buffer is drained: drop what nobody will read.
    this.#stream.removeAllListeners('readable');
    const streamClosed = this.#stream.close().catch(() => {});
    this.#stream.resume();
    await settledWithin([streamClosed], this.#closeTimeoutMs);
    if (!this.#stream.destroyed) this.#stream.destroy();
    try {
      await this.#client.close(true);
    } finally {
      this.#host.closed(this);
    }
  }
}

function isOffset(offset: bigint | undefined): offset is bigint {
  return typeof offset === 'bigint' && offset >= 0n;
}

/** Resolves when the stream has looked up its start offsets (its 'offsets' event); rejects if it fails first. */
function startOffsetsKnown(stream: Stream, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(busTimeout(`the consumer did not find its start offsets within ${timeoutMs} ms`)), timeoutMs);
    const onOffsets = () => finish();
    const onError = (error: Error) => finish(error);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      stream.off('offsets', onOffsets);
      stream.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    stream.once('offsets', onOffsets);
    stream.once('error', onError);
  });
}
