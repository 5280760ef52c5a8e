import type { BacktestResult } from '../backtest-result.ts';
import { roundedNumbers, sortedKeys } from './canonical-json.ts';
import type { Statistics } from './statistics.ts';

export const REPORT_FORMAT = 'tickflow-backtest-report/1';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * What report.json holds, keys in a fixed order. Nothing of the run itself (no wall-clock time, no
 * absolute path of the machine): the same inputs and configuration give the same bytes.
 */
export function reportObject(result: BacktestResult, statistics: Statistics): Record<string, unknown> {
  const { configuration: c } = result;
  return {
    format: REPORT_FORMAT,
    tickflowVersion: result.tickflowVersion,
    configuration: {
      strategyName: c.strategyName,
      strategyPath: c.strategyPath,
      strategySha256: c.strategySha256,
      params: sortedKeys(c.params),
      startingCash: c.startingCash,
      accountType: c.accountType,
      fees: sortedKeys(c.fees),
      fills: sortedKeys(c.fills),
      from: c.from,
      to: c.to,
      benchmark: c.benchmark,
      riskFreeRate: c.riskFreeRate,
      seed: c.seed,
    },
    inputs: result.inputs.map(({ path, bytes, sha256 }) => ({ path, bytes, sha256 })),
    period: {
      firstEventAt: iso(result.firstEventAt),
      lastEventAt: iso(result.lastEventAt),
      firstDay: result.daily[0]?.date ?? null,
      lastDay: result.daily.at(-1)?.date ?? null,
      tradingDays: result.daily.length,
    },
    counts: { trades: result.counts.trades, quotes: result.counts.quotes, bars: result.counts.bars, quoteBars: result.counts.quoteBars, orders: result.orders.length, fills: result.fills.length, equitySamples: result.equity.length },
    statistics: roundedNumbers(statistics),
    final: {
      cash: result.final.cash,
      equity: result.final.equity,
      realizedPl: result.final.realizedPl,
      unrealizedPl: result.final.unrealizedPl,
      fees: result.final.fees,
      positions: result.final.positions.map(({ symbol, qty, avgEntryPrice, marketValue }) => ({ symbol, qty, avgEntryPrice, marketValue })),
    },
  };
}

/** report.json's text: two-space indented, one trailing newline. */
export function reportJson(result: BacktestResult, statistics: Statistics): string {
  return `${JSON.stringify(reportObject(result, statistics), null, 2)}\n`;
}
