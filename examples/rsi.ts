import { defineStrategy } from 'tickflow/strategy';

/**
 * RSI reversal (the built-in `rsi`, as a trading strategy): buys when RSI climbs back above
 * `oversold`, sells the position when RSI falls back below `overbought`.
 */
export default defineStrategy({
  name: 'rsi',
  params: {
    period: { type: 'integer', default: 14, min: 2, max: 500 },
    oversold: { type: 'number', default: 30, min: 1, max: 99 },
    overbought: { type: 'number', default: 70, min: 1, max: 99 },
    percent: { type: 'number', default: 0.25, min: 0, max: 1, description: 'share of equity per entry' },
  },
  setup(ctx) {
    const { period, oversold, overbought, percent } = ctx.params;
    const states = new Map<string, { rsi: InstanceType<typeof ctx.indicators.RSI>; zone: 'low' | 'high' | 'mid' | null }>();
    return {
      onBar(bar) {
        let state = states.get(bar.symbol);
        if (!state) states.set(bar.symbol, (state = { rsi: new ctx.indicators.RSI(period), zone: null }));
        const value = state.rsi.add(bar.close);
        if (value === null) return;
        const zone = value < oversold ? 'low' : value > overbought ? 'high' : 'mid';
        const before = state.zone;
        state.zone = zone;
        if (before === 'low' && zone !== 'low') void ctx.targetPercent(bar.symbol, percent);
        if (before === 'high' && zone !== 'high') void ctx.closePosition(bar.symbol);
      },
    };
  },
});
