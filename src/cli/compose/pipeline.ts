import type { TickflowMetrics } from '../../observability/metrics.ts';
import type { PipelineStatus } from '../../observability/pipeline-status.ts';
import type { Runner } from '../../processors/runner/runner.ts';
import { BusSink } from '../../sources/ingest/bus-sink.ts';
import type { PublishedOffsets } from '../../sources/ingest/journal-sink.ts';
import type { Source } from '../../sources/source.ts';
import type { Topics } from '../../topics.ts';
import type { BusWiring, RunnerContext } from './bus-wiring.ts';
import { partTopics } from './part-topics.ts';
import { consumerFor, createProcessor, runsInBackground, type ProcessorContext, type ProcessorName } from './processor-factory.ts';

export interface PipelineOptions extends Omit<ProcessorContext, 'bus' | 'topics'> {
  readonly wiring: BusWiring;
  readonly topics: Topics;
  /** What feeds the raw topic in this process; `null` for a process that only runs processors. */
  readonly source: Source | null;
  /** Processors in upstream-to-downstream order. */
  readonly processors: readonly ProcessorName[];
  readonly metrics: TickflowMetrics | null;
}

/**
 * The processors of one process on one bus, and the sink a source of this process publishes into.
 * The source itself is started and stopped by the composition root; the pipeline drains behind it.
 */
export class Pipeline {
  readonly topics: Topics;
  readonly sink: BusSink;
  readonly #options: PipelineOptions;
  readonly #runners: Runner[];
  readonly #startedAt = Date.now();

  constructor(options: PipelineOptions) {
    this.#options = options;
    const { config, wiring, metrics, topics } = options;
    this.topics = topics;
    this.sink = new BusSink(wiring.bus.producer(), partTopics('ingest', topics).writes, metrics?.ingest());
    const context: ProcessorContext = { ...options, bus: wiring.bus };
    this.#runners = options.processors.map((name) => {
      const runnerContext: RunnerContext = {
        ...consumerFor(config, name),
        ...(runsInBackground(name) ? { background: true } : {}),
        clock: options.clock,
        logger: options.logger.child({ processor: name }),
        ...(metrics ? { metrics: metrics.runner(name) } : {}),
      };
      return wiring.runner(createProcessor(name, context), runnerContext);
    });
    metrics?.watch({ source: () => options.source?.status() ?? null, consumers: () => this.#runners });
  }

  async start(): Promise<void> {
    for (const runner of this.#runners) await runner.start();
  }

  /** Settles with the error of the first processor that stopped for good by itself (a grant missing on Kafka); never otherwise. */
  get halted(): Promise<Error> {
    return Promise.race(this.#runners.map((runner) => runner.halted));
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
      bus: this.#options.wiring.kind,
      topics: this.topics,
      source: this.#options.source?.status() ?? null,
      trades: counters.trades,
      quotes: counters.quotes,
      gaps: counters.gaps,
      deadLetters: counters.deadLetters,
      symbols: [...counters.lastBySymbol].map(([symbol, last]) => ({ symbol, ...last })),
      consumers,
    };
  }

  /** Per partition of `topic`: where its next record lands, and the lowest offset a consumer here has not committed. */
  async offsets(topic: string): Promise<PublishedOffsets> {
    const ends: number[] = [];
    const committed: number[] = [];
    for (const lag of (await Promise.all(this.#runners.map((runner) => runner.lag()))).flat()) {
      if (lag.topic !== topic) continue;
      ends[lag.partition] = Math.max(ends[lag.partition] ?? 0, lag.endOffset);
      committed[lag.partition] = Math.min(committed[lag.partition] ?? Infinity, lag.committedOffset);
    }
    return { ends, committed };
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
   * Lets the consumers catch up with what this process's source published (bounded by `drainMs`),
   * then stops them upstream first, so that what a stopping processor flushes still reaches the ones
   * after it. A processor-only process on a shared bus does not wait for others' records.
   */
  async stop(drainMs: number): Promise<void> {
    const { source, logger } = this.#options;
    const drained = source ? await this.drain(drainMs) : true;
    if (!drained) logger.warn({ drainMs }, 'consumers did not catch up before shutdown; their uncommitted records stay on the bus');
    for (const runner of this.#runners) {
      await runner.stop();
      if (source) await this.drain(drainMs);
    }
  }
}
