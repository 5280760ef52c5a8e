import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusRecord } from '../src/bus/bus.ts';
import { ManualClock } from '../src/clock.ts';
import { silentLogger } from '../src/logger.ts';
import type { MarketRecord } from '../src/model/market-record.ts';
import { accountConfig } from '../src/model/account.ts';
import type { OrderRequest } from '../src/model/order.ts';
import type { Trade } from '../src/model/trade.ts';
import { ReplaySource } from '../src/sources/replay/replay-source.ts';

const SYMBOLS = Array.from({ length: 50 }, (_, i) => `SP${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`);
const BATCH = 500;

/**
 * 20 orders a symbol around SPY's day (167.01–168.90): limits both sides, stops, stop limits. (No trailing
 * stops: the engine values one from the symbol's last print, and none has printed when they are placed.)
 */
function ordersFor(symbol: string): OrderRequest[] {
  const order = (side: 'buy' | 'sell', order_type: OrderRequest['order_type'], prices: Partial<OrderRequest> = {}): OrderRequest => ({
    type: 'order-request', symbol, qty: '100', notional: null, side, order_type, time_in_force: 'gtc',
    limit_price: null, stop_price: null, trail_price: null, trail_percent: null, extended_hours: false, client_order_id: null, ...prices,
  });
  return [
    ...['167.60', '167.40', '167.20', '167.00', '166.50', '166.00'].map((limit_price) => order('buy', 'limit', { limit_price })),
    ...['168.20', '168.40', '168.60', '168.80', '169.00', '170.00'].map((limit_price) => order('sell', 'limit', { limit_price })),
    ...['168.70', '169.00', '170.00'].map((stop_price) => order('buy', 'stop', { stop_price })),
    ...['167.10', '166.50'].map((stop_price) => order('sell', 'stop', { stop_price })),
    order('buy', 'stop_limit', { stop_price: '168.75', limit_price: '168.85' }),
    order('sell', 'stop_limit', { stop_price: '167.10', limit_price: '167.00' }),
    order('buy', 'limit', { limit_price: '167.80' }),
  ];
}

/** The SPY day dealt round-robin to the 50 symbols. */
function relabel(batch: readonly MarketRecord[], counter: { n: number }): Trade[] {
  const trades: Trade[] = [];
  for (const record of batch) if (record.type === 'trade') trades.push({ ...record, symbol: SYMBOLS[counter.n++ % SYMBOLS.length]! });
  return trades;
}

export async function runEngineScenario(scenario: 'read' | 'engine' | 'service', path: string) {
  const source = new ReplaySource({ path, speed: 'max' });
  const counter = { n: 0 };
  let openOrdersAtStart = 0;
  let openOrdersAtEnd = 0;
  let fills = 0;
  let started: number;
  if (scenario === 'read') {
    started = performance.now();
    await source.start({ records: async (batch) => void relabel(batch, counter), deadLetter: async () => {} });
    await source.done;
  } else if (scenario === 'engine') {
    const { TradingEngine } = await import('../src/trading/engine/trading-engine.ts');
    const { configuredInstruments } = await import('../src/trading/service/instruments.ts');
    const { tradingCalendar } = await import('../src/trading/service/calendar-adapter.ts');
    const { leanEquityPrints } = await import('../src/trading/fills/lean-prints.ts');
    const engine = new TradingEngine({ instrument: configuredInstruments(SYMBOLS).lookup, calendar: tradingCalendar, prints: leanEquityPrints });
    const at = Date.parse('2013-10-07T08:00:00Z');
    engine.createAccount(accountConfig({ id: 'bench', startingCash: '100000000', accountType: 'margin', multiplier: 2 }), at);
    for (const symbol of SYMBOLS) for (const request of ordersFor(symbol)) if (!engine.submit('bench', request, at).ok) throw new Error(`rejected: ${JSON.stringify(request)}`);
    openOrdersAtStart = engine.openOrders('bench')!.length;
    engine.takeEvents();
    started = performance.now();
    await source.start({
      records: async (batch) => {
        for (const trade of relabel(batch, counter)) engine.trade(trade);
        fills += engine.takeEvents().filter((update) => update.event === 'fill' || update.event === 'partial_fill').length;
      },
      deadLetter: async () => {},
    });
    await source.done;
    openOrdersAtEnd = engine.openOrders('bench')!.length;
  } else {
    const { createStore } = await import('../src/store/create-store.ts');
    const { TradingService } = await import('../src/trading/service/trading-service.ts');
    const { leanEquityPrints } = await import('../src/trading/fills/lean-prints.ts');
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-engine-bench-'));
    const store = await createStore({ dataDir: dir });
    try {
      const service = await TradingService.open({
        store: store.trading,
        producer: { send: async () => {}, close: async () => {} },
        topics: { orders: 'orders', executions: 'executions' },
        symbols: SYMBOLS,
        clock: new ManualClock(Date.parse('2013-10-07T08:00:00Z')),
        logger: silentLogger(),
        prints: leanEquityPrints,
      });
      const { accountId } = await service.createAccount({ startingCash: '100000000', accountType: 'margin', multiplier: 2 });
      for (const symbol of SYMBOLS) for (const request of ordersFor(symbol)) {
        const result = await service.submitOrder(accountId, request);
        if (!result.ok) throw new Error(`rejected: ${result.message}`);
      }
      openOrdersAtStart = (await service.account(accountId))!.open_orders;
      let offset = 0;
      let pending: BusRecord[] = [];
      started = performance.now();
      await source.start({
        records: async (batch) => {
          for (const trade of relabel(batch, counter)) pending.push({ topic: 'raw', partition: 0, offset: offset++, key: trade.symbol, value: trade, timestamp: trade.tsEvent });
          while (pending.length >= BATCH) await service.applyPrints(pending.splice(0, BATCH));
        },
        deadLetter: async () => {},
      });
      await source.done;
      if (pending.length > 0) await service.applyPrints(pending);
      pending = [];
      openOrdersAtEnd = (await service.account(accountId))!.open_orders;
      for (let page = await service.activities(accountId, { types: ['FILL'], direction: 'asc', pageSize: 100 }); page.length > 0; ) {
        fills += page.length;
        page = await service.activities(accountId, { types: ['FILL'], direction: 'asc', pageSize: 100, pageToken: page.at(-1)!.fill!.id });
      }
      await service.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { scenario, trades: counter.n, seconds, openOrdersAtStart, openOrdersAtEnd, fills, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}
