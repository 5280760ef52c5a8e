import type { Fill } from '../../model/fill.ts';
import { divFixed, fixedFromNumber, formatFixed, mulFixed, parseFixed } from '../../model/fixed-point.ts';
import type { Order } from '../../model/order.ts';
import type { TradeUpdate } from '../../model/trade-update.ts';
import { civilDateOf, dayAt } from '../../trading/calendar/civil-date.ts';
import type { DailyPoint, EquityPoint } from '../backtest-result.ts';

/** What a sample reads of the account: exact cash, equity and gross exposure (Σ |market value|). */
export interface AccountValue {
  readonly cash: bigint;
  readonly equity: bigint;
  readonly exposure: bigint;
}

export interface RecorderOptions {
  readonly startingCash: string;
  /** The zone trading days are counted in (the benchmark's market's). */
  readonly timeZone: string;
}

/**
 * What one run records for its report: every order as it finally stood, every fill, the equity
 * curve (a sample per minute of event time with data) and one point per trading day.
 */
export class RunRecorder {
  readonly #options: RecorderOptions;
  readonly #startingCash: bigint;
  readonly #orders = new Map<string, Order>();
  readonly fills: Fill[] = [];
  readonly equity: EquityPoint[] = [];
  readonly daily: DailyPoint[] = [];
  #day: number | null = null;

  constructor(options: RecorderOptions) {
    this.#options = options;
    this.#startingCash = parseFixed(options.startingCash)!;
  }

  get orders(): Order[] {
    return [...this.#orders.values()];
  }

  updates(updates: readonly TradeUpdate[]): void {
    for (const update of updates) {
      this.#orders.set(update.order.id, update.order);
      if (update.fill) this.fills.push(update.fill);
    }
  }

  /**
   * The account at `time`; `benchmarkPrice / benchmarkFirst` scales the starting cash for the
   * benchmark (null without one). A new trading day closes the previous day's point.
   */
  sample(time: number, account: AccountValue, benchmarkPrice: number | null, benchmarkFirst: number | null): void {
    const benchmark = benchmarkPrice !== null && benchmarkFirst !== null ? formatFixed(divFixed(mulFixed(this.#startingCash, fixedFromNumber(benchmarkPrice)), fixedFromNumber(benchmarkFirst))) : null;
    const point: EquityPoint = { time, equity: formatFixed(account.equity), cash: formatFixed(account.cash), grossExposure: formatFixed(account.exposure), benchmark };
    const day = dayAt(this.#options.timeZone, time);
    const last = this.equity.at(-1);
    if (last && this.#day !== null && day !== this.#day) this.#closeDay(last);
    this.#day = day;
    if (last && last.time === time) this.equity[this.equity.length - 1] = point;
    else this.equity.push(point);
  }

  /** Closes the last day; call once, after the last sample. */
  finish(): void {
    const last = this.equity.at(-1);
    if (last) this.#closeDay(last);
  }

  #closeDay(point: EquityPoint): void {
    this.daily.push({ date: civilDateOf(dayAt(this.#options.timeZone, point.time)), equity: point.equity, benchmark: point.benchmark });
  }
}

