import { defineStrategy } from 'tickflow/strategy';

/**
 * Volume spike (the built-in `volume-spike`, as a trading strategy): a bar with `multiple` × the
 * average volume of the `lookback` bars before it, closing up, buys; closing down, closes the
 * position. Held at most `holdBars` bars.
 */
export default defineStrategy({
  name: 'volume-spike',
  params: {
    multiple: { type: 'number', default: 2.5, min: 1, max: 1_000 },
    lookback: { type: 'integer', default: 20, min: 1, max: 1_000 },
    holdBars: { type: 'integer', default: 30, min: 1, max: 100_000 },
    percent: { type: 'number', default: 0.25, min: 0, max: 1 },
  },
  setup(ctx) {
    const { multiple, lookback, holdBars, percent } = ctx.params;
    const states = new Map<string, { volume: InstanceType<typeof ctx.indicators.SMA>; average: number | null; spiking: boolean; held: number }>();
    return {
      onBar(bar) {
        let state = states.get(bar.symbol);
        if (!state) states.set(bar.symbol, (state = { volume: new ctx.indicators.SMA(lookback), average: null, spiking: false, held: 0 }));
        const average = state.average;
        state.average = state.volume.add(bar.volume);
        if (ctx.position(bar.symbol) && ++state.held >= holdBars) void ctx.closePosition(bar.symbol);
        const spike = average !== null && average > 0 && bar.volume >= multiple * average;
        const fired = spike && !state.spiking;
        state.spiking = spike;
        if (!fired) return;
        if (bar.close >= bar.open) {
          state.held = 0;
          void ctx.targetPercent(bar.symbol, percent);
        } else void ctx.closePosition(bar.symbol);
      },
    };
  },
});
