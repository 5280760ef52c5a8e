import { randomUUID } from 'node:crypto';
import { writeBatch, type CheckedBatch, type WriteMode } from './batch-writer.ts';
import { checkBar, checkSignal, checkTrade, checkWindowMetrics } from './record-checks.ts';
import { checkQuote, checkQuoteBar } from './quote-checks.ts';
import {
  decodeCursor,
  encodeCursor,
  intervalArg,
  kindArg,
  limitArg,
  orderArg,
  rangeArg,
  strategyArg,
  symbolArg,
  windowArg,
} from './query-args.ts';
import { barFromRow, latestPriceFromRow, metricsFromRow, movingAverageFromRow, rawResponseFromRow, quoteBarFromRow, quoteFromRow, signalFromRow, symbolSummaryFromRow, tradeFromRow, type Row } from './rows.ts';
import type { SqlDriver } from './sql-driver.ts';
import { SqlTradingStore } from './sql-trading-store.ts';
import * as sql from './statements.ts';
import * as quoteSql from './quote-statements.ts';
import { invalidRecord, STORE_ERROR_CODES, StoreError } from './store-error.ts';
import {
  QUERY_INTERVALS,
  type BarQuery,
  type LatestPrice,
  type MovingAverage,
  type MovingAverageQuery,
  type QuotePage,
  type QuoteQuery,
  type RawResponseInput,
  type StoredRawResponse,
  type SignalQuery,
  type Store,
  type StoredBar,
  type StoredQuoteBar,
  type SymbolSummary,
  type TradePage,
  type TradeQuery,
  type WriteBatch,
  type QueryInterval,
  type WriteResult,
} from './store.ts';
import type { WindowMetrics } from '../model/metrics.ts';
import type { TradingSignal } from '../model/signal.ts';
import type { AlertFiring, AlertRule } from '../model/alert.ts';
import * as alerts from './alert-queries.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { AlertFiringQuery, AlertRuleInput, AlertRulePatch, AlertRuleQuery, AlertState, RecordFiringsResult } from './alert-store.ts';

export interface SqlStoreOptions {
  readonly writeMode?: WriteMode;
  /** Stamps the creation and update times of alert rules; default the system clock. */
  readonly clock?: Clock;
}

export interface SqlStoreStats {
  readonly batches: number;
  /** Batches that held rows already stored and went through staging. */
  readonly restaged: number;
}

