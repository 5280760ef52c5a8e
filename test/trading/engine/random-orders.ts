import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PER_SHARE_FEES, US_REGULATORY_FEES_2024 } from '../../../src/model/account.ts';
import { absFixed, parseFixed } from '../../../src/model/fixed-point.ts';
import type { OrderRequest, OrderType, TimeInForce } from '../../../src/model/order.ts';
import type { TradeUpdate } from '../../../src/model/trade-update.ts';
import type { TradingEngine } from '../../../src/trading/engine/trading-engine.ts';
import { account, newEngine, orderRequest } from '../support.ts';

/** What the random order streams of the property tests trade, and who: AAPL around $100, BTC around $40,000. */
export const BTC = 'BINANCE:BTCUSDT';
export const SYMBOLS = ['AAPL', BTC] as const;
export const ACCOUNTS = ['cash', 'margin', 'crypto'] as const;

export interface SubmitStep {
  kind: 'submit';
  account: number;
  symbol: 0 | 1;
  side: 'buy' | 'sell';
  type: OrderType;
  tif: number;
  qty: number;
  offset: number;
  trail: number;
  dt: number;
}

export function submitStep(dt: fc.Arbitrary<number>): fc.Arbitrary<SubmitStep> {
  return fc.record({
    kind: fc.constant('submit' as const), account: fc.nat(2), symbol: fc.constantFrom(0 as const, 1 as const), side: fc.constantFrom('buy' as const, 'sell' as const),
    type: fc.constantFrom<OrderType>('market', 'limit', 'stop', 'stop_limit', 'trailing_stop'), tif: fc.nat(3), qty: fc.integer({ min: 1, max: 110 }), offset: fc.integer({ min: -30, max: 30 }), trail: fc.integer({ min: 1, max: 50 }), dt,
  });
}

/** No reserve above the last price for market orders: buying power then binds at fill time, where the engine must hold it. */
const TIGHT = { marketReserveBps: 0 } as never;

export function freshEngine(at: number): TradingEngine {
  const engine = newEngine();
  engine.createAccount(account({ id: 'cash', accountType: 'cash', multiplier: 1, startingCash: '20000', fees: PER_SHARE_FEES, regulatoryFees: US_REGULATORY_FEES_2024, fills: TIGHT }), at);
  engine.createAccount(account({ id: 'margin', startingCash: '10000', fees: PER_SHARE_FEES, fills: TIGHT }), at);
  engine.createAccount(account({ id: 'crypto', startingCash: '50000', fees: { model: 'percent', makerBps: '10', takerBps: '25' }, fills: { participation: 0.5, slippageBps: 10 } as never }), at);
  return engine;
}

/** `qty` of a submit step: percent of the account's buying power at the last price, so many orders sit right at the limit. */
export function randomOrder(s: SubmitStep, price: number, buyingPower: number): OrderRequest {
  const symbol = SYMBOLS[s.symbol];
  const crypto = s.symbol === 1;
  const tick = crypto ? 10 : 0.01;
  const away = (sign: number) => Math.max(0.01, Math.round((price + sign * s.offset * tick) * 100) / 100).toFixed(2);
  const tifs: TimeInForce[] = crypto ? ['gtc', 'ioc', 'fok', 'gtc'] : ['day', 'gtc', 'ioc', 'fok'];
  const marketOrLimit = s.type === 'market' || s.type === 'limit';
  return orderRequest({
    symbol, side: s.side, order_type: s.type,
    qty: crypto ? Math.max(0.001, Math.floor((buyingPower * s.qty) / 100 / price * 1000) / 1000).toString() : String(Math.max(1, Math.floor((buyingPower * s.qty) / 100 / price))),
    time_in_force: marketOrLimit ? tifs[s.tif]! : crypto ? 'gtc' : 'day',
    limit_price: s.type === 'limit' || s.type === 'stop_limit' ? away(1) : null,
    stop_price: s.type === 'stop' || s.type === 'stop_limit' ? away(s.side === 'buy' ? 1 : -1) : null,
    trail_price: s.type === 'trailing_stop' && s.trail % 2 === 0 ? (s.trail * tick).toFixed(2) : null,
    trail_percent: s.type === 'trailing_stop' && s.trail % 2 === 1 ? (s.trail / 10).toFixed(1) : null,
  });
}

/** The engine saved and restored into a fresh one, through JSON. */
export function restarted(engine: TradingEngine): TradingEngine {
  const saved = JSON.parse(JSON.stringify({ accounts: engine.accountIds().map((id) => engine.snapshotAccount(id)), market: engine.snapshotMarket() }));
  const fresh = newEngine();
  for (const snapshot of saved.accounts) fresh.restoreAccount(snapshot);
  fresh.restoreMarket(saved.market);
  return fresh;
}

/** The same steps give the same events, with or without a save and restore at a random step. */
export function assertReplaysTheSame<S>(step: fc.Arbitrary<S>, run: (steps: readonly S[], restartAt: number) => readonly TradeUpdate[]): void {
  fc.assert(
    fc.property(fc.array(step, { minLength: 10, maxLength: 120 }), fc.nat(), (steps, cut) => {
      const once = JSON.stringify(run(steps, -1));
      assert.equal(JSON.stringify(run(steps, -1)), once);
      assert.equal(JSON.stringify(run(steps, cut % steps.length)), once);
    }),
    { numRuns: 60 },
  );
}

/** Asserts that long random streams produce each of `kinds` (`key` names an event), else the properties prove little. */
export function assertExercises<S>(step: fc.Arbitrary<S>, run: (steps: readonly S[]) => readonly TradeUpdate[], key: (event: TradeUpdate) => string, kinds: readonly string[]): void {
  const seen = new Map<string, number>();
  fc.assert(
    fc.property(fc.array(step, { minLength: 100, maxLength: 160 }), (steps) => {
      for (const event of run(steps)) seen.set(key(event), (seen.get(key(event)) ?? 0) + 1);
    }),
    { numRuns: 50, seed: 13 },
  );
  for (const kind of kinds) assert.ok((seen.get(kind) ?? 0) > 0, `no ${kind} in ${JSON.stringify([...seen])}`);
}

/** Whether one of the account's fills among `events` added to its exposure (grew a position's size). */
export function addedExposure(events: readonly TradeUpdate[], accountId: string): boolean {
  const $ = (text: string) => parseFixed(text)!;
  return events.some((e) => e.account_id === accountId && e.fill !== null && absFixed($(e.fill.position_qty)) > absFixed($(e.fill.position_qty) + (e.fill.side === 'buy' ? -$(e.fill.qty) : $(e.fill.qty))));
}
