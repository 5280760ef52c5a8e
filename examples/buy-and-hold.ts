import { defineStrategy } from 'tickflow/strategy';

/**
 * Buys `percent` of equity in one symbol at its first price and holds it to the end: the baseline
 * every other strategy should beat.
 *
 *   tickflow backtest --strategy examples/buy-and-hold.ts --param symbol=SPY ../shared/data/lean-usa-week-20131007/minute/spy
 */
export default defineStrategy({
  name: 'buy-and-hold',
  params: {
    symbol: { type: 'string', default: 'SPY', description: 'what to hold' },
    percent: { type: 'number', default: 0.95, min: 0, max: 2, description: 'share of equity to hold (above 1 on margin)' },
  },
  setup(ctx) {
    let bought = false;
    const buy = (symbol: string) => {
      if (bought || symbol !== ctx.params.symbol) return;
      bought = true;
      void ctx.targetPercent(symbol, ctx.params.percent).then((result) => {
        if (result && !result.ok) ctx.log.warn(`buy refused: ${result.message}`);
      });
    };
    return {
      onBar: (bar) => buy(bar.symbol),
      onTrade: (trade) => buy(trade.symbol),
    };
  },
});
