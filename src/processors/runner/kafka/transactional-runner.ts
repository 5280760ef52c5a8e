import { RestartBackoff, type RestartBackoffOptions } from '../../../backoff.ts';
import type { BusRecord, PartitionLag, TopicPartitionOffset } from '../../../bus/bus.ts';
import type { KafkaCommittedReader } from '../../../bus/kafka/committed-reader.ts';
import type { KafkaGroupMetadata } from '../../../bus/kafka/group-metadata.ts';
import type { KafkaBus, KafkaTopicSpec } from '../../../bus/kafka/kafka-bus.ts';
import type { KafkaConsumer } from '../../../bus/kafka/kafka-consumer.ts';
import { isMembershipError } from '../../../bus/kafka/kafka-errors.ts';
import { ProducerFencedError, TRANSACTION_TIMEOUT_DEFAULT_MS, type KafkaTransactionalProducer, type TransactionalMessage } from '../../../bus/kafka/transactions.ts';
import { ConfigError, ERROR_CODES, InternalError, TickflowError } from '../../../errors.ts';
import type { RunnerMetrics } from '../../../observability/metrics.ts';
import type { Clock } from '../../../clock.ts';
import type { Logger } from '../../../logger.ts';
import { stopsForGood, type RunnerStatus } from '../runner.ts';
import { SerialQueue } from '../serial-queue.ts';
import { OFFSET_KEY, type StatefulProcessor, type StepResult } from '../stateful-processor.ts';

/**
 * Settings of the state topic: compacted (the latest value per key is the state), with segments rolled
 * often enough for the cleaner to keep it small (it never compacts the active segment).
 */
export const STATE_TOPIC_CONFIGS = { 'cleanup.policy': 'compact', 'segment.ms': String(10 * 60_000), 'min.cleanable.dirty.ratio': '0.1' } as const;

/** The transactional id of the copy `instanceId` of the processor reading in `groupId`. */
export function transactionalIdFor(groupId: string, instanceId: string): string {
  return `${groupId}-${instanceId}`;
}

export function stateTopicSpec(name: string, partitions: number): KafkaTopicSpec {
  return { name, partitions, configs: STATE_TOPIC_CONFIGS };
}

export interface TransactionalRunnerOptions {
  readonly bus: KafkaBus;
  readonly processor: StatefulProcessor;
  readonly groupId: string;
  /**
   * The compacted topic the processor's state is saved to, partition for partition of its input (so it
   * needs the input's partition count); created if missing.
   */
  readonly stateTopic: string;
  /**
   * Names this running instance: unique among the instances of the group, the same after a restart.
   * The transactional id is `<groupId>-<instanceId>`; a restarted instance aborts at once what it left
   * open. Default `0` (one instance).
   */
  readonly instanceId?: string;
  /** See TransactionalProducerOptions; default 10 s. */
  readonly transactionTimeoutMs?: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often `tick` runs; default 250 ms. */
  readonly tickMs?: number;
  readonly startFrom?: 'earliest' | 'latest';
  readonly maxBatchSize?: number;
  /** How long loading state waits for transactions left open; default the transaction timeout + 10 s. */
  readonly stateLoadTimeoutMs?: number;
  /** Per-hop latency and throughput of this processor (`TickflowMetrics.runner(name)`); see also `instrument`. */
  readonly metrics?: RunnerMetrics;
  /** The wait before starting over after a failure (default RESTART_BACKOFF_DEFAULTS). */
  readonly restartBackoff?: RestartBackoffOptions;
}

export interface TransactionalRunnerStatus extends RunnerStatus {
  readonly transactions: number;
  readonly aborted: number;
  /** Input partitions whose state is loaded. */
  readonly partitions: readonly number[];
  /** Set when another instance with the same transactional id took over: this runner stopped for good. */
  readonly fenced: boolean;
}

