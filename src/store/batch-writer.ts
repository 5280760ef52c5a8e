import type { Bar } from '../model/bar.ts';
import type { WindowMetrics } from '../model/metrics.ts';
import type { Quote } from '../model/quote.ts';
import type { QuoteBar } from '../model/quote-bar.ts';
import type { TradingSignal } from '../model/signal.ts';
import type { Trade } from '../model/trade.ts';
import { BAR_COLUMNS, barCopyRows, METRICS_COLUMNS, metricsCopyRows, SIGNAL_COLUMNS, signalCopyRows, TRADE_COLUMNS, tradeCopyRows } from './copy-binary.ts';
import { QUOTE_BAR_COLUMNS, QUOTE_COLUMNS, quoteBarCopyRows, quoteCopyRows } from './quote-copy-rows.ts';
import { sqlState, UNIQUE_VIOLATION, type SqlDriver, type SqlResult, type SqlSession } from './sql-driver.ts';
import { createStagingTable, insertFromStaging, stagingTable, UPSERT_LATEST_PRICES } from './statements.ts';
import type { WriteResult } from './store.ts';

/**
 * How a batch reaches its tables.
 * - `optimistic` (default): COPY straight into the tables. A batch holding anything already stored
 *   fails on the primary key; then the whole transaction is rolled back and done again `staging`.
 *   Redeliveries are rare (a crash, a rebalance), so nearly every batch costs one COPY per table.
 * - `staging`: COPY into a temporary table, then `INSERT … SELECT … ON CONFLICT DO NOTHING`.
 * Both store exactly the rows not yet there; bench/storage.ts measures them side by side.
 */
export type WriteMode = 'optimistic' | 'staging';

export interface CheckedBatch {
  readonly trades: readonly Trade[];
  readonly bars: readonly Bar[];
  readonly metrics: readonly WindowMetrics[];
  readonly signals: readonly TradingSignal[];
  readonly quotes: readonly Quote[];
  readonly quoteBars: readonly QuoteBar[];
}

export interface WriteOutcome extends WriteResult {
  /** Whether the optimistic attempt met a row already stored and the batch went through staging. */
  readonly restaged: boolean;
}

export async function writeBatch(driver: SqlDriver, batch: CheckedBatch, mode: WriteMode): Promise<WriteOutcome> {
  if (mode === 'optimistic') {
    try {
      return { ...(await driver.transaction((session) => writeDirect(session, batch))), restaged: false };
    } catch (error) {
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
    }
  }
  return { ...(await driver.transaction((session) => writeStaged(session, batch))), restaged: mode === 'optimistic' };
}

async function writeDirect(session: SqlSession, { trades, bars, metrics, signals, quotes, quoteBars }: CheckedBatch): Promise<WriteResult> {
  if (trades.length > 0) await session.copyIn('trades', TRADE_COLUMNS, tradeCopyRows(trades));
  if (bars.length > 0) await session.copyIn('bars', BAR_COLUMNS, barCopyRows(bars));
  if (metrics.length > 0) await session.copyIn('window_metrics', METRICS_COLUMNS, metricsCopyRows(metrics));
  if (signals.length > 0) await session.copyIn('signals', SIGNAL_COLUMNS, signalCopyRows(signals));
  if (quotes.length > 0) await session.copyIn('quotes', QUOTE_COLUMNS, quoteCopyRows(quotes));
  if (quoteBars.length > 0) await session.copyIn('quote_bars', QUOTE_BAR_COLUMNS, quoteBarCopyRows(quoteBars));
  await upsertLatestPrices(session, trades);
  return { trades: trades.length, bars: bars.length, metrics: metrics.length, signals: signals.length, quotes: quotes.length, quoteBars: quoteBars.length };
}

async function writeStaged(session: SqlSession, { trades, bars, metrics, signals, quotes, quoteBars }: CheckedBatch): Promise<WriteResult> {
  let inserted: readonly Trade[] = [];
  if (trades.length > 0) {
    const { rows: keys } = await stageAndInsert<{ source: string; seq: unknown }>(session, 'trades', TRADE_COLUMNS, tradeCopyRows(trades), 'source, seq');
    const stored = new Set(keys.map((key) => `${key.source}\0${Number(key.seq)}`));
    // The first of several copies of one trade in the batch is the one that was inserted.
    inserted = trades.filter((trade) => stored.delete(`${trade.source}\0${trade.seq}`));
  }
  const barsInserted = bars.length > 0 ? (await stageAndInsert(session, 'bars', BAR_COLUMNS, barCopyRows(bars))).rowCount : 0;
  const metricsInserted = metrics.length > 0 ? (await stageAndInsert(session, 'window_metrics', METRICS_COLUMNS, metricsCopyRows(metrics))).rowCount : 0;
  const signalsInserted = signals.length > 0 ? (await stageAndInsert(session, 'signals', SIGNAL_COLUMNS, signalCopyRows(signals))).rowCount : 0;
  const quotesInserted = quotes.length > 0 ? (await stageAndInsert(session, 'quotes', QUOTE_COLUMNS, quoteCopyRows(quotes))).rowCount : 0;
  const quoteBarsInserted = quoteBars.length > 0 ? (await stageAndInsert(session, 'quote_bars', QUOTE_BAR_COLUMNS, quoteBarCopyRows(quoteBars))).rowCount : 0;
  await upsertLatestPrices(session, inserted);
  return { trades: inserted.length, bars: barsInserted, metrics: metricsInserted, signals: signalsInserted, quotes: quotesInserted, quoteBars: quoteBarsInserted };
}

async function stageAndInsert<R>(session: SqlSession, table: string, columns: readonly string[], data: Uint8Array, returning = ''): Promise<SqlResult<R>> {
  const staging = stagingTable(table);
  if (!session.connectionState.has(staging)) {
    await session.exec(createStagingTable(table, columns));
    session.connectionState.add(staging);
  }
  await session.copyIn(staging, columns, data);
  return session.query<R>(insertFromStaging(table, columns, returning));
}

/** Per symbol among `trades` (all newly stored): the latest by (tsEvent, source, seq), and how many. */
async function upsertLatestPrices(session: SqlSession, trades: readonly Trade[]): Promise<void> {
  if (trades.length === 0) return;
  const latest = new Map<string, { trade: Trade; count: number }>();
  for (const trade of trades) {
    const seen = latest.get(trade.symbol);
    if (!seen) latest.set(trade.symbol, { trade, count: 1 });
    else {
      seen.count++;
      if (isLater(trade, seen.trade)) seen.trade = trade;
    }
  }
  const rows = [...latest.values()];
  const columns = [
    rows.map((row) => row.trade.symbol),
    rows.map((row) => row.trade.price),
    rows.map((row) => row.trade.size),
    rows.map((row) => row.trade.tsEvent),
    rows.map((row) => row.trade.tsRecv),
    rows.map((row) => row.trade.source),
    rows.map((row) => row.trade.seq),
    rows.map((row) => row.count),
  ];
  // Prepared once per connection: every batch runs it, and parsing and planning were a third of its time.
  await session.query(UPSERT_LATEST_PRICES, columns, 'tickflow_upsert_latest_prices');
}

/** (tsEvent, source, seq) order; sources compare by code unit, as the "C" collation does for them. */
function isLater(a: Trade, b: Trade): boolean {
  if (a.tsEvent !== b.tsEvent) return a.tsEvent > b.tsEvent;
  if (a.source !== b.source) return a.source > b.source;
  return a.seq > b.seq;
}
