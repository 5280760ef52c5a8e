import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Bar } from '../../../src/model/bar.ts';
import { absFixed, mulFixed, parseFixed } from '../../../src/model/fixed-point.ts';
import { validateTradeUpdate, type TradeUpdate } from '../../../src/model/trade-update.ts';
import type { TradingEngine } from '../../../src/trading/engine/trading-engine.ts';
import { bar, nyTime } from '../support.ts';
import { ACCOUNTS, BTC, freshEngine, randomOrder, restarted, submitStep, assertReplaysTheSame, assertExercises, addedExposure, SYMBOLS, type SubmitStep } from './random-orders.ts';

const $ = (text: string) => parseFixed(text)!;
const START = nyTime('09:40');
const MINUTE = 60_000;

type Step =
  | { kind: 'bar'; symbol: 0 | 1; gap: number; move: number; up: number; down: number; volume: number }
  | SubmitStep
  | { kind: 'advance'; dt: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('bar' as const), symbol: fc.constantFrom(0 as const, 1 as const), gap: fc.integer({ min: -40, max: 40 }), move: fc.integer({ min: -60, max: 60 }),
      up: fc.nat(50), down: fc.nat(50), volume: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 4_000 }) }, { weight: 1, arbitrary: fc.constant(0) }),
    }),
  },
  { weight: 4, arbitrary: submitStep(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 59_000 }))) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), dt: fc.oneof(fc.integer({ min: 0, max: 600_000 }), fc.constant(4 * 3_600_000)) }) },
);

interface Market {
  time: number;
  closes: [number, number];
}

/** AAPL around $100 in cents, BTC around $40,000 in dollars; a bar starts on the minute at or after the market's time. */
function nextBar(s: Extract<Step, { kind: 'bar' }>, market: Market): Bar {
  const crypto = s.symbol === 1;
  const tick = crypto ? 10 : 0.01;
  const price = (value: number) => Math.max(1, Math.round(value * 100) / 100);
  const open = price(market.closes[s.symbol] + s.gap * tick);
  const close = price(open + s.move * tick);
  const high = price(Math.max(open, close) + s.up * tick);
  const low = price(Math.min(open, close) - s.down * tick);
  const start = Math.ceil(market.time / MINUTE) * MINUTE;
  market.closes[s.symbol] = close;
  market.time = start + MINUTE;
  return bar(SYMBOLS[s.symbol], start, [open, high, low, close], crypto ? s.volume / 1000 : s.volume);
}

type Check = (engine: TradingEngine, events: readonly TradeUpdate[], bars: ReadonlyMap<string, Bar>, fedBar: Bar | null) => void;

/** Runs the steps; returns every event in order. `restartAt` saves and restores the engine there, through JSON. */
function run(steps: readonly Step[], check: Check | null, restartAt = -1): TradeUpdate[] {
  let engine = freshEngine(START);
  // Both symbols printed once, so market orders can be valued.
  const market: Market = { time: START, closes: [100, 40_000] };
  const bars = new Map<string, Bar>();
  const feed = (b: Bar): Bar => {
    bars.set(`bar:${b.symbol}:${b.interval}:${b.start}`, b);
    engine.bar(b);
    return b;
  };
  feed(bar('AAPL', START, [100, 100, 100, 100], 1_000));
  feed(bar(BTC, START, [40_000, 40_000, 40_000, 40_000], 1));
  market.time = START + MINUTE;
  const all: TradeUpdate[] = [];
  for (const [index, s] of steps.entries()) {
    if (index === restartAt) engine = restarted(engine);
    const fedBar = s.kind === 'bar' ? feed(nextBar(s, market)) : null;
    switch (s.kind) {
      case 'submit': {
        market.time += s.dt;
        const id = ACCOUNTS[s.account]!;
        engine.submit(id, randomOrder(s, market.closes[s.symbol], Math.max(0, Number(engine.account(id)!.buying_power))), market.time);
        break;
      }
      case 'advance':
        market.time += s.dt;
        engine.advance(market.time);
    }
    const events = engine.takeEvents();
    all.push(...events);
    check?.(engine, events, bars, fedBar);
  }
  return all;
}

