import { defineStrategy } from 'tickflow/strategy';

/**
 * VWAP deviation (the built-in `vwap-deviation`, as a trading strategy): the day's VWAP from bars;
 * a close more than `thresholdPct` below it buys, back at the VWAP (or above the threshold) sells.
 * The VWAP starts over at each session open.
 */
export default defineStrategy({
  name: 'vwap-deviation',
  params: {
    thresholdPct: { type: 'number', default: 0.1, min: 0.001, max: 100 },
    percent: { type: 'number', default: 0.25, min: 0, max: 1 },
  },
  setup(ctx) {
    const { thresholdPct, percent } = ctx.params;
    const days = new Map<string, { value: number; volume: number }>();
    return {
      onClock(event) {
        if (event.kind === 'open') days.clear();
      },
      onBar(bar) {
        const day = days.get(bar.symbol) ?? { value: 0, volume: 0 };
        day.value += ((bar.high + bar.low + bar.close) / 3) * bar.volume;
        day.volume += bar.volume;
        days.set(bar.symbol, day);
        if (day.volume === 0) return;
        const vwap = day.value / day.volume;
        const deviationPct = ((bar.close - vwap) / vwap) * 100;
        const held = ctx.position(bar.symbol);
        if (!held && deviationPct < -thresholdPct) void ctx.targetPercent(bar.symbol, percent);
        else if (held && deviationPct >= 0) void ctx.closePosition(bar.symbol);
      },
    };
  },
});