/** The store over any `SqlDriver`: PgliteStore and PostgresStore differ only in the driver. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export class SqlStore implements Store {
  readonly kind: 'pglite' | 'postgres';
  /** The database client; for tests and benchmarks that look under the port. */
  readonly driver: SqlDriver;
  readonly trading: SqlTradingStore;
  readonly #writeMode: WriteMode;
  readonly #clock: Clock;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #onClose: () => Promise<void>;
  #closed: Promise<void> | null = null;
  #batches = 0;
  #restaged = 0;

  constructor(driver: SqlDriver, options: SqlStoreOptions = {}, onClose: () => Promise<void> = async () => {}) {
    this.kind = driver.kind;
    this.driver = driver;
    this.trading = new SqlTradingStore(driver);
    this.#writeMode = options.writeMode ?? 'optimistic';
    this.#clock = options.clock ?? systemClock;
    this.#onClose = onClose;
  }

  stats(): SqlStoreStats {
    return { batches: this.#batches, restaged: this.#restaged };
  }

  write(batch: WriteBatch): Promise<WriteResult> {
    return this.#run(async () => {
      const checked = checkBatch(batch);
      const { trades, bars, metrics, signals, quotes, quoteBars } = checked;
      if (trades.length + bars.length + metrics.length + signals.length + quotes.length + quoteBars.length === 0) {
        return { trades: 0, bars: 0, metrics: 0, signals: 0, quotes: 0, quoteBars: 0 };
      }
      const outcome = await writeBatch(this.driver, checked, this.#writeMode);
      this.#batches++;
      if (outcome.restaged) this.#restaged++;
      return { trades: outcome.trades, bars: outcome.bars, metrics: outcome.metrics, signals: outcome.signals, quotes: outcome.quotes, quoteBars: outcome.quoteBars };
    });
  }

  latestPrice(symbol: string): Promise<LatestPrice | null> {
    return this.#run(async () => {
      const { rows } = await this.driver.query(sql.LATEST_PRICE, [symbolArg(symbol)]);
      return rows[0] ? latestPriceFromRow(rows[0]) : null;
    });
  }

  symbols(): Promise<SymbolSummary[]> {
    return this.#run(async () => (await this.driver.query(sql.SYMBOLS)).rows.map(symbolSummaryFromRow));
  }

  trades(query: TradeQuery): Promise<TradePage> {
    return this.#run(async () => {
      const { items, nextCursor } = await this.#page(sql.TRADES, query, tradeFromRow);
      return { trades: items, nextCursor };
    });
  }

  quotes(query: QuoteQuery): Promise<QuotePage> {
    return this.#run(async () => {
      const { items, nextCursor } = await this.#page(quoteSql.QUOTES, query, quoteFromRow);
      return { quotes: items, nextCursor };
    });
  }

  bars(query: BarQuery): Promise<StoredBar[]> {
    return this.#bars(query, sql.STORED_BARS, sql.AGGREGATED_BARS, barFromRow);
  }

  quoteBars(query: BarQuery): Promise<StoredQuoteBar[]> {
    return this.#bars(query, quoteSql.STORED_QUOTE_BARS, quoteSql.AGGREGATED_QUOTE_BARS, quoteBarFromRow);
  }

  /** Stored 1 s and 1 m bars as they are; wider ones aggregated from the 1 m bars, a bucket returned when its start is in [from, to), and always whole. */
  #bars<T>(query: BarQuery, storedSql: string, aggregatedSql: string, fromRow: (row: Row, symbol: string, interval: QueryInterval, width: number) => T): Promise<T[]> {
    return this.#run(async () => {
      const symbol = symbolArg(query.symbol);
      const interval = intervalArg(query.interval);
      const limit = limitArg(query.limit, 1_000);
      const { from, to } = rangeArg(query);
      const width = QUERY_INTERVALS[interval];
      const { rows } =
        interval === '1s' || interval === '1m'
          ? await this.driver.query(storedSql, [symbol, interval, from, to, limit])
          : await this.driver.query(aggregatedSql, [symbol, width, alignUp(from, width), alignUp(to, width), limit]);
      return rows.map((row) => fromRow(row, symbol, interval, width));
    });
  }

  signals(query: SignalQuery): Promise<TradingSignal[]> {
    return this.#run(async () => {
      const symbol = symbolArg(query.symbol);
      const strategy = query.strategy === undefined ? null : strategyArg(query.strategy);
      const order = orderArg(query.order);
      const limit = limitArg(query.limit, 1_000);
      const { from, to } = rangeArg(query);
      return (await this.driver.query(sql.SIGNALS[order], [symbol, from, to, strategy, limit])).rows.map(signalFromRow);
    });
  }

  latestMetrics(symbol: string): Promise<WindowMetrics | null> {
    return this.#run(async () => {
      const { rows } = await this.driver.query(sql.LATEST_METRICS, [symbolArg(symbol)]);
      return rows[0] ? metricsFromRow(rows[0]) : null;
    });
  }

  insertRawResponse(response: RawResponseInput): Promise<string> {
    return this.#run(async () => {
      const { provider, symbol, status, body, fetchedAt } = response;
      if (typeof provider !== 'string' || provider.length === 0 || provider.includes('\0')) throw invalidRecord('provider must be a non-empty string');
      if (symbol !== null) symbolArg(symbol);
      if (!Number.isInteger(status) || Math.abs(status) > 2_147_483_647) throw invalidRecord('status must be an integer');
      if (typeof body !== 'string' || body.includes('\0')) throw invalidRecord('body must be a string without NUL characters');
      if (!Number.isSafeInteger(fetchedAt)) throw invalidRecord('fetchedAt must be an integer time in Unix ms');
      const id = randomUUID();
      await this.driver.query(sql.INSERT_RAW_RESPONSE, [id, provider, symbol, status, body, fetchedAt]);
      return id;
    });
  }

  rawResponse(id: string): Promise<StoredRawResponse | null> {
    return this.#run(async () => {
      const statement = UUID.test(id) ? sql.RAW_RESPONSE_BY_UUID : /^[1-9]\d{0,17}$/.test(id) ? sql.RAW_RESPONSE_BY_ROW_ID : null;
      if (statement === null) return null;
      const { rows } = await this.driver.query(statement, [id]);
      return rows[0] ? rawResponseFromRow(rows[0]) : null;
    });
  }

  upsertMovingAverages(values: readonly MovingAverage[]): Promise<number> {
    return this.#run(async () => {
      // One row per key, the last given winning: ON CONFLICT DO UPDATE may not touch a row twice.
      const byKey = new Map<string, MovingAverage>();
      for (const value of values) {
        checkMovingAverage(value);
        byKey.set(`${value.symbol}\0${value.kind}\0${value.window}\0${value.ts}`, value);
      }
      if (byKey.size === 0) return 0;
      const rows = [...byKey.values()];
      const result = await this.driver.query(sql.UPSERT_MOVING_AVERAGES, [
        rows.map((row) => row.symbol),
        rows.map((row) => row.kind),
        rows.map((row) => row.window),
        rows.map((row) => row.ts),
        rows.map((row) => row.value),
      ]);
      return result.rowCount;
    });
  }

  movingAverages(query: MovingAverageQuery): Promise<MovingAverage[]> {
    return this.#run(async () => {
      const symbol = symbolArg(query.symbol);
      const kind = query.kind === undefined ? null : kindArg(query.kind);
      const window = query.window === undefined ? null : windowArg(query.window);
      const { from, to } = rangeArg(query);
      const limit = limitArg(query.limit, 1_000);
      return (await this.driver.query(sql.MOVING_AVERAGES, [symbol, kind, window, from, to, limit])).rows.map(movingAverageFromRow);
    });
  }

  createAlertRule(input: AlertRuleInput): Promise<AlertRule> {
    return this.#run(() => alerts.createAlertRule(this.driver, input, this.#clock.now()));
  }

  listAlertRules(query: AlertRuleQuery = {}): Promise<AlertRule[]> {
    return this.#run(() => alerts.listAlertRules(this.driver, query));
  }

  getAlertRule(id: string): Promise<AlertRule | null> {
    return this.#run(() => alerts.getAlertRule(this.driver, id));
  }

  updateAlertRule(id: string, patch: AlertRulePatch): Promise<AlertRule | null> {
    return this.#run(() => alerts.updateAlertRule(this.driver, id, patch, this.#clock.now()));
  }

  deleteAlertRule(id: string): Promise<boolean> {
    return this.#run(() => alerts.deleteAlertRule(this.driver, id));
  }

  recordFirings(firings: readonly AlertFiring[], states: readonly AlertState[]): Promise<RecordFiringsResult> {
    return this.#run(() => alerts.recordFirings(this.driver, firings, states));
  }

  listFirings(query: AlertFiringQuery = {}): Promise<AlertFiring[]> {
    return this.#run(() => alerts.listFirings(this.driver, query));
  }

  loadAlertStates(ruleIds?: readonly string[]): Promise<AlertState[]> {
    return this.#run(() => alerts.loadAlertStates(this.driver, ruleIds));
  }

  ping(): Promise<void> {
    return this.#run(async () => void (await this.driver.query('SELECT 1')));
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      await Promise.allSettled([...this.#inFlight]);
      try {
        await this.driver.close();
      } finally {
        await this.#onClose();
      }
    })();
    return this.#closed;
  }

  /** A page of a symbol's trades or quotes in (tsEvent, source, seq) order, and the cursor of the next. */
  async #page<T extends { readonly tsEvent: number; readonly source: string; readonly seq: number }>(
    statements: { readonly asc: string; readonly desc: string; readonly ascAfter: string; readonly descAfter: string },
    query: TradeQuery,
    fromRow: (row: Row) => T,
  ): Promise<{ items: T[]; nextCursor: string | null }> {
    const symbol = symbolArg(query.symbol);
    const order = orderArg(query.order);
    const limit = limitArg(query.limit, 100);
    const { from, to } = rangeArg(query);
    const cursor = query.cursor ? decodeCursor(query.cursor, order) : null;
    // One more than asked: whether it comes back says whether there is a next page.
    const params: unknown[] = [symbol, from, to, limit + 1];
    if (cursor) params.push(cursor.tsEvent, cursor.source, cursor.seq);
    const text = cursor ? (order === 'asc' ? statements.ascAfter : statements.descAfter) : statements[order];
    const items = (await this.driver.query(text, params)).rows.map(fromRow);
    if (items.length <= limit) return { items, nextCursor: null };
    items.length = limit;
    const last = items[limit - 1]!;
    return { items, nextCursor: encodeCursor({ order, tsEvent: last.tsEvent, source: last.source, seq: last.seq }) };
  }

  /** Runs an operation unless the store is closing, and lets `close` wait for it. */
  #run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreError(STORE_ERROR_CODES.CLOSED, `the ${this.kind} store is closed`));
    const promise = operation();
    this.#inFlight.add(promise);
    const forget = () => this.#inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
}

