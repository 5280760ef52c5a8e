import type { Bus } from '../bus/bus.ts';
import type { Config } from '../config/config.ts';
import { ArchiveProcessor } from '../processors/archive/archive-processor.ts';
import { AggregatorProcessor } from '../processors/aggregator/aggregator-processor.ts';
import type { EligibilityRule } from '../processors/bars/eligibility.ts';
import { RecordLogger } from '../processors/logger/record-logger.ts';
import type { Processor } from '../processors/runner/processor.ts';
import { ProcessorRunner } from '../processors/runner/processor-runner.ts';
import { BusSink } from '../sources/ingest/bus-sink.ts';
import type { Source } from '../sources/source.ts';
import { topicNames, TOPIC_KINDS, type Topics } from '../topics.ts';
import { join } from 'node:path';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import type { PipelineStatus } from './pipeline-status.ts';

export interface PipelineOptions {
  readonly config: Config;
  readonly bus: Bus;
  readonly source: Source;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Also print every record (the logger processor). */
  readonly logRecords?: boolean;
  /**
   * Close bars on the event time the aggregator has seen rather than on the clock: for replays run
   * faster than real time, where the wall clock means nothing.
   */
  readonly barsOnEventTime?: boolean;
  /** Where the archive writes; default `<data dir>/archive`. */
  readonly archiveDir?: string;
  /** Which trades set bar prices (e.g. Lean's rule for AlgoSeek sale conditions); default all. */
  readonly barEligibility?: EligibilityRule;
  /** Leave the archive out (benchmarks of the rest). */
  readonly withoutArchive?: boolean;
}

/** A source feeding the bus and the processors reading it, started and stopped in order. */
export class Pipeline {
  readonly topics: Topics;
  readonly sink: BusSink;
  readonly #options: PipelineOptions;
  readonly #runners: ProcessorRunner[];
  readonly #processors: Processor[];
  readonly #startedAt = Date.now();
  #stopped: Promise<void> | null = null;

  constructor(options: PipelineOptions) {
    this.#options = options;
    const { config, bus, logger, clock } = options;
    this.topics = topicNames(config.topicPrefix);
    this.sink = new BusSink(bus.producer(), this.topics);
    const aggregatorOutput = bus.producer();
    this.#processors = [
      new AggregatorProcessor({
        input: this.topics.raw,
        output: this.topics.metrics,
        deadLetters: this.topics.deadLetter,
        producer: aggregatorOutput,
        windowSize: config.windowSize,
        publishEvery: config.publishEvery,
        barLatenessMs: config.barLatenessMs,
        closeBarsOnEventTime: options.barsOnEventTime ?? false,
        clock,
        ...(options.barEligibility ? { eligibility: options.barEligibility } : {}),
      }),
    ];
    if (!options.withoutArchive) {
      this.#processors.push(
        new ArchiveProcessor({
          dir: options.archiveDir ?? join(config.dataDir, 'archive'),
          topics: [this.topics.raw, this.topics.metrics, this.topics.deadLetter],
          batchSize: config.archiveBatch,
          flushMs: config.archiveFlushMs,
        }),
      );
    }
    if (options.logRecords) this.#processors.push(new RecordLogger([this.topics.raw, this.topics.metrics]));
    this.#runners = this.#processors.map(
      (processor) => new ProcessorRunner({ bus, processor, groupId: `tickflow-${processor.name}`, clock, logger: logger.child({ processor: processor.name }) }),
    );
  }

  async start(): Promise<void> {
    const { bus, config, source } = this.#options;
    await bus.ensureTopics(TOPIC_KINDS.map((kind) => ({ name: this.topics[kind], partitions: config.partitions })));
    for (const runner of this.#runners) await runner.start();
    await source.start(this.sink);
  }

  async status(): Promise<PipelineStatus> {
    const consumers = await Promise.all(
      this.#runners.map(async (runner, index) => {
        const status = runner.status();
        const lag = (await runner.lag()).reduce((sum, partition) => sum + partition.lag, 0);
        return { ...status, lag, stats: this.#processors[index]!.stats?.() ?? {} };
      }),
    );
    const { counters } = this.sink;
    return {
      startedAt: this.#startedAt,
      bus: this.#options.bus.kind,
      source: this.#options.source.status(),
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
    await source.close();
    const drained = await this.drain(drainMs);
    if (!drained) logger.warn({ drainMs }, 'consumers did not catch up before shutdown; their uncommitted records stay on the bus');
    // Upstream first: what a stopping processor flushes still reaches the ones after it.
    for (const runner of this.#runners) {
      await runner.stop();
      await this.drain(drainMs);
    }
    await bus.close();
  }
}
