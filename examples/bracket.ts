import { defineStrategy } from 'tickflow/strategy';
import type { Order } from 'tickflow/strategy';

/**
 * A bracket: enters with a market order on a breakout above the highest close of `lookback` bars,
 * then protects the position with a stop loss `stopPct` below the fill and takes profit with a limit
 * `takePct` above it. Whichever exit fills first cancels the other (one-cancels-other, done by the
 * strategy: the engine has no bracket orders).
 */
export default defineStrategy({
  name: 'bracket',
  params: {
    lookback: { type: 'integer', default: 30, min: 2, max: 10_000 },
    stopPct: { type: 'number', default: 0.3, min: 0.01, max: 50, description: 'stop loss below the entry, %' },
    takePct: { type: 'number', default: 0.6, min: 0.01, max: 100, description: 'take profit above the entry, %' },
    qty: { type: 'integer', default: 100, min: 1, max: 1_000_000 },
  },
  setup(ctx) {
    const { lookback, stopPct, takePct, qty } = ctx.params;
    const highs = new Map<string, InstanceType<typeof ctx.indicators.DonchianChannels>>();
    const exits = new Map<string, { stop: string | null; take: string | null }>();
    const round = (price: number) => Math.round(price * 100) / 100;
    const idOf = (result: { ok: boolean; order?: Order }) => (result.ok && result.order ? result.order.id : null);
    return {
      async onBar(bar) {
        let channel = highs.get(bar.symbol);
        if (!channel) highs.set(bar.symbol, (channel = new ctx.indicators.DonchianChannels(lookback)));
        const before = channel.isStable ? channel.getResult() : null;
        channel.add({ high: bar.close, low: bar.close });
        if (!before || ctx.position(bar.symbol) || ctx.openOrders(bar.symbol).length > 0 || exits.has(bar.symbol)) return;
        if (bar.close > before.upper) await ctx.buy(bar.symbol, qty);
      },
      async onOrderUpdate(update) {
        const { order } = update;
        if (update.event !== 'fill') return;
        const bracket = exits.get(order.symbol);
        if (order.side === 'buy' && !bracket) {
          const entry = Number(order.filled_avg_price);
          const filled = Number(order.filled_qty);
          const stop = await ctx.sell(order.symbol, filled, { type: 'stop', stopPrice: round(entry * (1 - stopPct / 100)), timeInForce: 'gtc' });
          const take = await ctx.sell(order.symbol, filled, { type: 'limit', limitPrice: round(entry * (1 + takePct / 100)), timeInForce: 'gtc' });
          exits.set(order.symbol, { stop: idOf(stop), take: idOf(take) });
        } else if (order.side === 'sell' && bracket) {
          const other = order.id === bracket.stop ? bracket.take : bracket.stop;
          if (other) await ctx.cancel(other);
          exits.delete(order.symbol);
        }
      },
    };
  },
});
