import { defineStrategy } from 'tickflow/strategy';

/**
 * Mean reversion with limit orders: rests a buy limit at the lower Bollinger band, and once filled a
 * sell limit at the middle band. An entry not filled within `patience` bars is canceled and placed
 * again at the new band. Day orders: nothing is carried overnight but the position.
 */
export default defineStrategy({
  name: 'mean-reversion',
  params: {
    period: { type: 'integer', default: 20, min: 2, max: 1_000 },
    deviations: { type: 'number', default: 2, min: 0.1, max: 10 },
    patience: { type: 'integer', default: 5, min: 1, max: 1_000 },
    qty: { type: 'integer', default: 100, min: 1, max: 1_000_000 },
  },
  setup(ctx) {
    const { period, deviations, patience, qty } = ctx.params;
    const states = new Map<string, { bands: InstanceType<typeof ctx.indicators.BollingerBands>; waited: number }>();
    const round = (price: number) => Math.round(price * 100) / 100;
    return {
      async onBar(bar) {
        let state = states.get(bar.symbol);
        if (!state) states.set(bar.symbol, (state = { bands: new ctx.indicators.BollingerBands(period, deviations), waited: 0 }));
        const bands = state.bands.add(bar.close);
        if (bands === null) return;
        const open = ctx.openOrders(bar.symbol);
        const held = ctx.position(bar.symbol);
        if (open.length > 0 && ++state.waited < patience) return;
        if (open.length > 0) await ctx.cancelAll(bar.symbol);
        state.waited = 0;
        if (held && held.qty > 0) await ctx.sell(bar.symbol, held.qty, { type: 'limit', limitPrice: round(bands.middle) });
        else await ctx.buy(bar.symbol, qty, { type: 'limit', limitPrice: round(bands.lower) });
      },
    };
  },
});
