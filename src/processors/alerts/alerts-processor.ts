import type { BusProducer, BusRecord } from '../../bus/bus.ts';
import { ConfigError } from '../../errors.ts';
import type { AlertFiring } from '../../model/alert.ts';
import { validateMarketRecord } from '../../model/market-record.ts';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import type { AlertStore } from '../../store/alert-store.ts';
import type { Processor } from '../runner/processor.ts';
import { AlertEvaluator } from './alert-evaluator.ts';
import { recordLocation, rejectedRecord } from '../runner/rejected-record.ts';

/** What the alerts processor needs of the store. */
export type AlertsProcessorStore = Pick<AlertStore, 'listAlertRules' | 'loadAlertStates' | 'recordFirings'>;

export interface AlertsProcessorOptions {
  /** raw-market-data: its trades are evaluated, its gaps noted, its quotes counted and passed over. */
  readonly input: string;
  /** The alerts topic: firings, keyed by symbol. */
  readonly output: string;
  /** Where invalid input records go (origin `alerts`). */
  readonly deadLetters: string;
  readonly producer: BusProducer;
  /** Opened and closed by the caller; the REST API writes the rules into the same store. */
  readonly store: AlertsProcessorStore;
  readonly clock: Clock;
  /** How often the rules are read again from the store (default `ALERTS_DEFAULTS.reloadMs` of clock time). */
  readonly reloadMs?: number;
  readonly logger?: Logger;
}

export const ALERTS_DEFAULTS = { reloadMs: 1_000 } as const;

interface Reject {
  readonly record: BusRecord;
  readonly reason: string;
}

/**
 * Evaluates the enabled alert rules on every trade (and `stale` rules on every tick) and publishes
 * what fires to `output`. Rules are read from the store every `reloadMs`, so rules created,
 * changed or disabled over the API (maybe in another process) take effect without a restart.
 *
 * Commit after durable: a batch's firings are published and acknowledged, then recorded in the
 * store together with the rules' new states (one transaction), and only then is the batch
 * returned. Delivery on the topic is therefore at least once, with stable ids
 * (`<ruleId>:<crossing>`): after a crash between publishing and recording, the redelivered batch
 * fires the same crossings again under the same ids, which the store (and any consumer that
 * de-duplicates on `id`) ignores. After a failed batch or tick the processor forgets its in-memory
 * state and reloads it from the store, so the retry evaluates from the last recorded state.
 *
 * Run one member per consumer group: price and move rules would scale by partition (a symbol's
 * trades reach one member), but `stale` rules are evaluated on the clock by every member, and a
 * member that does not own a symbol's partition would find it stale.
 */
export class AlertsProcessor implements Processor {
  readonly name = 'alerts';
  readonly topics: readonly string[];
  readonly #options: AlertsProcessorOptions;
  readonly #reloadMs: number;
  #evaluator: AlertEvaluator | null = null;
  #loadedAt = Number.NEGATIVE_INFINITY;
  #stale = true;
  readonly #counts = { trades: 0, quotes: 0, gaps: 0, rejected: 0, firings: 0, duplicates: 0, reloads: 0, batches: 0 };

  constructor(options: AlertsProcessorOptions) {
    const reloadMs = options.reloadMs ?? ALERTS_DEFAULTS.reloadMs;
    if (!Number.isInteger(reloadMs) || reloadMs < 1) throw new ConfigError(`alerts: reloadMs must be a positive integer (got ${JSON.stringify(options.reloadMs)})`);
    this.#options = options;
    this.#reloadMs = reloadMs;
    this.topics = [options.input];
  }

  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    await this.#guard(async (evaluator) => {
      const firings: AlertFiring[] = [];
      const rejects: Reject[] = [];
      for (const record of batch) {
        const value = validateMarketRecord(record.value);
        if (typeof value === 'string') {
          rejects.push({ record, reason: value });
        } else if (!Number.isSafeInteger(value.tsEvent) || !Number.isSafeInteger(value.tsRecv)) {
          rejects.push({ record, reason: 'tsEvent/tsRecv must be integer Unix ms' });
        } else if (value.type === 'trade') {
          this.#counts.trades++;
          firings.push(...evaluator.onTrade(value));
        } else if (value.type === 'quote') {
          // Rules are on trade prices (and `stale` on trades arriving): a quote moves none of them.
          this.#counts.quotes++;
        } else {
          this.#counts.gaps++;
          evaluator.onGap(value);
        }
      }
      await this.#reject(rejects);
      await this.#deliver(evaluator, firings);
      this.#counts.batches++;
    });
    return batch;
  }

  async tick(now: number): Promise<readonly BusRecord[]> {
    await this.#guard(async (evaluator) => this.#deliver(evaluator, evaluator.tick(Math.floor(now))));
    return [];
  }

  /** Nothing is ever pending between batches: every batch is durable when `process` returns. */
  async close(): Promise<readonly BusRecord[]> {
    return [];
  }

  stats(): Readonly<Record<string, number>> {
    return { ...this.#counts, rules: this.#evaluator?.ruleCount ?? 0 };
  }

  /** Runs `work` on an up-to-date evaluator; on failure, makes the next run reload from the store. */
  async #guard(work: (evaluator: AlertEvaluator) => Promise<void>): Promise<void> {
    try {
      const evaluator = await this.#prepare(Math.floor(this.#options.clock.now()));
      await work(evaluator);
    } catch (error) {
      this.#stale = true;
      throw error;
    }
  }

  async #prepare(now: number): Promise<AlertEvaluator> {
    // Started at the first batch or tick: a `stale` rule's baseline for symbols not yet seen.
    const evaluator = (this.#evaluator ??= new AlertEvaluator({ startedAt: now }));
    if (this.#stale) {
      evaluator.clear();
      this.#loadedAt = Number.NEGATIVE_INFINITY;
    }
    if (now - this.#loadedAt >= this.#reloadMs) {
      const { store } = this.#options;
      const rules = await store.listAlertRules({ enabled: true });
      const unknown = evaluator.unknownRules(rules);
      evaluator.setRules(rules, unknown.length > 0 ? await store.loadAlertStates(unknown) : []);
      this.#loadedAt = now;
      this.#counts.reloads++;
    }
    this.#stale = false;
    return evaluator;
  }

  async #deliver(evaluator: AlertEvaluator, firings: readonly AlertFiring[]): Promise<void> {
    const { producer, output, store } = this.#options;
    if (firings.length > 0) {
      await producer.send(output, firings.map((firing) => ({ key: firing.symbol, value: firing, timestamp: firing.tsEvent })));
    }
    const states = evaluator.takeChanges();
    if (firings.length === 0 && states.length === 0) return;
    const recorded = await store.recordFirings(firings, states);
    this.#counts.firings += recorded.firings;
    this.#counts.duplicates += firings.length - recorded.firings;
  }

  async #reject(rejects: readonly Reject[]): Promise<void> {
    if (rejects.length === 0) return;
    const { producer, deadLetters, logger } = this.#options;
    const letters = rejects.map(({ record, reason }) => {
      logger?.warn({ processor: this.name, topic: record.topic, partition: record.partition, offset: record.offset, reason }, `alerts: invalid record at ${recordLocation(record)}: ${reason}`);
      return rejectedRecord('alerts', record, reason, this.#options.clock.now());
    });
    await producer.send(deadLetters, letters);
    this.#counts.rejected += rejects.length;
  }
}
