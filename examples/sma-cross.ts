import { defineStrategy } from 'tickflow/strategy';

/**
 * Moving-average crossover (the built-in `ma-crossover`, as a trading strategy): long `percent` of
 * equity in a symbol while its fast average of bar closes is above the slow one, flat otherwise.
 *
 *   tickflow backtest --strategy examples/sma-cross.ts --param fast=10 --param slow=30 ../shared/data/lean-usa-week-20131007/minute
 */
export default defineStrategy({
  name: 'sma-cross',
  description: 'long while the fast moving average is above the slow one',
  params: {
    fast: { type: 'integer', default: 10, min: 1, max: 1_000, description: 'bars in the fast average' },
    slow: { type: 'integer', default: 30, min: 2, max: 5_000, description: 'bars in the slow average' },
    kind: { type: 'enum', values: ['sma', 'ema'], default: 'sma', description: 'simple or exponential averages' },
    percent: { type: 'number', default: 0.25, min: 0, max: 1, description: 'share of equity per symbol while long' },
  },
  setup(ctx) {
    const { fast, slow, kind, percent } = ctx.params;
    if (fast >= slow) throw new Error(`fast (${fast}) must be below slow (${slow})`);
    const Average = kind === 'ema' ? ctx.indicators.EMA : ctx.indicators.SMA;
    const averages = new Map<string, { fast: InstanceType<typeof Average>; slow: InstanceType<typeof Average>; above: boolean | null }>();
    return {
      onBar(bar) {
        let state = averages.get(bar.symbol);
        if (!state) averages.set(bar.symbol, (state = { fast: new Average(fast), slow: new Average(slow), above: null }));
        const fastValue = state.fast.add(bar.close);
        const slowValue = state.slow.add(bar.close);
        if (fastValue === null || slowValue === null || fastValue === slowValue) return;
        const above = fastValue > slowValue;
        const crossed = state.above !== null && above !== state.above;
        state.above = above;
        if (!crossed) return;
        ctx.log.info(`${bar.symbol} ${kind.toUpperCase()}(${fast}) crossed ${above ? 'above' : 'below'} ${kind.toUpperCase()}(${slow})`, { close: bar.close });
        if (above) void ctx.targetPercent(bar.symbol, percent);
        else void ctx.closePosition(bar.symbol);
      },
    };
  },
});
