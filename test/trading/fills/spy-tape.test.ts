import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { accountConfig } from '../../../src/model/account.ts';
import { parseFixed } from '../../../src/model/fixed-point.ts';
import type { OrderRequest } from '../../../src/model/order.ts';
import type { TradeUpdate } from '../../../src/model/trade-update.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { openLeanInput } from '../../../src/sources/replay/lean/lean-input.ts';
import { TradingEngine } from '../../../src/trading/engine/trading-engine.ts';
import { leanEquityPrints } from '../../../src/trading/fills/lean-prints.ts';
import { instruments, nyTime, orderRequest, STOCK, weekdaySessions } from '../support.ts';

const SPY_TICKS = join(import.meta.dirname, '../../../../shared/data/lean-spy-20131007/tick_spy_20131007_trade.zip');
const $ = (text: string) => parseFixed(text)!;

async function readTrades(path: string): Promise<Trade[]> {
  const input = await openLeanInput(path);
  const trades: Trade[] = [];
  let lineNumber = 0;
  for await (const line of input.lines()) {
    const parsed = input.parse(line, ++lineNumber);
    if (typeof parsed !== 'string' && parsed.type === 'trade') trades.push(parsed);
  }
  await input.close();
  return trades;
}

interface Command {
  readonly at: number;
  readonly account: string;
  readonly request: (last: number) => OrderRequest;
}

const round2 = (price: number) => (Math.round(price * 100) / 100).toFixed(2);

/** Orders through the day: big market orders, limits and stops around the last price, auction and extended-hours orders. */
function schedule(): Command[] {
  const commands: Command[] = [
    { at: nyTime('07:00'), account: 'ext', request: (last) => orderRequest({ symbol: 'SPY', side: 'buy', qty: '500', order_type: 'limit', limit_price: round2(last), extended_hours: true }) },
    { at: nyTime('08:00'), account: 'auction', request: () => orderRequest({ symbol: 'SPY', side: 'buy', qty: '100000', time_in_force: 'opg' }) },
    { at: nyTime('08:00'), account: 'auction', request: () => orderRequest({ symbol: 'SPY', side: 'buy', qty: '100', order_type: 'limit', limit_price: '167.00', time_in_force: 'opg' }) },
    { at: nyTime('08:00'), account: 'auction', request: () => orderRequest({ symbol: 'SPY', side: 'sell', qty: '30000', time_in_force: 'cls' }) },
    { at: nyTime('16:30'), account: 'ext', request: (last) => orderRequest({ symbol: 'SPY', side: 'sell', qty: '500', order_type: 'limit', limit_price: round2(last - 0.01), extended_hours: true }) },
  ];
  for (let minute = 9 * 60 + 35; minute < 15 * 60 + 45; minute += 15) {
    const at = nyTime(`${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`);
    commands.push(
      { at, account: 'market', request: () => orderRequest({ symbol: 'SPY', side: 'buy', qty: '20000' }) },
      { at: at + 300_000, account: 'market', request: () => orderRequest({ symbol: 'SPY', side: 'sell', qty: '20000' }) },
      { at, account: 'limit', request: (last) => orderRequest({ symbol: 'SPY', side: 'buy', qty: '3000', order_type: 'limit', limit_price: round2(last - 0.02) }) },
      { at, account: 'limit', request: (last) => orderRequest({ symbol: 'SPY', side: 'sell', qty: '3000', order_type: 'limit', limit_price: round2(last + 0.02) }) },
      { at, account: 'limit', request: (last) => orderRequest({ symbol: 'SPY', side: 'buy', qty: '100', order_type: 'limit', limit_price: round2(last - 5) }) },
      { at, account: 'stops', request: (last) => orderRequest({ symbol: 'SPY', side: 'sell', qty: '1000', order_type: 'stop', stop_price: round2(last - 0.05) }) },
      { at, account: 'stops', request: (last) => orderRequest({ symbol: 'SPY', side: 'buy', qty: '1000', order_type: 'stop_limit', stop_price: round2(last + 0.05), limit_price: round2(last + 0.06) }) },
      { at, account: 'stops', request: () => orderRequest({ symbol: 'SPY', side: 'sell', qty: '1000', order_type: 'trailing_stop', trail_price: '0.10' }) },
      { at, account: 'stops', request: () => orderRequest({ symbol: 'SPY', side: 'buy', qty: '1000', order_type: 'trailing_stop', trail_percent: '0.05' }) },
    );
  }
  return commands.sort((a, b) => a.at - b.at);
}

