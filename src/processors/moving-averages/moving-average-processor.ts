import type { BusRecord } from '../../bus/bus.ts';
import { ConfigError } from '../../errors.ts';
import { validatePriceEvent } from '../../model/price-event.ts';
import type { Processor } from '../runner/processor.ts';
import { silentLogger, type Logger } from '../../logger.ts';
import { MOVING_AVERAGE_KINDS, movingAverageState, type MovingAverageKind, type MovingAverageRow, type MovingAverageState } from '../../indicators/moving-average.ts';

export type SaveMovingAverages = (rows: readonly MovingAverageRow[]) => Promise<void>;

export interface MovingAverageProcessorOptions {
  /** The `price-events` topic (`topicNames(prefix).priceEvents`). */
  readonly input: string;
  readonly saveMovingAverages: SaveMovingAverages;
  /** Windows, in price events (default `[20]`). */
  readonly windows?: readonly number[];
  /** Default both `sma` and `ema`. */
  readonly kinds?: readonly MovingAverageKind[];
  readonly name?: string;
  readonly logger?: Logger;
}

export const MOVING_AVERAGE_DEFAULTS = { windows: [20] as readonly number[], kinds: MOVING_AVERAGE_KINDS, name: 'moving-averages' };

/** Every average of one symbol, and the time of the last price it took in. */
interface SymbolAverages {
  readonly lastTs: number;
  readonly states: readonly MovingAverageState[];
}

/**
 * SMA and EMA per symbol and window over `price-events`, written through `saveMovingAverages`. A
 * batch is reported durable only after the save resolved. The batch is computed on copies of the
 * affected symbols' state, which replace the kept state only once saved: when a save fails the
 * processor throws, the runner redelivers from the last commit, and no price is counted twice.
 * Per symbol, a price whose timestamp is not after the last one taken in (a redelivery, or the same
 * quote fetched twice) is skipped: an average is over distinct points in time. Records that are not
 * valid price events are counted as `rejected` and committed.
 */
export class MovingAverageProcessor implements Processor {
  readonly name: string;
  readonly topics: readonly string[];
  readonly #save: SaveMovingAverages;
  readonly #windows: readonly number[];
  readonly #kinds: readonly MovingAverageKind[];
  readonly #log: Logger;
  readonly #symbols = new Map<string, SymbolAverages>();
  readonly #counters = { events: 0, rows: 0, rejected: 0, skipped: 0, saves: 0 };

  constructor(options: MovingAverageProcessorOptions) {
    const windows = options.windows ?? MOVING_AVERAGE_DEFAULTS.windows;
    const kinds = options.kinds ?? MOVING_AVERAGE_DEFAULTS.kinds;
    const problems: string[] = [];
    if (typeof options.input !== 'string' || options.input === '') problems.push('input topic is required');
    if (typeof options.saveMovingAverages !== 'function') problems.push('saveMovingAverages is required');
    if (windows.length === 0 || !windows.every((w) => Number.isSafeInteger(w) && w >= 1)) problems.push(`windows must be integers ≥ 1, got ${JSON.stringify(windows)}`);
    if (new Set(windows).size !== windows.length) problems.push(`windows repeat: ${JSON.stringify(windows)}`);
    if (kinds.length === 0 || !kinds.every((k) => MOVING_AVERAGE_KINDS.includes(k)) || new Set(kinds).size !== kinds.length) problems.push(`kinds must be distinct "sma"/"ema", got ${JSON.stringify(kinds)}`);
    if (problems.length > 0) throw new ConfigError(`moving averages: ${problems.join('; ')}`);
    this.name = options.name ?? MOVING_AVERAGE_DEFAULTS.name;
    this.topics = [options.input];
    this.#save = options.saveMovingAverages;
    this.#windows = windows;
    this.#kinds = kinds;
    this.#log = (options.logger ?? silentLogger()).child({ component: this.name });
  }

  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    const staged = new Map<string, SymbolAverages>();
    const rows: MovingAverageRow[] = [];
    let events = 0;
    let rejected = 0;
    let skipped = 0;
    for (const record of batch) {
      const event = validatePriceEvent(record.value);
      if (typeof event === 'string') {
        rejected++;
        this.#log.warn({ topic: record.topic, partition: record.partition, offset: record.offset, reason: event }, 'not a price event');
        continue;
      }
      const current = staged.get(event.symbol) ?? this.#copyOf(event.symbol);
      if (current.lastTs !== -Infinity && event.tsEvent <= current.lastTs) {
        skipped++;
        continue;
      }
      events++;
      for (const state of current.states) {
        const value = state.push(event.price);
        if (value !== null) rows.push({ symbol: event.symbol, kind: state.kind, window: state.window, ts: event.tsEvent, value });
      }
      staged.set(event.symbol, { lastTs: event.tsEvent, states: current.states });
    }
    if (rows.length > 0) {
      await this.#save(rows);
      this.#counters.saves++;
    }
    for (const [symbol, averages] of staged) this.#symbols.set(symbol, averages);
    this.#counters.events += events;
    this.#counters.rows += rows.length;
    this.#counters.rejected += rejected;
    this.#counters.skipped += skipped;
    return batch;
  }

  stats(): Readonly<Record<string, number>> {
    return { ...this.#counters, symbols: this.#symbols.size };
  }

  /** A copy of the kept state of `symbol` (fresh state for a new symbol), to compute a batch on. */
  #copyOf(symbol: string): SymbolAverages {
    const kept = this.#symbols.get(symbol);
    if (kept) return { lastTs: kept.lastTs, states: kept.states.map((state) => state.clone()) };
    const states: MovingAverageState[] = [];
    for (const window of this.#windows) for (const kind of this.#kinds) states.push(movingAverageState(kind, window));
    return { lastTs: -Infinity, states };
  }
}
