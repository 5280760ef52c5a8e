import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeStatistics } from '../../../src/backtest/report/statistics.ts';
import { backtestResult, DAY_MS } from './fixture.ts';

const close = (actual: number | null, expected: number, what: string, tolerance = 1e-12) => {
  assert.ok(actual !== null, `${what} is null`);
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
};
const SQRT_252 = Math.sqrt(252);
const YEAR_MS = 365.25 * DAY_MS;

describe('computeStatistics on the hand-built four days (fixture.ts)', () => {
  const stats = computeStatistics(backtestResult());

  it('returns: total, CAGR, volatility, Sharpe, Sortino', () => {
    const { strategy } = stats;
    // 1089 / 1000 − 1.
    close(strategy.totalReturn, 0.089, 'total return');
    // 3 days and 390 minutes of calendar time.
    const years = (3 * DAY_MS + 390 * 60_000) / YEAR_MS;
    close(strategy.cagr, 1.089 ** (1 / years) - 1, 'CAGR');
    // Returns .1, −.1, .1, 0: mean .025; deviations .075, −.125, .075, −.025; squares sum .0275; ddof=1 → .0275 / 3.
    const std = Math.sqrt(0.0275 / 3);
    close(strategy.annualVolatility, std * SQRT_252, 'volatility');
    close(strategy.sharpe, (0.025 / std) * SQRT_252, 'Sharpe');
    // Downside: only −.1 counts, over all 4 days: √(.01 / 4) = .05.
    close(strategy.sortino, (0.025 / 0.05) * SQRT_252, 'Sortino');
    assert.equal(stats.tradingDays, 4);
  });

  it('max drawdown on the equity samples: 1100 → 990 is −10 %, never recovered: 3 days to the end', () => {
    close(stats.strategy.maxDrawdown, -0.1, 'max drawdown');
    close(stats.strategy.maxDrawdownDays, 3, 'duration');
    close(stats.strategy.calmar, stats.strategy.cagr! / 0.1, 'Calmar');
  });

  it('benchmark figures and beta 2, alpha 6.3 against it', () => {
    const benchmark = stats.benchmark!;
    close(benchmark.totalReturn, -0.0025, 'benchmark total return');
    close(benchmark.maxDrawdown, -0.05, 'benchmark drawdown');
    // b = .05, −.05, 0, 0: mean 0, squares .005 / 3.
    close(benchmark.annualVolatility, Math.sqrt(0.005 / 3) * SQRT_252, 'benchmark volatility');
    // cov(r, b) = (.075·.05 + .125·.05) / 3 = .01 / 3; var(b) = .005 / 3 → beta 2; alpha = (.025 − 2·0) × 252.
    close(stats.beta, 2, 'beta');
    close(stats.alpha, 6.3, 'alpha');
  });

  it('round trips: +98, −51, +29.4', () => {
    assert.deepEqual(stats.trades, {
      count: 3, wins: 2, losses: 1, winRate: 2 / 3, profitFactor: 127.4 / 51,
      grossWins: '127.4', grossLosses: '-51', averageWin: '63.7', averageLoss: '-51',
      // 76.4 / 3, to the billionth.
      expectancy: '25.466666667',
    });
  });

  it('activity: orders, fees, turnover, exposure', () => {
    const { activity } = stats;
    assert.equal(activity.orders, 6);
    assert.equal(activity.filledOrders, 5);
    assert.equal(activity.fills, 5);
    // 1 + 1 + .5 + .8 + .3 and 1000 + 1100 + 1000 + 1520 + 540.
    assert.equal(activity.totalFees, '3.6');
    assert.equal(activity.tradedNotional, '5160');
    // Mean of the nine samples: 9457 / 9.
    close(activity.turnover, 5160 / (9457 / 9), 'turnover');
    close(activity.timeInMarket, 5 / 9, 'time in market');
    close(activity.averageExposure, (1 + 1 + 1 + 570 / 1050 + 540 / 1089) / 9, 'average exposure');
  });
});

describe('computeStatistics where figures are undefined', () => {
  it('one flat day, no fills, no benchmark: nulls, never NaN or Infinity', () => {
    const stats = computeStatistics(
      backtestResult({
        configuration: { ...backtestResult().configuration, benchmark: null },
        fills: [], orders: [],
        daily: [{ date: '2026-01-05', equity: '1000', benchmark: null }],
        equity: [{ time: 0, equity: '1000', cash: '1000', grossExposure: '0', benchmark: null }],
        firstEventAt: 0, lastEventAt: 0,
        final: { cash: '1000', equity: '1000', realizedPl: '0', unrealizedPl: '0', fees: '0', positions: [] },
      }),
    );
    assert.equal(stats.strategy.totalReturn, 0);
    for (const figure of ['cagr', 'annualVolatility', 'sharpe', 'sortino', 'calmar'] as const) assert.equal(stats.strategy[figure], null, figure);
    assert.equal(stats.strategy.maxDrawdown, 0);
    assert.equal(stats.benchmark, null);
    assert.equal(stats.beta, null);
    assert.equal(stats.trades.winRate, null);
    assert.equal(stats.trades.profitFactor, null);
    assert.equal(stats.trades.expectancy, null);
    assert.ok(!/NaN|Infinity/.test(JSON.stringify(stats)));
  });
});
