import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountConfig } from '../../../src/model/account.ts';
import type { Trade } from '../../../src/model/trade.ts';
import type { MarketEvent } from '../../../src/backtest/data/market-event.ts';
import { runBacktest, type BacktestPlan } from '../../../src/backtest/run/run-backtest.ts';
import { loadStrategy } from '../../../src/strategy/load-strategy.ts';
import { resolveParams } from '../../../src/strategy/params.ts';
import type { BacktestResult } from '../../../src/backtest/backtest-result.ts';

/** 2013-10-07 09:30:00 New York (a Monday), Unix ms. */
export const OPEN = Date.UTC(2013, 9, 7, 13, 30);
export const MINUTE = 60_000;

let seq = 0;
export function trade(symbol: string, tsEvent: number, price: number, size = 100): Trade {
  return { type: 'trade', source: 'test', symbol, price, size, conditions: null, tsEvent, tsRecv: tsEvent, seq: ++seq };
}

/** Writes a strategy module into a fresh temporary folder and returns its path. */
export function strategyFile(source: string, name = 'strategy.ts'): string {
  const dir = mkdtempSync(join(tmpdir(), 'tickflow-strategy-'));
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

/** A plan for one run of the strategy at `path`: $100,000 on a margin account, SPY as the benchmark. */
export async function testPlan(path: string, overrides: Partial<BacktestPlan> & { params?: Record<string, string> } = {}): Promise<BacktestPlan> {
  const strategy = await loadStrategy(path);
  const params = resolveParams(strategy.definition.params, overrides.params ?? {});
  if (typeof params === 'string') throw new Error(params);
  return {
    strategy,
    paramSets: [params],
    account: accountConfig({ id: 'backtest', startingCash: '100000' }),
    seed: 1,
    benchmark: 'SPY',
    timeZone: 'America/New_York',
    riskFreeRate: 0,
    from: null,
    to: null,
    tickflowVersion: 'test',
    log: () => {},
    ...overrides,
  };
}

export async function backtest(path: string, events: readonly MarketEvent[], overrides: Partial<BacktestPlan> & { params?: Record<string, string> } = {}): Promise<BacktestResult> {
  const plan = await testPlan(path, overrides);
  const batches = async function* () {
    for (let at = 0; at < events.length; at += 3) yield events.slice(at, at + 3);
  };
  const [result] = await runBacktest(plan, { files: [], batches });
  return result!;
}
