import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DailyPoint, EquityPoint } from '../../../src/backtest/backtest-result.ts';
import { computeStatistics } from '../../../src/backtest/report/statistics.ts';
import { backtestResult, DAY_MS, T0 } from './fixture.ts';

/**
 * Sixty days of returns against values computed outside tickflow, with numpy (2.4) transcribing
 * empyrical's stats.py definitions:
 *
 *   i = np.arange(60); r = 0.012*np.sin(1.3*i) + 0.003*np.cos(0.7*i) + 0.0004; b = 0.008*np.sin(1.3*i + 0.4) + 0.0002
 *   rf = 1.02**(1/252) - 1; adj = r - rf
 *   annual_volatility: np.std(r, ddof=1)*np.sqrt(252)
 *   sharpe_ratio:      np.mean(adj)/np.std(adj, ddof=1)*np.sqrt(252)
 *   sortino_ratio:     np.nanmean(adj)*252 / (np.sqrt(np.nanmean(np.square(np.clip(adj, -np.inf, 0))))*np.sqrt(252))
 *   beta:              res = b - b.mean(); np.nanmean(res*r)/np.nanmean(res**2)
 *   alpha (simple, the form; empyrical compounds (1 + mean)^252 − 1): np.nanmean(r - beta*b)*252
 *   max_drawdown:      cum = np.cumprod(1 + [0, *r]); np.min(cum/np.maximum.accumulate(cum) - 1)
 */
const EMPYRICAL = {
  annualVolatility: 0.1410666020027568,
  sharpe: 0.8693081260641673,
  sortino: 1.2932689117990277,
  beta: 1.3877801317087002,
  alpha: 0.008041889306088837,
  maxDrawdown: -0.02404207929455615,
  totalReturn: 0.032079476819120156,
};

const DAYS = 60;
const r = Array.from({ length: DAYS }, (_, i) => 0.012 * Math.sin(1.3 * i) + 0.003 * Math.cos(0.7 * i) + 0.0004);
const b = Array.from({ length: DAYS }, (_, i) => 0.008 * Math.sin(1.3 * i + 0.4) + 0.0002);

function compounded(returns: readonly number[]): number[] {
  let value = 1000;
  return returns.map((x) => (value *= 1 + x));
}

const equity = compounded(r);
const benchmark = compounded(b);
const daily: DailyPoint[] = equity.map((value, i) => ({ date: new Date(T0 + i * DAY_MS).toISOString().slice(0, 10), equity: String(value), benchmark: String(benchmark[i]) }));
const samples: EquityPoint[] = equity.map((value, i) => ({ time: T0 + i * DAY_MS, equity: String(value), cash: String(value), grossExposure: '0', benchmark: String(benchmark[i]) }));

describe('computeStatistics against empyrical\'s definitions (numpy, outside tickflow)', () => {
  const base = backtestResult();
  const stats = computeStatistics({
    ...base,
    configuration: { ...base.configuration, riskFreeRate: 0.02 },
    daily,
    equity: samples,
    firstEventAt: T0,
    lastEventAt: T0 + (DAYS - 1) * DAY_MS,
    final: { ...base.final, equity: String(equity.at(-1)) },
  });
  const figures = { ...stats.strategy, beta: stats.beta, alpha: stats.alpha };

  for (const [name, expected] of Object.entries(EMPYRICAL)) {
    it(`${name} = ${expected}`, () => {
      const actual = figures[name as keyof typeof figures] as number | null;
      assert.ok(actual !== null && Math.abs(actual - expected) <= 1e-9 * Math.abs(expected), `${name}: ${actual} ≠ ${expected}`);
    });
  }
});
