import type { Bus } from '../../bus/bus.ts';
import type { Config } from '../../config/config.ts';
import { KafkaBus } from '../../bus/kafka/kafka-bus.ts';
import { ProcessorRunner, type RunnerStatus } from '../../processors/runner/processor-runner.ts';
import type { PartitionLag } from '../../bus/bus.ts';
import type { TickflowMetrics } from '../../observability/metrics.ts';
import { BusSink } from '../../sources/ingest/bus-sink.ts';
import type { Source } from '../../sources/source.ts';
import { topicNames, type Topics } from '../../topics.ts';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import type { PipelineStatus } from '../../observability/pipeline-status.ts';
import { consumerFor, createProcessor, createTransactionalAggregator, type ProcessorContext, type ProcessorName } from './processor-factory.ts';
import { topicSpecs } from './topic-specs.ts';

export interface PipelineOptions extends Omit<ProcessorContext, 'topics'> {
  readonly config: Config;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly logger: Logger;
  /** What feeds the raw topic; `null` for a process that only runs processors. */
  readonly source: Source | null;
  /** Processors in upstream-to-downstream order. */
  readonly processors: readonly ProcessorName[];
  /** The process's metrics (one per process); without them nothing is measured. */
  readonly metrics?: TickflowMetrics;
}

/** What the pipeline needs of a processor's runner (the plain one or the transactional one). */
interface Runner {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  lag(): Promise<readonly PartitionLag[]>;
  status(): RunnerStatus;
  processorStats(): Readonly<Record<string, number>>;
}

/** A source feeding the bus and the processors reading it, started and stopped in order. */
export class Pipeline {
  readonly topics: Topics;
  readonly sink: BusSink;
  readonly #options: PipelineOptions;
  readonly #runners: Runner[];
  readonly #startedAt = Date.now();
  #stopped: Promise<void> | null = null;

  constructor(options: PipelineOptions) {
    this.#options = options;
    const { config, bus, logger, clock, metrics } = options;
    this.topics = topicNames(config.topicPrefix);
    this.sink = new BusSink(bus.producer(), this.topics, metrics?.ingest());
    const context = { ...options, topics: this.topics };
    this.#runners = options.processors.map((name): Runner => {
      if (name === 'aggregator' && bus instanceof KafkaBus) {
        const runner = createTransactionalAggregator({ ...context, bus });
        if (metrics) runner.instrument(metrics.runner(runner.name));
        return runner;
      }
      const processor = createProcessor(name, context);
      const runner = new ProcessorRunner({
        bus,
        processor,
        ...consumerFor(config, processor.name),
        clock,
        logger: logger.child({ processor: processor.name }),
        ...(metrics ? { metrics: metrics.runner(processor.name) } : {}),
      });
      return Object.assign(runner, { processorStats: () => processor.stats?.() ?? {} });
    });
    metrics?.watch({ source: () => options.source?.status() ?? null, consumers: () => this.#runners });
  }

  async start(): Promise<void> {
    const { bus, config, source } = this.#options;
    await bus.ensureTopics(topicSpecs(config));
    for (const runner of this.#runners) await runner.start();
    await source?.start(this.sink);
  }

  async status(): Promise<PipelineStatus> {
    const consumers = await Promise.all(
      this.#runners.map(async (runner) => {
        const status = runner.status();
        const lag = (await runner.lag().catch(() => [])).reduce((sum, partition) => sum + partition.lag, 0);
        return { ...status, lag, stats: runner.processorStats() };
      }),
    );
    const { counters } = this.sink;
    return {
      startedAt: this.#startedAt,
      bus: this.#options.bus.kind,
      source: this.#options.source?.status() ?? null,
      trades: counters.trades,
      gaps: counters.gaps,
      deadLetters: counters.deadLetters,
      symbols: [...counters.lastBySymbol].map(([symbol, last]) => ({ symbol, ...last })),
      consumers,
    };
  }

  /** Waits until every running consumer has committed everything published so far, or `timeoutMs` passed. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const running = this.#runners.filter((runner) => runner.status().running);
      const lags = await Promise.all(running.map((runner) => runner.lag()));
      if (lags.flat().every((partition) => partition.lag === 0)) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  }

  /**
   * Stops the source, lets the consumers catch up (bounded by `drainMs`), then stops them and the
   * bus. Safe to call more than once.
   */
  stop(drainMs = 5_000): Promise<void> {
    this.#stopped ??= this.#stop(drainMs);
    return this.#stopped;
  }

  async #stop(drainMs: number): Promise<void> {
    const { source, bus, logger } = this.#options;
    await source?.close();
    // A processor-only process on a shared bus does not wait for others' records: it just commits its own.
    const drained = source ? await this.drain(drainMs) : true;
    if (!drained) logger.warn({ drainMs }, 'consumers did not catch up before shutdown; their uncommitted records stay on the bus');
    // Upstream first: what a stopping processor flushes still reaches the ones after it.
    for (const runner of this.#runners) {
      await runner.stop();
      if (source) await this.drain(drainMs);
    }
    await bus.close();
  }
}