/**
 * Runs a StatefulProcessor exactly once on Kafka. Each batch (or tick) is one transaction holding its
 * outputs, the state it changed (on the compacted state topic, in the input record's partition), the
 * runner's next input offset of each partition it touched (also on the state topic) and the group's
 * input offsets (sendOffsets). A crash at any point leaves either all of that or none of it
 * visible to read_committed consumers.
 *
 * State is rebuilt whenever the group's generation changes (start, rebalance, restart after a
 * failure): every owned partition of the state topic is read to its end, read_committed, waiting out
 * open transactions, before the first record of the new generation is processed. Records below the
 * saved offset are skipped: the group's committed offset, as the consumer reads it, may lag the state
 * while the markers of the last transaction are being written, never lead it.
 *
 * Zombies are fenced twice: by the group generation the offsets are committed with (a member that
 * lost its partitions in a rebalance can no longer commit), and by the transactional id (a restarted
 * instance aborts what its predecessor left open).
 *
 * A failed transaction is aborted and everything starts over from the last commit: state dropped,
 * consumer and producer replaced, state reloaded, after a backoff that grows with the failures in a
 * row and that `stop` cuts short. Not retried: a fenced producer (an instance with the same id
 * started elsewhere); this runner then stops.
 */
export class TransactionalRunner {
  readonly #options: TransactionalRunnerOptions;
  readonly #transactionalId: string;
  readonly #queue = new SerialQueue();
  readonly #reader: KafkaCommittedReader;
  #consumer: KafkaConsumer | null = null;
  #producer: KafkaTransactionalProducer | null = null;
  #loop: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  readonly #backoff: RestartBackoff;
  /** Aborted by `stop`: cuts a backoff short. */
  readonly #stop = new AbortController();
  /** Generation whose state is loaded, and the member as it was then. */
  #member: KafkaGroupMetadata | null = null;
  /** Next input offset per loaded partition. */
  readonly #offsets = new Map<number, number>();
  #stopping = false;
  #tickQueued = false;
  #fenced = false;
  readonly #halt = Promise.withResolvers<Error>();
  #halted = false;
  #processed = 0;
  #transactions = 0;
  #aborted = 0;
  #failures = 0;
  #lastError: string | null = null;
  #metrics: RunnerMetrics | null;

  constructor(options: TransactionalRunnerOptions) {
    if (options.bus.kind !== 'kafka') throw new ConfigError('the transactional runner needs the Kafka bus');
    this.#options = options;
    this.#metrics = options.metrics ?? null;
    this.#transactionalId = transactionalIdFor(options.groupId, options.instanceId ?? '0');
    this.#reader = options.bus.committedReader();
    this.#backoff = new RestartBackoff(options.restartBackoff);
  }

  get name(): string {
    return this.#options.processor.name;
  }

  get halted(): Promise<Error> {
    return this.#halt.promise;
  }

  /** Reports to `metrics` from now on (for a runner built by a factory that does not take them). */
  instrument(metrics: RunnerMetrics): void {
    this.#metrics = metrics;
  }

