import { compatibilityPartitioner, findErrorBy, jsonSerializer, ProduceAcks, Producer, stringSerializer, type Consumer } from '@platformatic/kafka';
import { deniedOr } from './authorization-failures.ts';
import { sendClientApiVersionsOnly } from './client-api-versions.ts';
import { absorbConnectionErrors } from './connection-errors.ts';
import { ERROR_CODES, TickflowError } from '../../errors.ts';
import type { OutgoingRecord, TopicPartitionOffset } from '../bus.ts';
import type { KafkaGroupMetadata } from './group-metadata.ts';
import { busClosed, isUnknownTopicError, unknownTopic } from './kafka-errors.ts';
import type { ResolvedKafkaBusOptions } from './options.ts';
import { settledWithin } from './settle.ts';
import { commitTransactionOffsets } from './txn-offset-commit.ts';

type Client = Producer<string, unknown, string, string>;
type Transaction = Awaited<ReturnType<Client['beginTransaction']>>;

export interface TransactionalMessage extends OutgoingRecord {
  readonly topic: string;
  /** Where it goes; default: the key's partition (murmur2, as the plain producer). */
  readonly partition?: number;
}

export interface TransactionalProducerOptions {
  /**
   * Identifies the producer across restarts: one per running instance, the same after it restarts.
   * Starting a producer with an id aborts whatever transaction an earlier producer with that id left
   * open (a crashed process) and fences that producer if it still runs.
   */
  readonly transactionalId: string;
  /**
   * The broker aborts a transaction left open this long (a crashed producer that never restarts);
   * until then, read_committed consumers of its partitions wait. Also the request timeout, as the
   * client uses one setting for both.
   */
  readonly transactionTimeoutMs?: number;
}

export const TRANSACTION_TIMEOUT_DEFAULT_MS = 10_000;

export interface KafkaTransactionalProducerHost {
  partitionsOf(topic: string): Promise<number>;
  closed(producer: KafkaTransactionalProducer): void;
}

/**
 * A transactional producer (one transaction at a time): the records it sends in a transaction and the
 * consumer offsets it commits in it become visible to read_committed consumers all together at
 * `commit`, or never.
 */
