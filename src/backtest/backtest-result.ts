import type { FeeModelConfig, FillModelConfig, RegulatoryFeesConfig } from '../model/account.ts';
import type { Fill } from '../model/fill.ts';
import type { Order } from '../model/order.ts';

/**
 * Everything a finished backtest recorded, in event-time order: what the report writers
 * (`report/`) turn into report.json, the CSV files, the terminal summary and the HTML report.
 * Plain data, no methods; the same run gives the same value.
 */
export interface BacktestResult {
  readonly tickflowVersion: string;
  readonly configuration: BacktestConfiguration;
  readonly inputs: readonly InputFile[];
  /** First and last event time of the data the run read (after `from`/`to`), Unix ms. */
  readonly firstEventAt: number;
  readonly lastEventAt: number;
  readonly counts: EventCounts;
  /** Every order, as it finally stood (Alpaca's Order record), in order of submission. */
  readonly orders: readonly Order[];
  /** Every fill, in the order they happened. */
  readonly fills: readonly Fill[];
  /** The account's equity sampled each minute of event time that had data, and at each session close. */
  readonly equity: readonly EquityPoint[];
  /** One point per trading day: the account's equity and the benchmark's value at that day's last sample. */
  readonly daily: readonly DailyPoint[];
  /** Minute OHLC of each symbol the strategy traded (and the benchmark), for the price chart with fills. */
  readonly prices: Readonly<Record<string, readonly PriceBar[]>>;
  readonly final: FinalAccount;
}

export interface BacktestConfiguration {
  /** As given on the command line, and the file's SHA-256. */
  readonly strategyPath: string;
  readonly strategySha256: string;
  readonly strategyName: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly startingCash: string;
  readonly accountType: 'cash' | 'margin';
  /** The account's fee models and fill model, as the engine's AccountConfig holds them. */
  readonly fees: { readonly commission: FeeModelConfig; readonly regulatory: RegulatoryFeesConfig | null };
  readonly fills: FillModelConfig;
  /** ISO dates (inclusive) or `null` for all the data. */
  readonly from: string | null;
  readonly to: string | null;
  /** Held buy-and-hold alongside; `null` when the data has no such symbol. */
  readonly benchmark: string | null;
  /** Risk-free rate per year for Sharpe and Sortino (0.02 is 2 %). */
  readonly riskFreeRate: number;
  readonly seed: number;
}

export interface InputFile {
  /** As given (relative paths stay relative: the report does not name the machine). */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface EventCounts {
  readonly trades: number;
  readonly quotes: number;
  readonly bars: number;
  readonly quoteBars: number;
}

export interface EquityPoint {
  readonly time: number;
  /** The account, exact decimals as the engine keeps them. */
  readonly equity: string;
  readonly cash: string;
  /** Long plus short market value (gross exposure), dollars. */
  readonly grossExposure: string;
  /** What the starting cash held in the benchmark since the first price would be worth; `null` without one. */
  readonly benchmark: string | null;
}

export interface DailyPoint {
  /** `YYYY-MM-DD`, the trading day in the benchmark's (or the first symbol's) market time zone. */
  readonly date: string;
  readonly equity: string;
  readonly benchmark: string | null;
}

export interface PriceBar {
  /** Bar start, Unix ms. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface FinalAccount {
  readonly cash: string;
  readonly equity: string;
  readonly realizedPl: string;
  readonly unrealizedPl: string;
  readonly fees: string;
  readonly positions: readonly { readonly symbol: string; readonly qty: string; readonly avgEntryPrice: string; readonly marketValue: string }[];
}
