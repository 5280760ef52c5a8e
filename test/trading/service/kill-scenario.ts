import { ManualClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import type { BusProducer } from '../../../src/bus/bus.ts';
import type { OrderRequest } from '../../../src/model/order.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { openPostgresStore } from '../../../src/store/postgres-store.ts';
import type { SqlStore } from '../../../src/store/sql-store.ts';
import { TradingService } from '../../../src/trading/service/trading-service.ts';
import { TEST_DATABASE_URL } from '../../store/postgres-support.ts';
import { orderRequest } from '../support.ts';

/** Names one run of the kill test shares between the test and its child processes. */
export interface KillScenario {
  readonly raw: string;
  readonly orders: string;
  readonly executions: string;
  readonly group: string;
  readonly schema: string;
}

export const ACCOUNT_ID = 'kill-test-account';
export const SYMBOLS = ['AAPL', 'BINANCE:BTCUSDT'];
/** Monday 2026-01-05, 10:00 New York (EST). */
export const START = Date.parse('2026-01-05T15:00:00Z');

/**
 * The recorded stream: a seeded random walk of AAPL and BTC prints, 200 ms apart (a deterministic
 * tape, so the uninterrupted run and the crashed one see the same prints).
 */
export function recordedTrades(count: number): Trade[] {
  let state = 20_260_105;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const prices: Record<string, number> = { AAPL: 150, 'BINANCE:BTCUSDT': 40_000 };
  const trades: Trade[] = [];
  for (let i = 0; i < count; i++) {
    const symbol = SYMBOLS[i % 2]!;
    const step = symbol === 'AAPL' ? 0.05 : 10;
    prices[symbol] = Math.round((prices[symbol]! + (random() < 0.5 ? -step : step)) * 100) / 100;
    const tsEvent = START + 1_000 + i * 200;
    trades.push({ type: 'trade', source: 'kill-test', symbol, price: prices[symbol]!, size: 1 + Math.floor(random() * 40), conditions: null, tsEvent, tsRecv: tsEvent, seq: i + 1 });
  }
  return trades;
}

/** Open orders across the tape's range: limit buys below, limit sells above (shorts on margin). */
export function openingOrders(): OrderRequest[] {
  const gtc = { time_in_force: 'gtc' as const, order_type: 'limit' as const };
  // Marketable while AAPL stays under 151: partial fills (a quarter of each print) through the first third of the tape.
  const orders: OrderRequest[] = [orderRequest({ symbol: 'AAPL', side: 'buy', qty: '800', limit_price: '151', client_order_id: 'aapl-sweep', ...gtc })];
  for (let i = 1; i <= 6; i++) {
    orders.push(orderRequest({ symbol: 'AAPL', side: 'buy', qty: String(10 * i), limit_price: (150 - i * 0.2).toFixed(2), client_order_id: `aapl-buy-${i}`, ...gtc }));
    orders.push(orderRequest({ symbol: 'AAPL', side: 'sell', qty: String(5 * i), limit_price: (150 + i * 0.2).toFixed(2), client_order_id: `aapl-sell-${i}`, ...gtc }));
    orders.push(orderRequest({ symbol: 'BINANCE:BTCUSDT', side: 'buy', qty: (0.02 * i).toFixed(2), limit_price: String(40_000 - i * 40), client_order_id: `btc-buy-${i}`, ...gtc }));
  }
  return orders;
}

/** The trading service on PostgreSQL (schema `schema`), as the test and the child open it. */
export async function openScenarioService(schema: string, producer: BusProducer, scenario: Pick<KillScenario, 'orders' | 'executions'>): Promise<{ service: TradingService; sql: SqlStore }> {
  const sql = await openPostgresStore({ url: TEST_DATABASE_URL, schema });
  const service = await TradingService.open({
    store: sql.trading,
    producer,
    topics: { orders: scenario.orders, executions: scenario.executions },
    symbols: SYMBOLS,
    clock: new ManualClock(START),
    logger: silentLogger(),
    newAccountId: () => ACCOUNT_ID,
  });
  return { service, sql };
}

/** The account and its open orders, placed before the tape starts. */
export async function placeOrders(service: TradingService): Promise<void> {
  await service.createAccount({ startingCash: '100000' });
  for (const request of openingOrders()) {
    const result = await service.submitOrder(ACCOUNT_ID, request);
    if (!result.ok) throw new Error(`${request.client_order_id}: ${result.message}`);
  }
}
