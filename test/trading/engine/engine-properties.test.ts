import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PER_SHARE_FEES, US_REGULATORY_FEES_2024 } from '../../../src/model/account.ts';
import { absFixed, parseFixed } from '../../../src/model/fixed-point.ts';
import type { OrderRequest, OrderType, TimeInForce } from '../../../src/model/order.ts';
import { validateTradeUpdate, type TradeUpdate } from '../../../src/model/trade-update.ts';
import type { TradingEngine } from '../../../src/trading/engine/trading-engine.ts';
import { account, newEngine, nyTime, orderRequest, print } from '../support.ts';

const $ = (text: string) => parseFixed(text)!;
const BTC = 'BINANCE:BTCUSDT';
const SYMBOLS = ['AAPL', BTC] as const;
const ACCOUNTS = ['cash', 'margin', 'crypto'] as const;
const START = nyTime('09:40');

type Step =
  | { kind: 'print'; symbol: 0 | 1; move: number; size: number; dt: number }
  | { kind: 'submit'; account: number; symbol: 0 | 1; side: 'buy' | 'sell'; type: OrderType; tif: number; qty: number; offset: number; trail: number; dt: number }
  | { kind: 'cancel' | 'replace' | 'close'; account: number; pick: number; qty: number; dt: number }
  | { kind: 'advance'; dt: number };

const dt = fc.integer({ min: 0, max: 400 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('print' as const), symbol: fc.constantFrom(0 as const, 1 as const), move: fc.integer({ min: -100, max: 100 }), size: fc.integer({ min: 0, max: 4_000 }), dt }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const), account: fc.nat(2), symbol: fc.constantFrom(0 as const, 1 as const), side: fc.constantFrom('buy' as const, 'sell' as const),
      type: fc.constantFrom<OrderType>('market', 'limit', 'stop', 'stop_limit', 'trailing_stop'), tif: fc.nat(3), qty: fc.integer({ min: 1, max: 110 }), offset: fc.integer({ min: -30, max: 30 }), trail: fc.integer({ min: 1, max: 50 }), dt,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('cancel' as const, 'replace' as const, 'close' as const), account: fc.nat(2), pick: fc.nat(), qty: fc.integer({ min: 1, max: 600 }), dt }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), dt: fc.oneof(fc.integer({ min: 0, max: 60_000 }), fc.constant(4 * 3_600_000)) }) },
);

/** No reserve above the last price for market orders: buying power then binds at fill time, where the engine must hold it. */
const TIGHT = { marketReserveBps: 0 } as never;

function freshEngine(): TradingEngine {
  const engine = newEngine();
  engine.createAccount(account({ id: 'cash', accountType: 'cash', multiplier: 1, startingCash: '20000', fees: PER_SHARE_FEES, regulatoryFees: US_REGULATORY_FEES_2024, fills: TIGHT }), START);
  engine.createAccount(account({ id: 'margin', startingCash: '10000', fees: PER_SHARE_FEES, fills: TIGHT }), START);
  engine.createAccount(account({ id: 'crypto', startingCash: '50000', fees: { model: 'percent', makerBps: '10', takerBps: '25' }, fills: { participation: 0.5, slippageBps: 10 } as never }), START);
  return engine;
}

/** Prices: AAPL around $100 in cents, BTC around $40,000 in dollars; quantities: whole AAPL, thousandths of BTC. */
interface Tape {
  time: number;
  prices: [number, number];
}