/** Min and max price of prints in a time window, in O(1) per query (sparse tables over the prints in time order). */
class PriceWindows {
  readonly #times: number[];
  readonly #min: Float64Array[] = [];
  readonly #max: Float64Array[] = [];

  constructor(prints: readonly Trade[]) {
    this.#times = prints.map((trade) => trade.tsEvent);
    this.#min.push(Float64Array.from(prints, (trade) => trade.price));
    this.#max.push(Float64Array.from(prints, (trade) => trade.price));
    for (let width = 2; width <= prints.length; width *= 2) {
      const lastMin = this.#min.at(-1)!;
      const lastMax = this.#max.at(-1)!;
      const half = width / 2;
      this.#min.push(Float64Array.from({ length: prints.length - width + 1 }, (_, i) => Math.min(lastMin[i]!, lastMin[i + half]!)));
      this.#max.push(Float64Array.from({ length: prints.length - width + 1 }, (_, i) => Math.max(lastMax[i]!, lastMax[i + half]!)));
    }
  }

  /** Index of the first print after `ts` (strictly). */
  after(ts: number): number {
    let low = 0;
    let high = this.#times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#times[middle]! <= ts) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** [low, high] of the prints in (from, to]; `null` if none. */
  range(from: number, to: number): [number, number] | null {
    const start = this.after(from);
    const end = this.after(to);
    if (end <= start) return null;
    const level = Math.floor(Math.log2(end - start));
    const width = 2 ** level;
    return [Math.min(this.#min[level]![start]!, this.#min[level]![end - width]!), Math.max(this.#max[level]![start]!, this.#max[level]![end - width]!)];
  }
}

interface Run {
  readonly events: TradeUpdate[];
  readonly engine: TradingEngine;
  readonly elapsedMs: number;
}

function replay(trades: readonly Trade[]): Run {
  const engine = new TradingEngine({ instrument: instruments(STOCK('SPY')), calendar: weekdaySessions(), prints: leanEquityPrints });
  for (const id of ['ext', 'auction', 'market', 'limit', 'stops']) assert.ok(engine.createAccount(accountConfig({ id, startingCash: '50000000' }), nyTime('03:00')).ok);
  const commands = schedule();
  const events: TradeUpdate[] = [];
  let next = 0;
  let last = trades[0]!.price;
  const started = performance.now();
  for (const trade of trades) {
    while (next < commands.length && commands[next]!.at <= trade.tsEvent) {
      const command = commands[next++]!;
      const result = engine.submit(command.account, command.request(last), command.at);
      assert.ok(result.ok, result.ok ? '' : result.message);
    }
    engine.trade(trade);
    if (leanEquityPrints.eligibility(trade) === 'full' && leanEquityPrints.auction(trade) === null) last = trade.price;
    events.push(...engine.takeEvents());
  }
  engine.advance(nyTime('20:00'));
  events.push(...engine.takeEvents());
  return { events, engine, elapsedMs: performance.now() - started };
}

describe('the fill model on the SPY tape of 2013-10-07 (250,601 trades)', () => {
  let trades: Trade[];
  let run: Run;
  let fills: TradeUpdate[];
  let activeFrom: Map<string, number>;
  /** The prints an order could trade on: full prints, not auctions, in its sessions (regular; all for extended-hours orders). */
  const tradable: Record<'regular' | 'extended', Trade[]> = { regular: [], extended: [] };
  const windows = {} as Record<'regular' | 'extended', PriceWindows>;
  const byRef = new Map<string, Trade>();
  const regular = (ts: number) => ts >= nyTime('09:30') && ts < nyTime('16:00');

  before(async () => {
    trades = await readTrades(SPY_TICKS);
    for (const trade of trades) {
      byRef.set(`lean:${trade.seq}`, trade);
      if (leanEquityPrints.eligibility(trade) !== 'full' || leanEquityPrints.auction(trade) !== null) continue;
      tradable.extended.push(trade);
      if (regular(trade.tsEvent)) tradable.regular.push(trade);
    }
    windows.regular = new PriceWindows(tradable.regular);
    windows.extended = new PriceWindows(tradable.extended);
    run = replay(trades);
    fills = run.events.filter((event) => event.fill);
    activeFrom = new Map(run.events.filter((e) => e.event === 'new').map((e) => [e.order.id, e.timestamp]));
  });

  it('fills every kind of order', (t) => {
    const kinds = new Set(fills.map((e) => `${e.order.order_type}/${e.order.time_in_force}`));
    for (const kind of ['market/day', 'limit/day', 'stop/day', 'stop_limit/day', 'trailing_stop/day', 'market/opg', 'market/cls']) assert.ok(kinds.has(kind), `no ${kind} fill`);
    t.diagnostic(`${fills.length} fills, ${run.events.length} events; engine + replay of the in-memory day: ${Math.round(run.elapsedMs)} ms (${Math.round(trades.length / (run.elapsedMs / 1000))} trades/s)`);
  });

  it('never fills outside the prices printed between the order’s activation and the fill', () => {
    let checked = 0;
    for (const event of fills) {
      const fill = event.fill!;
      const price = $(fill.price);
      const source = byRef.get(fill.lineage[0]!.ref)!;
      if (event.order.time_in_force === 'opg' || event.order.time_in_force === 'cls') {
        assert.equal(price, $(String(source.price)));
        continue;
      }
      const [low, high] = windows[event.order.extended_hours ? 'extended' : 'regular'].range(activeFrom.get(fill.order_id)!, fill.transaction_time)!;
      assert.ok(price >= $(String(low)) && price <= $(String(high)), `${fill.side} ${event.order.order_type} at ${fill.price} outside [${low}, ${high}]`);
      // And never better than the print it filled on.
      assert.ok(fill.side === 'buy' ? price >= $(String(source.price)) : price <= $(String(source.price)));
      checked++;
    }
    assert.ok(checked > 100, `${checked} fills checked`);
  });

  it('never takes more than a quarter of a print for one account', () => {
    const taken = new Map<string, bigint>();
    for (const { fill } of fills) {
      const key = `${fill!.account_id} ${fill!.lineage[0]!.ref}`;
      taken.set(key, (taken.get(key) ?? 0n) + $(fill!.qty));
    }
    let partials = 0;
    for (const [key, qty] of taken) {
      const size = byRef.get(key.split(' ')[1]!)!.size;
      assert.ok(qty * 4n <= $(String(size)), `${key}: ${qty} of ${size}`);
      if (qty * 4n > $(String(size)) - 4n * 1_000_000_000n) partials++;
    }
    // The 20,000-share market orders fill over many prints, most of them taking their full share.
    const market = fills.filter((e) => e.order.account_id === 'market');
    assert.ok(market.length > 100 && partials > 50, `${market.length} market fills, ${partials} at the cap`);
  });

  it('rests limit orders while the tape stays at or away from the limit', () => {
    const closedAt = new Map(run.events.filter((e) => ['fill', 'canceled', 'expired'].includes(e.event)).map((e) => [e.order.id, e.timestamp]));
    const limits = run.events.filter((e) => e.event === 'new' && e.order.order_type === 'limit' && e.order.time_in_force === 'day');
    // The prints queues count: every print but ignored ones and auctions.
    const counted = trades.filter((trade) => leanEquityPrints.eligibility(trade) !== 'none' && leanEquityPrints.auction(trade) === null);
    let resting = 0;
    let queueServed = 0;
    for (const { order } of limits) {
      const limit = Number(order.limit_price);
      const through = (trade: Trade) => (order.side === 'buy' ? trade.price < limit : trade.price > limit);
      const session = order.extended_hours ? 'extended' : 'regular';
      const lifetime = tradable[session].slice(windows[session].after(activeFrom.get(order.id)!), windows[session].after(closedAt.get(order.id) ?? Infinity));
      const firstThrough = lifetime.find(through);
      const orderFills = fills.filter((e) => e.order.id === order.id);
      // Before the tape trades through, only prints at the limit fill it, and only beyond the queue:
      // the volume printed at the limit in the minute before activation.
      const activation = activeFrom.get(order.id)!;
      const before = counted.slice(0, counted.findIndex((trade) => trade.tsEvent >= activation));
      const newest = before.at(-1)!.tsEvent;
      const queue = before.filter((trade) => trade.tsEvent >= newest - 60_000 && trade.price === limit).reduce((sum, trade) => sum + trade.size, 0);
      for (const { fill } of orderFills) {
        const source = byRef.get(fill!.lineage[0]!.ref)!;
        assert.ok(source.price === limit || through(source), `${order.side} limit ${limit} filled on a print at ${source.price}`);
        if (firstThrough && source.tsEvent >= firstThrough.tsEvent) continue;
        assert.equal(source.price, limit);
        const atLimit = counted.filter((trade) => trade.tsEvent > activation && trade.seq <= source.seq && trade.price === limit && (order.extended_hours || regular(trade.tsEvent)));
        assert.ok(atLimit.reduce((sum, trade) => sum + trade.size, 0) > queue, `filled at the limit ${limit} before the queue of ${queue} was served`);
        queueServed++;
      }
      if (!lifetime.some((trade) => through(trade) || trade.price === limit)) {
        assert.equal(orderFills.length, 0);
        resting++;
      }
    }
    assert.ok(resting >= 20, `${resting} limit orders the tape never reached`);
    assert.ok(queueServed > 0, 'no fill at the limit before the tape traded through');
    const atTheLimit = fills.filter((e) => e.order.order_type === 'limit' && byRef.get(e.fill!.lineage[0]!.ref)!.price === Number(e.order.limit_price));
    const throughIt = fills.filter((e) => e.order.order_type === 'limit' && byRef.get(e.fill!.lineage[0]!.ref)!.price !== Number(e.order.limit_price));
    assert.ok(atTheLimit.length > 0 && throughIt.length > 0, `${atTheLimit.length} fills at the limit, ${throughIt.length} through it`);
  });

  it('fills opg at the official open and cls at the official close of the listing exchange', () => {
    const auction = fills.filter((e) => e.order.account_id === 'auction');
    assert.deepEqual(auction.map((e) => [e.order.time_in_force, e.fill!.price, e.fill!.qty, new Date(e.fill!.lineage[0]!.tsEvent).toISOString()]), [
      // 25 % of the 251,288 shares of the opening cross; 30,000 of the 3,166,418 of the closing cross.
      ['opg', '167.43', '62822', '2013-10-07T13:30:00.785Z'],
      ['cls', '167.42', '30000', '2013-10-07T20:00:00.735Z'],
    ]);
    const canceled = run.events.filter((e) => e.order.account_id === 'auction' && e.event === 'canceled');
    assert.deepEqual(canceled.map((e) => [e.order.limit_price, e.order.filled_qty]), [[null, '62822'], ['167', '0']]);
  });

  it('keeps each account’s books balanced and gives the same events on a second run', () => {
    for (const id of run.engine.accountIds()) {
      const account = run.engine.account(id)!;
      assert.equal($(account.equity), $(account.cash) + $(account.long_market_value) + $(account.short_market_value));
      assert.equal($(account.equity), $(account.starting_cash) + $(account.realized_pl) + $(account.unrealized_pl) - $(account.fees));
    }
    assert.equal(JSON.stringify(replay(trades).events), JSON.stringify(run.events));
  });
});
