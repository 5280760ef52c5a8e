import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseFixed } from '../../../src/model/fixed-point.ts';
import { validateTradeUpdate, type TradeUpdate } from '../../../src/model/trade-update.ts';
import type { TradingEngine } from '../../../src/trading/engine/trading-engine.ts';
import { nyTime, print } from '../support.ts';
import { ACCOUNTS, BTC, freshEngine, randomOrder, restarted, submitStep, assertReplaysTheSame, assertExercises, addedExposure, SYMBOLS, type SubmitStep } from './random-orders.ts';

const $ = (text: string) => parseFixed(text)!;
const START = nyTime('09:40');

type Step =
  | { kind: 'print'; symbol: 0 | 1; move: number; size: number; dt: number }
  | SubmitStep
  | { kind: 'cancel' | 'replace' | 'close'; account: number; pick: number; qty: number; dt: number }
  | { kind: 'advance'; dt: number };

const dt = fc.integer({ min: 0, max: 400 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('print' as const), symbol: fc.constantFrom(0 as const, 1 as const), move: fc.integer({ min: -100, max: 100 }), size: fc.integer({ min: 0, max: 4_000 }), dt }) },
  { weight: 4, arbitrary: submitStep(dt) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('cancel' as const, 'replace' as const, 'close' as const), account: fc.nat(2), pick: fc.nat(), qty: fc.integer({ min: 1, max: 600 }), dt }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), dt: fc.oneof(fc.integer({ min: 0, max: 60_000 }), fc.constant(4 * 3_600_000)) }) },
);

/** Prices: AAPL around $100 in cents, BTC around $40,000 in dollars; quantities: whole AAPL, thousandths of BTC. */
interface Tape {
  time: number;
  prices: [number, number];
}

/** Runs the steps; returns every event in order. `restartAt` saves and restores the engine there, through JSON. */
function run(steps: readonly Step[], check: ((engine: TradingEngine, events: readonly TradeUpdate[], tape: Tape, printed: Printed[]) => void) | null, restartAt = -1): TradeUpdate[] {
  let engine = freshEngine(START);
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
        engine.submit(ACCOUNTS[s.account]!, randomOrder(s, tape.prices[s.symbol], Math.max(0, Number(engine.account(ACCOUNTS[s.account]!)!.buying_power))), tape.time);
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
            const added = addedExposure(events, id);
            if (added && id !== 'cash') assert.ok(2n * equity - exposure >= 0n, `${id}: 2 × ${summary.equity} − ${exposure}`);
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same events for the same input, with or without a restart from its snapshots', () => {
    assertReplaysTheSame(step, (steps, restartAt) => run(steps, null, restartAt));
  });
});

describe('the random order streams', () => {
  it('exercise fills of every kind (else the properties above prove little)', () => {
    assertExercises(step, (steps) => run(steps, null), (event) => (event.fill ? `${event.event} ${event.order.order_type} ${event.order.account_id}` : event.event), ['fill market margin', 'partial_fill market cash', 'fill limit crypto', 'fill stop margin', 'fill stop_limit margin', 'fill trailing_stop margin', 'canceled', 'expired', 'replaced']);
  });
});