  /** Creates the state topic if missing, then joins the group; state loads before the first record is processed. */
  async start(): Promise<void> {
    const { bus, processor, stateTopic } = this.#options;
    const partitions = await bus.partitionsOf(processor.input);
    await bus.ensureTopics([stateTopicSpec(stateTopic, partitions)]);
    const stateParts = await bus.partitionsOf(stateTopic);
    if (stateParts !== partitions) {
      throw new ConfigError(`state topic ${stateTopic} has ${stateParts} partitions, its input ${processor.input} ${partitions}: they must be equal (state is kept per input partition)`);
    }
    await this.#connect();
    this.#loop = this.#supervise();
    const tick = processor.tick?.bind(processor);
    this.#timer = setInterval(() => {
      // One tick at a time: a slow state load must not pile them up.
      if (this.#tickQueued) return;
      this.#tickQueued = true;
      void this.#queue
        .run(() => {
          this.#tickQueued = false;
          return this.#tick(tick);
        })
        .catch((error: unknown) => this.#failed(error, 'tick'));
    }, this.#options.tickMs ?? 250);
    this.#timer.unref();
  }

  async #connect(): Promise<void> {
    const { bus, processor, groupId, startFrom, maxBatchSize, transactionTimeoutMs } = this.#options;
    const producer = bus.transactionalProducer({ transactionalId: this.#transactionalId, ...(transactionTimeoutMs ? { transactionTimeoutMs } : {}) });
    try {
      // Before joining: aborts what a predecessor with this id left open, which the state read would wait for.
      await producer.init();
      const consumer = await bus.consumer({ groupId, topics: [processor.input], ...(startFrom ? { startFrom } : {}), ...(maxBatchSize ? { maxBatchSize } : {}) });
      this.#producer = producer;
      this.#consumer = consumer;
    } catch (error) {
      await producer.close().catch(() => {});
      throw error;
    }
  }

  /**
   * Consumes until the consumer ends (stop, or closed after a failed tick) or a batch fails; then, unless
   * stopping or fenced, starts over from the last commit with a new consumer and producer, with backoff.
   */
  async #supervise(): Promise<void> {
    for (;;) {
      const consumer = this.#consumer;
      if (consumer) await this.#consume(consumer);
      await this.#teardown();
      if (this.#stopping || this.#fenced || this.#halted) return;
      await this.#backoff.wait(this.#stop.signal);
      if (this.#stopping) return;
      try {
        await this.#connect();
      } catch (error) {
        this.#failed(error, 'restart');
      }
      // Stopped while connecting: `stop` found no consumer to close.
      if (this.#stopping) await this.#consumer?.close();
    }
  }

  async #consume(consumer: KafkaConsumer): Promise<void> {
    try {
      for await (const batch of consumer) {
        // Past this point the batch stays uncommitted, so it is read again after a restart.
        if (this.#stopping) break;
        this.#metrics?.received(batch);
        await this.#queue.run(() => this.#handle(consumer, batch));
        this.#metrics?.processed(batch);
        this.#processed += batch.length;
        this.#backoff.succeeded();
      }
    } catch (error) {
      this.#failed(error, 'batch');
    }
  }

  /** Drops the state (it may be ahead of what was committed) and closes consumer and producer. */
  async #teardown(): Promise<void> {
    await this.#queue
      .run(async () => {
        const consumer = this.#consumer;
        const producer = this.#producer;
        this.#consumer = null;
        this.#producer = null;
        this.#member = null;
        this.#offsets.clear();
        this.#options.processor.reset();
        await consumer?.close().catch(() => {});
        await producer?.close().catch(() => {});
      })
      .catch(() => {});
  }

  /**
   * Processes a batch in one transaction. When the group moved on while it was open (the coordinator
   * refused its offsets), it was aborted: the batch is done again, in memory, on the state reloaded
   * for the new generation. The consumer is kept, so a rebalance costs no further rebalance.
   */
  async #handle(consumer: KafkaConsumer, batch: readonly BusRecord[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (consumer !== this.#consumer) return;
      await this.#load(consumer);
      const fresh = this.#fresh(consumer, batch);
      if (fresh.length === 0) return;
      const next = new Map<number, number>();
      for (const record of fresh) next.set(record.partition, Math.max(next.get(record.partition) ?? 0, record.offset + 1));
      try {
        await this.#commit(this.#options.processor.process(fresh), next);
        return;
      } catch (error) {
        if (!isMembershipError(error) || attempt === 3) throw error;
        await this.#rejoined(consumer);
      }
    }
  }

  /** The batch's records not yet in the loaded state: of loaded partitions, at or after their saved offset. */
  #fresh(consumer: KafkaConsumer, batch: readonly BusRecord[]): BusRecord[] {
    const owned = new Set(consumer.partitions().map(({ partition }) => partition));
    const fresh: BusRecord[] = [];
    for (const record of batch) {
      const next = this.#offsets.get(record.partition);
      if (next === undefined) {
        // Not loaded: a partition this member no longer owns (its new owner reads it), or, should one
        // be owned and not loaded, starting over is the only way to have its records again.
        if (owned.has(record.partition)) throw new InternalError(`${this.name}: a record of partition ${record.partition} arrived before its state was loaded`, { canRetry: true });
        continue;
      }
      if (record.offset >= next) fresh.push(record);
    }
    return fresh;
  }

