import { RestartBackoff, type RestartBackoffOptions } from '../../backoff.ts';
import type { Bus, BusConsumer, BusRecord, PartitionLag } from '../../bus/bus.ts';
import type { RunnerMetrics } from '../../observability/metrics.ts';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import type { Processor } from './processor.ts';
import { stopsForGood, type RunnerStatus } from './runner.ts';
import { SerialQueue } from './serial-queue.ts';

export interface ProcessorRunnerOptions {
  readonly bus: Bus;
  readonly processor: Processor;
  readonly groupId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often `tick` runs; default 250 ms. */
  readonly tickMs?: number;
  readonly startFrom?: 'earliest' | 'latest';
  /** Reads as a background consumer (`ConsumerOptions.background`). */
  readonly background?: boolean;
  /** Per-hop latency and throughput of this processor (`TickflowMetrics.runner(name)`). */
  readonly metrics?: RunnerMetrics;
  /** The wait before reading again after a failure (default RESTART_BACKOFF_DEFAULTS). */
  readonly restartBackoff?: RestartBackoffOptions;
}

/**
 * Drives one processor: reads batches, hands them over, commits what the processor reports durable,
 * and ticks it on the clock. A batch that throws is retried (never skipped): the consumer is closed
 * so the uncommitted records are read again from the last commit, after a backoff that grows with
 * the failures in a row and that `stop` cuts short.
 */
export class ProcessorRunner {
  readonly #options: ProcessorRunnerOptions;
  readonly #queue = new SerialQueue();
  readonly #backoff: RestartBackoff;
  /** Aborted by `stop`: ends a backoff wait at once. */
  readonly #stop = new AbortController();
  #consumer: BusConsumer | null = null;
  /** The consumer a failed tick closed, so that its loop restarts instead of ending. */
  #closedByTick: BusConsumer | null = null;
  #loop: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopping = false;
  #processed = 0;
  #failures = 0;
  #lastError: string | null = null;
  readonly #halt = Promise.withResolvers<Error>();
  #halted = false;

  constructor(options: ProcessorRunnerOptions) {
    this.#options = options;
    this.#backoff = new RestartBackoff(options.restartBackoff);
  }

  get name(): string {
    return this.#options.processor.name;
  }

  get halted(): Promise<Error> {
    return this.#halt.promise;
  }

  async start(): Promise<void> {
    await this.#connect();
    this.#loop = this.#supervise();
    const { processor, clock } = this.#options;
    if (processor.tick) {
      const tick = processor.tick.bind(processor);
      this.#timer = setInterval(() => {
        void this.#queue.run(async () => this.#commit(await tick(clock.now()))).catch((error: unknown) => this.#tickFailed(error));
      }, this.#options.tickMs ?? 250);
      this.#timer.unref();
    }
  }

  async #connect(): Promise<void> {
    const { bus, processor, groupId, startFrom, background } = this.#options;
    this.#consumer = await bus.consumer({ groupId, topics: processor.topics, ...(startFrom ? { startFrom } : {}), ...(background ? { background } : {}) });
  }

  /** Consumes until stopped; after a failed batch, waits out the backoff and reads again from the last commit. */
  async #supervise(): Promise<void> {
    while (this.#consumer && (await this.#consume(this.#consumer)) === 'failed') {
      do {
        await this.#backoff.wait(this.#stop.signal);
        if (this.#stopping || this.#halted) return;
      } while (!(await this.#reconnected()));
      // Stopped while connecting: `stop` found no consumer to close.
      if (this.#stopping) {
        await this.#consumer?.close();
        return;
      }
    }
  }

  async #consume(consumer: BusConsumer): Promise<'ended' | 'failed'> {
    try {
      for await (const batch of consumer) {
        // Past this point the batch stays uncommitted, so it is read again after a restart.
        if (this.#stopping) break;
        const { processor, metrics } = this.#options;
        metrics?.received(batch);
        await this.#queue.run(async () => this.#commit(await processor.process(batch)));
        metrics?.processed(batch);
        this.#processed += batch.length;
        this.#backoff.succeeded();
      }
    } catch (error) {
      this.#failed(error);
      await consumer.close();
      return this.#stopping || this.#halted ? 'ended' : 'failed';
    }
    return consumer === this.#closedByTick && !this.#stopping && !this.#halted ? 'failed' : 'ended';
  }

  /**
   * What a failed tick left undone (a write of earlier batches) is not durable, yet later commits
   * would pass over it: reading again from the last commit is the only way to have it again.
   */
  #tickFailed(error: unknown): void {
    this.#failed(error);
    const consumer = this.#consumer;
    if (!consumer || this.#stopping) return;
    this.#closedByTick = consumer;
    void consumer.close();
  }

  async #reconnected(): Promise<boolean> {
    try {
      await this.#connect();
      return true;
    } catch (error) {
      this.#failed(error);
      return false;
    }
  }

  async #commit(records: readonly BusRecord[]): Promise<void> {
    if (records.length > 0 && this.#consumer) await this.#consumer.commit(records);
  }

  #failed(error: unknown): void {
    this.#failures++;
    this.#backoff.failed();
    this.#lastError = error instanceof Error ? error.message : String(error);
    if (stopsForGood(error)) {
      this.#halted = true;
      this.#options.logger.error({ processor: this.name, code: error.code }, `${this.name} stopped: ${error.message}`);
      this.#halt.resolve(error);
      return;
    }
    this.#options.logger.error({ err: error, processor: this.name }, `${this.name} failed; its uncommitted records will be processed again`);
  }

  async lag(): Promise<readonly PartitionLag[]> {
    return this.#consumer ? this.#consumer.lag() : [];
  }

  status(): RunnerStatus {
    return {
      name: this.name,
      groupId: this.#options.groupId,
      running: this.#consumer !== null && !this.#stopping && !this.#halted,
      processed: this.#processed,
      failures: this.#failures,
      lastError: this.#lastError,
    };
  }

  /** Stops reading, lets the processor finish pending work and commits it. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#stop.abort();
    if (this.#timer) clearInterval(this.#timer);
    const { processor } = this.#options;
    const consumer = this.#consumer;
    if (processor.close) {
      const close = processor.close.bind(processor);
      await this.#queue.run(async () => this.#commit(await close())).catch((error: unknown) => this.#failed(error));
    }
    await consumer?.close();
    await this.#loop;
  }
}