export class KafkaTransactionalProducer {
  readonly transactionalId: string;
  readonly #client: Client;
  readonly #host: KafkaTransactionalProducerHost;
  readonly #closeTimeoutMs: number;
  #initialized: Promise<void> | undefined;
  #current: KafkaTransaction | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedKafkaBusOptions, settings: TransactionalProducerOptions, host: KafkaTransactionalProducerHost) {
    this.transactionalId = settings.transactionalId;
    this.#host = host;
    this.#closeTimeoutMs = options.closeTimeoutMs;
    this.#client = new Producer<string, unknown, string, string>({
      clientId: `${options.clientId}-transactional`,
      ...options.connection,
      transactionalId: settings.transactionalId,
      idempotent: true,
      acks: ProduceAcks.ALL,
      compression: options.compression,
      partitioner: compatibilityPartitioner,
      serializers: { key: stringSerializer, value: jsonSerializer },
      autocreateTopics: false,
      retries: Math.max(options.retries, 2),
      retryDelay: transactionalRetryDelay(options.retryDelayMs),
      // InitProducerId sends this as transaction.timeout.ms.
      timeout: settings.transactionTimeoutMs ?? TRANSACTION_TIMEOUT_DEFAULT_MS,
    });
    sendClientApiVersionsOnly(this.#client);
    absorbConnectionErrors(this.#client);
  }

  /**
   * Registers the transactional id with its coordinator (InitProducerId): aborts what an earlier
   * producer with this id left open and fences it. Call before reading state that such a transaction
   * may have touched; `begin` calls it anyway. Idempotent.
   */
  init(): Promise<void> {
    this.#initialized ??= (async () => {
      if (this.#closing) throw busClosed('init');
      // The client registers the id when it begins its first transaction; cancel only forgets it locally.
      // Without an explicit -1/-1 it sends producer id 0 and epoch 0, which the broker reads as "bump
      // the epoch of producer 0" and answers PRODUCER_FENCED once the id was used before (KIP-360).
      const transaction = await this.#client.beginTransaction({ producerId: -1n, producerEpoch: -1 }).catch((error: unknown) => {
        throw deniedOr(wrapFenced(error, this.transactionalId), { operation: 'WRITE', transactionalId: this.transactionalId });
      });
      await transaction.cancel();
    })();
    this.#initialized.catch(() => (this.#initialized = undefined));
    return this.#initialized;
  }

  /** Starts a transaction; the previous one must be committed or aborted. */
  async begin(): Promise<KafkaTransaction> {
    if (this.#closing) throw busClosed('begin');
    if (this.#current && !this.#current.done) throw new TickflowError(ERROR_CODES.USAGE, `transaction of ${this.transactionalId} still open: commit or abort it first`);
    await this.init();
    let transaction: Transaction;
    try {
      transaction = await this.#client.beginTransaction();
    } catch (error) {
      throw wrapFenced(error, this.transactionalId);
    }
    this.#current = new KafkaTransaction(this.#client, transaction, this.#host, this.transactionalId);
    return this.#current;
  }

  /** Aborts an open transaction (bounded by closeTimeoutMs), then ends the session. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#current && !this.#current.done) await settledWithin([this.#current.abort()], this.#closeTimeoutMs);
    try {
      await this.#client.close(true);
    } finally {
      this.#host.closed(this);
    }
  }
}

/** One open transaction. After `commit` or `abort` (or a failed one of them) it is done. */
export class KafkaTransaction {
  readonly #client: Client;
  readonly #transaction: Transaction;
  readonly #host: Pick<KafkaTransactionalProducerHost, 'partitionsOf'>;
  readonly #transactionalId: string;
  #done = false;

  constructor(client: Client, transaction: Transaction, host: Pick<KafkaTransactionalProducerHost, 'partitionsOf'>, transactionalId: string) {
    this.#client = client;
    this.#transaction = transaction;
    this.#host = host;
    this.#transactionalId = transactionalId;
  }

  get done(): boolean {
    return this.#done;
  }

  /** Resolves once every record is written (acks=all); read_committed consumers see them only after `commit`. */
  async send(messages: readonly TransactionalMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const topics = new Set(messages.map((message) => message.topic));
    // Fails fast (BUS_UNKNOWN_TOPIC) instead of retrying a produce to a topic that is not there.
    await Promise.all(
      [...topics].map((topic) =>
        this.#host.partitionsOf(topic).catch((error: unknown) => {
          throw deniedOr(error, { operation: 'WRITE', topics: [topic] });
        }),
      ),
    );
    const now = BigInt(Date.now());
    try {
      await this.#transaction.send({
        messages: messages.map((message) => ({
          topic: message.topic,
          key: message.key,
          value: message.value,
          timestamp: message.timestamp === undefined ? now : BigInt(message.timestamp),
          ...(message.partition === undefined ? {} : { partition: message.partition }),
        })),
      });
    } catch (error) {
      if (isUnknownTopicError(error)) throw unknownTopic([...topics].join(', '), error);
      throw deniedOr(wrapFenced(error, this.#transactionalId), { operation: 'WRITE', topics: [...topics], transactionalId: this.#transactionalId });
    }
  }

  /**
   * Commits, as part of this transaction, the group's offsets: each the offset of the next record to
   * read (Java's sendOffsetsToTransaction). Fails when `group`'s generation is no longer current.
   */
  async sendOffsets(offsets: readonly TopicPartitionOffset[], group: KafkaGroupMetadata): Promise<void> {
    if (offsets.length === 0) return;
    try {
      // AddOffsetsToTxn, once per group and transaction; addConsumer reads only the groupId.
      await this.#transaction.addConsumer({ groupId: group.groupId } as unknown as Consumer<string, unknown, string, string>);
      await commitTransactionOffsets(this.#client, this.#transaction, offsets, group);
    } catch (error) {
      throw deniedOr(wrapFenced(error, this.#transactionalId), { operation: 'READ', group: group.groupId, transactionalId: this.#transactionalId });
    }
  }

  async commit(): Promise<void> {
    try {
      await this.#transaction.commit();
    } catch (error) {
      throw wrapFenced(error, this.#transactionalId);
    } finally {
      this.#done = true;
    }
  }

  /** Aborts; if the broker cannot be told (fenced, or gone), forgets the transaction locally: the next producer with the id aborts it. */
  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    try {
      await this.#transaction.abort();
    } catch {
      await this.#transaction.cancel().catch(() => {});
    }
  }
}

/**
 * A newer producer with the same transactional id took over (or the broker no longer knows this
 * one's epoch): this producer must stop for good, since starting again would fence the newer one in turn.
 */
export class ProducerFencedError extends TickflowError {
  readonly fenced = true;

  constructor(transactionalId: string | undefined, cause: unknown) {
    super(ERROR_CODES.BUS_FENCED, `transactional producer${transactionalId ? ` "${transactionalId}"` : ''} fenced: another producer with the same transactional id started`, {
      cause,
      canRetry: false,
    });
    this.name = 'ProducerFencedError';
  }
}

/**
 * Right after a commit the coordinator is still writing its markers and answers the next
 * transaction's first request with CONCURRENT_TRANSACTIONS for a few milliseconds. Those retries
 * start at 5 ms and double (Java waits 20 ms); waiting the general retry delay instead cost every
 * transaction hundreds of milliseconds.
 */
export const CONCURRENT_TRANSACTIONS_FIRST_RETRY_MS = 5;

export function transactionalRetryDelay(retryDelayMs: number): (client: unknown, operationId: string, attempt: number, retries: number, error: Error) => number {
  return (_client, _operationId, attempt, _retries, error) =>
    findErrorBy(error, 'apiId', 'CONCURRENT_TRANSACTIONS') !== null ? Math.min(CONCURRENT_TRANSACTIONS_FIRST_RETRY_MS * 2 ** (attempt - 1), retryDelayMs) : retryDelayMs;
}

const FENCING_ERRORS = ['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED'];

function wrapFenced(error: unknown, transactionalId?: string): unknown {
  if (!(error instanceof Error) || error instanceof TickflowError) return error;
  if (!FENCING_ERRORS.some((apiId) => findErrorBy(error, 'apiId', apiId) !== null)) return error;
  return new ProducerFencedError(transactionalId, error);
}