  async #tick(tick: ((now: number) => StepResult) | undefined): Promise<void> {
    const consumer = this.#consumer;
    if (this.#stopping || !consumer) return;
    // Also loads the state of partitions assigned while no record arrives (their bars close on time).
    await this.#load(consumer);
    if (!tick) return;
    try {
      await this.#commit(tick(this.#options.clock.now()), new Map());
    } catch (error) {
      if (!isMembershipError(error)) throw error;
      // Aborted because the group moved on: the next task reloads the state, and a later tick redoes it.
      this.#member = null;
    }
  }

  /**
   * After the coordinator refused this member's generation: waits until the consumer has rejoined,
   * and forgets the state, which the aborted transaction left ahead of the saved one.
   */
  async #rejoined(consumer: KafkaConsumer): Promise<void> {
    const refused = this.#member?.generationId;
    this.#member = null;
    const deadline = Date.now() + this.#options.bus.options.rebalanceTimeoutMs;
    while (consumer.groupMetadata().generationId === refused && consumer === this.#consumer && !this.#stopping) {
      if (Date.now() > deadline) throw new TickflowError(ERROR_CODES.BUS_TIMEOUT, `${this.name}: the group did not complete its rebalance`, { canRetry: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** (Re)loads the state of every owned partition when the group generation changed since the last load. */
  async #load(consumer: KafkaConsumer): Promise<void> {
    const { processor, stateTopic, logger } = this.#options;
    for (let attempt = 0; ; attempt++) {
      // Read together: the generation and the partitions it assigned.
      const member = consumer.groupMetadata();
      const partitions = consumer
        .partitions()
        .filter(({ topic }) => topic === processor.input)
        .map(({ partition }) => partition)
        .sort((a, b) => a - b);
      if (this.#member?.generationId === member.generationId) return;
      if (attempt === 5) throw new TickflowError(ERROR_CODES.BUS_TIMEOUT, `the group ${member.groupId} kept rebalancing while ${this.name} loaded its state`, { canRetry: true });
      const started = Date.now();
      this.#member = null;
      this.#offsets.clear();
      processor.reset();
      const timeoutMs = this.#options.stateLoadTimeoutMs ?? (this.#options.transactionTimeoutMs ?? TRANSACTION_TIMEOUT_DEFAULT_MS) + 10_000;
      const records = await this.#reader.readToEnd(stateTopic, partitions, { timeoutMs });
      const tables = new Map(partitions.map((partition) => [partition, new Map<string, unknown>()]));
      for (const { partition, key, value } of records) {
        if (key === null) continue;
        const table = tables.get(partition)!;
        // Compaction semantics: the latest value of a key wins; null deletes it.
        if (value === null) table.delete(key);
        else table.set(key, value);
      }
      for (const [partition, table] of tables) {
        const saved = table.get(OFFSET_KEY) as { next?: unknown } | undefined;
        table.delete(OFFSET_KEY);
        this.#offsets.set(partition, typeof saved?.next === 'number' ? saved.next : 0);
        processor.restore(partition, table);
      }
      this.#member = member;
      logger.info(
        { generation: member.generationId, partitions, stateRecords: records.length, offsets: Object.fromEntries(this.#offsets), ms: Date.now() - started },
        `${this.name} loaded its state`,
      );
    }
  }

  /**
   * One transaction: the step's outputs and state, and for every partition it touched the next input
   * offset, both on the state topic and as the group's committed offset.
   */
  async #commit(step: StepResult, next: ReadonlyMap<number, number>): Promise<void> {
    if (step.outputs.length === 0 && step.state.length === 0 && next.size === 0) return;
    const { processor, stateTopic } = this.#options;
    const producer = this.#producer;
    const member = this.#member;
    if (!producer || !member) throw new InternalError(`${this.name}: no transactional producer or no loaded state`, { canRetry: true });
    const offsets = new Map(next);
    for (const { partition } of step.state) if (!offsets.has(partition)) offsets.set(partition, this.#offsets.get(partition) ?? 0);
    const messages: TransactionalMessage[] = [];
    for (const { topic, records } of step.outputs) for (const record of records) messages.push({ topic, ...record });
    for (const { partition, key, value } of step.state) messages.push({ topic: stateTopic, partition, key, value });
    const groupOffsets: TopicPartitionOffset[] = [];
    for (const [partition, offset] of offsets) {
      messages.push({ topic: stateTopic, partition, key: OFFSET_KEY, value: { v: 1, topic: processor.input, next: offset } });
      groupOffsets.push({ topic: processor.input, partition, offset });
    }
    const transaction = await producer.begin();
    const began = Date.now();
    try {
      await transaction.send(messages);
      await transaction.sendOffsets(groupOffsets, member);
      await transaction.commit();
    } catch (error) {
      this.#aborted++;
      await transaction.abort();
      // The broker aborts a transaction that outlives its timeout by bumping the producer's epoch,
      // which then looks like being fenced by another instance. It was not: start over instead of stopping.
      const timeoutMs = this.#options.transactionTimeoutMs ?? TRANSACTION_TIMEOUT_DEFAULT_MS;
      if (error instanceof ProducerFencedError && Date.now() - began >= timeoutMs) {
        throw new TickflowError(ERROR_CODES.BUS_TRANSACTION_ABORTED, `${this.name}: a transaction took longer than its timeout (${timeoutMs} ms); the broker aborted it`, { canRetry: true, cause: error });
      }
      throw error;
    }
    this.#transactions++;
    for (const [partition, offset] of next) this.#offsets.set(partition, offset);
  }

  #failed(error: unknown, during: string): void {
    this.#failures++;
    this.#backoff.failed();
    this.#lastError = error instanceof Error ? error.message : String(error);
    if (error instanceof ProducerFencedError) {
      this.#fenced = true;
      this.#options.logger.error({ err: error, processor: this.name }, `${this.name} stopped: ${this.#lastError}`);
    } else if (stopsForGood(error)) {
      this.#halted = true;
      this.#options.logger.error({ processor: this.name, code: error.code }, `${this.name} stopped: ${this.#lastError}`);
      this.#halt.resolve(error);
    } else {
      this.#options.logger.error({ err: error, processor: this.name, during }, `${this.name} failed; it starts over from its last committed transaction`);
    }
    // A failed tick leaves the consumer running: closing it ends the loop, which restarts.
    if (during === 'tick') void this.#consumer?.close();
  }

  async lag(): Promise<readonly PartitionLag[]> {
    return this.#consumer ? this.#consumer.lag() : [];
  }

  status(): TransactionalRunnerStatus {
    return {
      name: this.name,
      groupId: this.#options.groupId,
      running: this.#consumer !== null && !this.#stopping && !this.#fenced && !this.#halted,
      processed: this.#processed,
      failures: this.#failures,
      lastError: this.#lastError,
      transactions: this.#transactions,
      aborted: this.#aborted,
      partitions: [...this.#offsets.keys()].sort((a, b) => a - b),
      fenced: this.#fenced,
    };
  }

  /**
   * Stops reading and lets the transaction in flight finish, then leaves the group. Nothing is flushed:
   * open windows and bars stay in the state topic for the next start. Idempotent.
   */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#stop.abort();
    if (this.#timer) clearInterval(this.#timer);
    // The transaction in flight finishes (the consumer is still a member, so its offsets commit).
    await this.#queue.run(async () => {}).catch(() => {});
    await this.#consumer?.close();
    await this.#loop;
    await this.#reader.close();
  }
}