/** `qty` of a submit step: percent of the account's buying power at the last price, so many orders sit right at the limit. */
function request(s: Extract<Step, { kind: 'submit' }>, tape: Tape, buyingPower: number): OrderRequest {
  const symbol = SYMBOLS[s.symbol];
  const crypto = s.symbol === 1;
  const price = tape.prices[s.symbol];
  const tick = crypto ? 10 : 0.01;
  const away = (sign: number) => (Math.round((price + sign * s.offset * tick) * 100) / 100).toFixed(2);
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

/** Runs the steps; returns every event in order. `restartAt` saves and restores the engine there, through JSON. */
function run(steps: readonly Step[], check: ((engine: TradingEngine, events: readonly TradeUpdate[], tape: Tape, printed: Printed[]) => void) | null, restartAt = -1): TradeUpdate[] {
  let engine = freshEngine();
  const tape: Tape = { time: START, prices: [100, 40_000] };
  const all: TradeUpdate[] = [];
  const printed: Printed[] = [];
  let seq = 0;
  for (const [index, s] of steps.entries()) {
    if (index === restartAt) engine = restarted(engine);
    tape.time += s.dt;
    switch (s.kind) {
      case 'print': {
        const price = Math.max(1, Math.round((tape.prices[s.symbol] + s.move * (s.symbol === 1 ? 10 : 0.01)) * 100) / 100);
        tape.prices[s.symbol] = price;
        const size = s.symbol === 1 ? s.size / 1000 : s.size;
        const trade = { ...print(SYMBOLS[s.symbol], price, size, tape.time), seq: ++seq };
        printed.push({ symbol: trade.symbol, price, size, tsEvent: tape.time, ref: `test:${trade.seq}` });
        engine.trade(trade, `test:${trade.seq}`);
        break;
      }
      case 'submit':
        engine.submit(ACCOUNTS[s.account]!, request(s, tape, Math.max(0, Number(engine.account(ACCOUNTS[s.account]!)!.buying_power))), tape.time);
        break;
      case 'cancel':
      case 'replace':
      case 'close': {
        const id = ACCOUNTS[s.account]!;
        const open = engine.openOrders(id)!;
        const order = open[s.pick % Math.max(open.length, 1)];
        if (s.kind === 'cancel' && order) engine.cancel(id, order.id, tape.time);
        if (s.kind === 'replace' && order) {
          const qty = order.symbol === BTC ? (s.qty / 1000).toString() : String(s.qty);
          engine.replace(id, order.id, { type: 'order-replace', qty, limit_price: null, stop_price: null, time_in_force: null, trail: null, client_order_id: null }, tape.time);
        }
        const positions = engine.positions(id)!;
        if (s.kind === 'close' && positions.length > 0) engine.closePosition(id, positions[s.pick % positions.length]!.symbol, tape.time);
        break;
      }
      case 'advance':
        engine.advance(tape.time);
    }
    const events = engine.takeEvents();
    all.push(...events);
    check?.(engine, events, tape, printed);
  }
  return all;
}

function restarted(engine: TradingEngine): TradingEngine {
  const saved = JSON.parse(JSON.stringify({ accounts: engine.accountIds().map((id) => engine.snapshotAccount(id)), market: engine.snapshotMarket() }));
  const fresh = newEngine();
  for (const snapshot of saved.accounts) fresh.restoreAccount(snapshot);
  fresh.restoreMarket(saved.market);
  return fresh;
}

interface Printed {
  readonly symbol: string;
  readonly price: number;
  readonly size: number;
  readonly tsEvent: number;
  readonly ref: string;
}

describe('the engine on random order streams', () => {
  it('keeps its books: equity, fills, buying power, the tape', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 160 }), (steps) => {
        const filledByOrder = new Map<string, bigint>();
        const activeFrom = new Map<string, number>();
        run(steps, (engine, events, _tape, printed) => {
          const takenFromPrint = new Map<string, bigint>();
          for (const event of events) {
            // Every event is a record other processes accept from the bus.
            const valid = validateTradeUpdate(JSON.parse(JSON.stringify(event)));
            assert.equal(typeof valid, 'object', String(valid));
            if (event.event === 'new') activeFrom.set(event.order.id, event.timestamp);
            const fill = event.fill;
            if (!fill) continue;
            // Σ fill qty = the order's filled_qty.
            const total = (filledByOrder.get(fill.order_id) ?? 0n) + $(fill.qty);
            filledByOrder.set(fill.order_id, total);
            assert.equal(total, $(event.order.filled_qty));
            if (event.order.qty !== null) assert.ok(total <= $(event.order.qty));
            // Every fill lies within the prices printed between its order's activation and the fill.
            const window = printed.filter((p) => p.symbol === fill.symbol && p.tsEvent > activeFrom.get(fill.order_id)! && p.tsEvent <= fill.transaction_time);
            const price = Number(fill.price);
            assert.ok(window.length > 0);
            assert.ok(price >= Math.min(...window.map((p) => p.price)) - 1e-9 && price <= Math.max(...window.map((p) => p.price)) + 1e-9, `fill at ${price} outside the tape`);
            // Never better than the print it filled on.
            const source = printed.find((p) => p.ref === fill.lineage[0]!.ref)!;
            assert.ok(fill.side === 'buy' ? price >= source.price : price <= source.price);
            // An account takes at most its participation share of a print.
            const key = `${fill.account_id} ${source.ref}`;
            const taken = (takenFromPrint.get(key) ?? 0n) + $(fill.qty);
            takenFromPrint.set(key, taken);
            const share = fill.account_id === 'crypto' ? 0.5 : 0.25;
            if (source.size > 0) assert.ok(Number(taken) / 1e9 <= source.size * share + 1e-9, `${taken} of ${source.size}`);
          }
          for (const id of ACCOUNTS) {
            const summary = engine.account(id)!;
            const equity = $(summary.equity);
            assert.equal(equity, $(summary.cash) + $(summary.long_market_value) + $(summary.short_market_value));
            assert.equal(equity, $(summary.starting_cash) + $(summary.realized_pl) + $(summary.unrealized_pl) - $(summary.fees));
            const exposure = $(summary.long_market_value) - $(summary.short_market_value);
            if (id === 'cash') {
              assert.ok($(summary.settled_cash) >= 0n, `settled cash ${summary.settled_cash}`);
              assert.ok(engine.positions(id)!.every((p) => $(p.qty) > 0n));
            }
            // A fill that added exposure never took the account past what its margin allows.
            const added = events.some((e) => e.account_id === id && e.fill && absFixed($(e.fill.position_qty)) > absFixed($(e.fill.position_qty) + (e.fill.side === 'buy' ? -$(e.fill.qty) : $(e.fill.qty))));
            if (added && id !== 'cash') assert.ok(2n * equity - exposure >= 0n, `${id}: 2 × ${summary.equity} − ${exposure}`);
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same events for the same input, with or without a restart from its snapshots', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 120 }), fc.nat(), (steps, cut) => {
        const once = JSON.stringify(run(steps, null));
        assert.equal(JSON.stringify(run(steps, null)), once);
        assert.equal(JSON.stringify(run(steps, null, cut % steps.length)), once);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the random order streams', () => {
  it('exercise fills of every kind (else the properties above prove little)', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(step, { minLength: 100, maxLength: 160 }), (steps) => {
        for (const event of run(steps, null)) {
          const key = event.fill ? `${event.event} ${event.order.order_type} ${event.order.account_id}` : event.event;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
      }),
      { numRuns: 50, seed: 13 },
    );
    for (const key of ['fill market margin', 'partial_fill market cash', 'fill limit crypto', 'fill stop margin', 'fill stop_limit margin', 'fill trailing_stop margin', 'canceled', 'expired', 'replaced']) {
      assert.ok((seen.get(key) ?? 0) > 0, `no ${key} in ${JSON.stringify([...seen])}`);
    }
  });
});