/** Every fill lies within its bar's range and time, and takes at most the account's share of the bar's volume. */
function checkFills(events: readonly TradeUpdate[], bars: ReadonlyMap<string, Bar>, taken: Map<string, bigint>): void {
  for (const event of events) {
    const valid = validateTradeUpdate(JSON.parse(JSON.stringify(event)));
    assert.equal(typeof valid, 'object', String(valid));
    const fill = event.fill;
    if (!fill) continue;
    const source = bars.get(fill.lineage[0]!.ref);
    assert.ok(source, `fill against an unknown bar ${fill.lineage[0]!.ref}`);
    const price = Number(fill.price);
    assert.ok(price >= source.low - 1e-9 && price <= source.high + 1e-9, `fill at ${price} outside [${source.low}, ${source.high}]`);
    assert.ok(fill.transaction_time >= source.start && fill.transaction_time <= source.end, 'fill outside its bar');
    const key = `${fill.account_id} ${source.symbol} ${source.start}`;
    const total = (taken.get(key) ?? 0n) + $(fill.qty);
    taken.set(key, total);
    const share = fill.account_id === 'crypto' ? 0.5 : 0.25;
    if (source.volume > 0) assert.ok(Number(total) / 1e9 <= source.volume * share + 1e-9, `${total} of ${source.volume}`);
  }
}

/** Cash and positions reconcile; no account spends buying power it does not have. */
function checkBooks(engine: TradingEngine, events: readonly TradeUpdate[], fedBar: Bar | null): void {
  for (const id of ACCOUNTS) {
    const summary = engine.account(id)!;
    const equity = $(summary.equity);
    assert.equal(equity, $(summary.cash) + $(summary.long_market_value) + $(summary.short_market_value));
    assert.equal(equity, $(summary.starting_cash) + $(summary.realized_pl) + $(summary.unrealized_pl) - $(summary.fees));
    if (id === 'cash') {
      assert.ok($(summary.settled_cash) >= 0n, `settled cash ${summary.settled_cash}`);
      assert.ok(engine.positions(id)!.every((p) => $(p.qty) > 0n));
      continue;
    }
    const added = addedExposure(events, id);
    if (!added || !fedBar) continue;
    // The bar's fills were sized with the bar valued at its open; its close moved the market after them.
    let atOpen = equity;
    let exposure = 0n;
    for (const position of engine.positions(id)!) {
      const mark = position.symbol === fedBar.symbol ? $(String(fedBar.open)) : $(position.current_price);
      atOpen += mulFixed($(position.qty), mark) - $(position.market_value);
      exposure += absFixed(mulFixed($(position.qty), mark));
    }
    assert.ok(2n * atOpen - exposure >= 0n, `${id}: 2 × ${atOpen} − ${exposure}`);
  }
}

describe('the engine on random bar streams', () => {
  it('fills within each bar, reconciles its books and never overspends buying power', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 160 }), (steps) => {
        const taken = new Map<string, bigint>();
        run(steps, (engine, events, bars, fedBar) => {
          checkFills(events, bars, taken);
          checkBooks(engine, events, fedBar);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same events for the same bars and commands, with or without a restart from its snapshots', () => {
    assertReplaysTheSame(step, (steps, restartAt) => run(steps, null, restartAt));
  });

  it('exercise fills of every kind (else the properties above prove little)', () => {
    assertExercises(step, (steps) => run(steps, null), (event) => (event.fill ? `${event.event} ${event.order.order_type}` : event.event), ['fill market', 'partial_fill market', 'fill limit', 'fill stop', 'fill stop_limit', 'fill trailing_stop', 'canceled', 'expired']);
  });
});