/** The smallest multiple of `width` ≥ `value`, kept within the safe integers. */
function alignUp(value: number, width: number): number {
  const aligned = Math.ceil(value / width) * width;
  return Math.max(Math.min(aligned, Number.MAX_SAFE_INTEGER), Number.MIN_SAFE_INTEGER);
}

function checkBatch(batch: WriteBatch): CheckedBatch {
  const check = <T>(records: readonly T[] | undefined, what: string, checker: (value: unknown) => T | string): readonly T[] => {
    for (const [index, record] of (records ?? []).entries()) {
      const problem = checker(record);
      if (typeof problem === 'string') throw invalidRecord(`${what}[${index}] cannot be stored: ${problem}`);
    }
    return records ?? [];
  };
  return {
    trades: check(batch.trades, 'trades', checkTrade),
    bars: check(batch.bars, 'bars', checkBar),
    metrics: check(batch.metrics, 'metrics', checkWindowMetrics),
    signals: check(batch.signals, 'signals', checkSignal),
    quotes: check(batch.quotes, 'quotes', checkQuote),
    quoteBars: check(batch.quoteBars, 'quoteBars', checkQuoteBar),
  };
}

function checkMovingAverage(value: MovingAverage): void {
  try {
    symbolArg(value.symbol);
    kindArg(value.kind);
    windowArg(value.window);
  } catch (error) {
    throw invalidRecord(`moving average cannot be stored: ${(error as Error).message}`);
  }
  if (!Number.isSafeInteger(value.ts)) throw invalidRecord('moving average cannot be stored: ts must be an integer time in Unix ms');
  if (!Number.isFinite(value.value)) throw invalidRecord('moving average cannot be stored: value must be a finite number');
}
