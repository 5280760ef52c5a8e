import type { Bus, BusConsumer, BusRecord, PartitionLag } from '../../bus/bus.ts';
import type { RunnerMetrics } from '../../observability/metrics.ts';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import type { Processor } from './processor.ts';
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
  /** Per-hop latency and throughput of this processor (`TickflowMetrics.runner(name)`). */
  readonly metrics?: RunnerMetrics;
}

export interface RunnerStatus {
  readonly name: string;
  readonly groupId: string;
  readonly running: boolean;
  readonly processed: number;
  readonly failures: number;
  readonly lastError: string | null;
}

/**
 * Drives one processor: reads batches, hands them over, commits what the processor reports durable,
 * and ticks it on the clock. A batch that throws is retried (never skipped): the consumer is closed
 * so the uncommitted records are read again from the last commit.
 */
export class ProcessorRunner {
  readonly #options: ProcessorRunnerOptions;
  readonly #queue = new SerialQueue();
  #consumer: BusConsumer | null = null;
  #loop: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopping = false;
  #processed = 0;
  #failures = 0;
  #lastError: string | null = null;

  constructor(options: ProcessorRunnerOptions) {
    this.#options = options;
  }

  get name(): string {
    return this.#options.processor.name;
  }

  async start(): Promise<void> {
    await this.#connect();
    const { processor, clock } = this.#options;
    if (processor.tick) {
      const tick = processor.tick.bind(processor);
      this.#timer = setInterval(() => {
        void this.#queue.run(async () => this.#commit(await tick(clock.now()))).catch((error: unknown) => this.#failed(error));
      }, this.#options.tickMs ?? 250);
      this.#timer.unref();
    }
  }

  async #connect(): Promise<void> {
    const { bus, processor, groupId, startFrom } = this.#options;
    const consumer = await bus.consumer({ groupId, topics: processor.topics, ...(startFrom ? { startFrom } : {}) });
    this.#consumer = consumer;
    this.#loop = this.#consume(consumer);
  }

  async #consume(consumer: BusConsumer): Promise<void> {
    try {
      for await (const batch of consumer) {
        // Past this point the batch stays uncommitted, so it is read again after a restart.
        if (this.#stopping) break;
        const { processor, metrics } = this.#options;
        metrics?.received(batch);
        await this.#queue.run(async () => this.#commit(await processor.process(batch)));
        metrics?.processed(batch);
        this.#processed += batch.length;
      }
    } catch (error) {
      this.#failed(error);
      await consumer.close();
      if (!this.#stopping) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 100 * 2 ** Math.min(this.#failures, 8))));
        if (!this.#stopping) await this.#connect();
      }
    }
  }

  async #commit(records: readonly BusRecord[]): Promise<void> {
    if (records.length > 0 && this.#consumer) await this.#consumer.commit(records);
  }

  #failed(error: unknown): void {
    this.#failures++;
    this.#lastError = error instanceof Error ? error.message : String(error);
    this.#options.logger.error({ err: error, processor: this.name }, `${this.name} failed; its uncommitted records will be processed again`);
  }

  async lag(): Promise<readonly PartitionLag[]> {
    return this.#consumer ? this.#consumer.lag() : [];
  }

  status(): RunnerStatus {
    return {
      name: this.name,
      groupId: this.#options.groupId,
      running: this.#consumer !== null && !this.#stopping,
      processed: this.#processed,
      failures: this.#failures,
      lastError: this.#lastError,
    };
  }

  /** Stops reading, lets the processor finish pending work and commits it. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
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
