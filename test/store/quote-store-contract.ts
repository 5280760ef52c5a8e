import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Quote } from '../../src/model/quote.ts';
import type { QuoteBar, SideOhlc } from '../../src/model/quote-bar.ts';
import { writeBatch } from '../../src/store/batch-writer.ts';
import type { SqlStore } from '../../src/store/sql-store.ts';
import { STORE_ERROR_CODES } from '../../src/store/store-error.ts';

const T0 = Date.UTC(2026, 10, 23, 18, 0);
const MINUTE = 60_000;
let nextSeq = 1_797_000_000_000_000;

function quoteOf(symbol: string, fields: Partial<Quote> = {}): Quote {
  return { type: 'quote', source: 'quote-contract', symbol, bid: 1.0871, ask: 1.0873, bidSize: null, askSize: null, tsEvent: T0, tsRecv: T0 + 2, seq: nextSeq++, ...fields };
}

const side = (open: number, high: number, low: number, close: number): SideOhlc => ({ open, high, low, close });

function quoteBarOf(symbol: string, start: number, fields: Partial<QuoteBar> = {}, interval: QuoteBar['interval'] = '1m'): QuoteBar {
  const width = interval === '1m' ? MINUTE : 1_000;
  return {
    type: 'quote-bar', symbol, interval, start, end: start + width,
    bid: side(1, 1, 1, 1), ask: side(2, 2, 2, 2), lastBidSize: null, lastAskSize: null, count: 1,
    tsEvent: start + width, tsRecv: start + width + 5, ...fields,
  };
}

const byPosition = (a: Quote, b: Quote): number => a.tsEvent - b.tsEvent || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) || a.seq - b.seq;

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { code?: string }) => {
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    return true;
  });
}

/** The quote part of the store contract; runs inside `storeContract` against PGlite and PostgreSQL. */
export function quoteStoreContract(store: () => SqlStore): void {
  describe('quotes and quote bars', () => {
    async function count(table: string, symbol: string): Promise<number> {
      const { rows } = await store().driver.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table} WHERE symbol = $1`, [symbol]);
      return Number(rows[0]!.n);
    }

    it('stores quotes and reads them back exactly, sizes or none, paged in (tsEvent, source, seq) order both ways', async () => {
      const symbol = 'Q-RT';
      const written = [
        quoteOf(symbol, { bid: 1.38694, ask: 1.38705 }),
        quoteOf(symbol, { bid: 0.000123456789, ask: 0.00012346, bidSize: 0.5, askSize: 0, tsEvent: T0 + 1 }),
        quoteOf(symbol, { source: 'odd\tsource', bid: 187.23, ask: 187.2, bidSize: 300, askSize: 20_000, tsEvent: T0 + 1 }),
        ...Array.from({ length: 20 }, (_, i) => quoteOf(symbol, { bid: 1 + i / 100, ask: 1.01 + i / 100, tsEvent: T0 + 5 })),
      ];
      assert.deepEqual(await store().write({ quotes: [...written].reverse() }), { trades: 0, bars: 0, metrics: 0, signals: 0, quotes: 23, quoteBars: 0 });
      const expected = [...written].sort(byPosition);
      assert.deepEqual((await store().quotes({ symbol, limit: 1_000 })).quotes, expected);
      for (const order of ['asc', 'desc'] as const) {
        const seen: Quote[] = [];
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<SqlStore['quotes']>> = await store().quotes({ symbol, limit: 4, cursor, order });
          seen.push(...page.quotes);
          cursor = page.nextCursor;
        } while (cursor);
        assert.deepEqual(seen, order === 'asc' ? expected : [...expected].reverse(), `${order}: every quote once, in order`);
      }
      assert.deepEqual((await store().quotes({ symbol, from: T0 + 1, to: T0 + 5 })).quotes, expected.slice(1, 3), '[from, to)');
      assert.deepEqual(await store().symbols().then((all) => all.filter((s) => s.symbol === symbol)), [], 'quotes are not trades: no latest trade price');
    });

    it('writes quotes and quote bars idempotently, in both write modes, in the batch transaction', async () => {
      const symbol = 'Q-IDEM';
      const quotes = Array.from({ length: 30 }, (_, i) => quoteOf(symbol, { tsEvent: T0 + i }));
      const bars = [quoteBarOf(symbol, T0), quoteBarOf(symbol, T0 + MINUTE), quoteBarOf(symbol, T0, {}, '1s')];
      assert.deepEqual(await store().write({ quotes, quoteBars: bars }), { trades: 0, bars: 0, metrics: 0, signals: 0, quotes: 30, quoteBars: 3 });
      assert.deepEqual(await store().write({ quotes, quoteBars: bars }), { trades: 0, bars: 0, metrics: 0, signals: 0, quotes: 0, quoteBars: 0 });
      for (const mode of ['optimistic', 'staging'] as const) {
        const fresh = quoteOf(symbol, { tsEvent: T0 + 1_000 });
        const outcome = await writeBatch(store().driver, { trades: [], bars: [], metrics: [], signals: [], quotes: [quotes[3]!, fresh, fresh], quoteBars: [bars[0]!, quoteBarOf(symbol, T0 + 7 * MINUTE + (mode === 'staging' ? MINUTE : 0))] }, mode);
        assert.deepEqual({ quotes: outcome.quotes, quoteBars: outcome.quoteBars }, { quotes: 1, quoteBars: 1 }, mode);
      }
      assert.deepEqual([await count('quotes', symbol), await count('quote_bars', symbol)], [32, 5]);
      // A bar the table refuses (a count of 0, past the record checks) stores none of its batch.
      for (const mode of ['optimistic', 'staging'] as const) {
        await assert.rejects(writeBatch(store().driver, { trades: [], bars: [], metrics: [], signals: [], quotes: [quoteOf(symbol)], quoteBars: [quoteBarOf(symbol, T0 + 30 * MINUTE, { count: 0 })] }, mode), { code: '23514' });
      }
      assert.equal(await count('quotes', symbol), 32);
    });

    describe('quote bars', () => {
      const symbol = 'Q-BARS';
      // Six 1m quote bars from T0 (18:00 UTC): 5m buckets 18:00 (minutes 0–4) and 18:05 (minute 5).
      const minutes: Array<Partial<QuoteBar>> = [
        { bid: side(10, 12, 9, 11), ask: side(11, 13, 10, 12), lastBidSize: 5, lastAskSize: null, count: 4 },
        { bid: side(11, 11, 8, 9), ask: side(12, 12, 9, 10), lastBidSize: null, lastAskSize: 7, count: 2 },
        { bid: side(9, 14, 9, 13), ask: side(10, 15, 10, 14), lastBidSize: 6, lastAskSize: null, count: 3 },
        { bid: side(13, 13, 12, 12), ask: side(14, 14, 13, 13), lastBidSize: null, lastAskSize: null, count: 1 },
        { bid: side(12, 12, 10, 10), ask: side(13, 13, 11, 11), lastBidSize: null, lastAskSize: null, count: 1 },
        { bid: side(10, 11, 10, 11), ask: side(11, 12, 11, 12), lastBidSize: 1, lastAskSize: 1, count: 2 },
      ];

      before(async () => {
        const bars = minutes.map((fields, i) => quoteBarOf(symbol, T0 + i * MINUTE, fields));
        await store().write({ quoteBars: [bars[5]!, bars[1]!, bars[3]!] });
        await store().write({ quoteBars: [bars[0]!, bars[4]!, bars[2]!, quoteBarOf(symbol, T0, { bid: side(99, 99, 99, 99), ask: side(100, 100, 100, 100) }, '1s')] });
      });

      it('reads 1m and 1s quote bars as stored', async () => {
        const stored = await store().quoteBars({ symbol, interval: '1m', from: T0, to: T0 + 2 * MINUTE });
        assert.deepEqual(stored, [
          { symbol, interval: '1m', start: T0, end: T0 + MINUTE, bid: side(10, 12, 9, 11), ask: side(11, 13, 10, 12), lastBidSize: 5, lastAskSize: null, count: 4 },
          { symbol, interval: '1m', start: T0 + MINUTE, end: T0 + 2 * MINUTE, bid: side(11, 11, 8, 9), ask: side(12, 12, 9, 10), lastBidSize: null, lastAskSize: 7, count: 2 },
        ]);
        assert.deepEqual((await store().quoteBars({ symbol, interval: '1s' })).map((bar) => [bar.start, bar.end, bar.bid.close]), [[T0, T0 + 1_000, 99]]);
      });

      it('aggregates 1m quote bars into 5m and 1h bars (hand-computed)', async () => {
        assert.deepEqual(await store().quoteBars({ symbol, interval: '5m' }), [
          // The last sizes: of the latest minute that has one (bid: minute 2; ask: minute 1).
          { symbol, interval: '5m', start: T0, end: T0 + 5 * MINUTE, bid: side(10, 14, 8, 10), ask: side(11, 15, 9, 11), lastBidSize: 6, lastAskSize: 7, count: 11 },
          { symbol, interval: '5m', start: T0 + 5 * MINUTE, end: T0 + 10 * MINUTE, bid: side(10, 11, 10, 11), ask: side(11, 12, 11, 12), lastBidSize: 1, lastAskSize: 1, count: 2 },
        ]);
        assert.deepEqual(await store().quoteBars({ symbol, interval: '1h', from: T0 }), [
          { symbol, interval: '1h', start: T0, end: T0 + 3_600_000, bid: side(10, 14, 8, 11), ask: side(11, 15, 9, 12), lastBidSize: 1, lastAskSize: 1, count: 13 },
        ]);
        assert.deepEqual(await store().quoteBars({ symbol, interval: '5m', from: T0 + MINUTE, limit: 1 }).then((bars) => bars.map((bar) => bar.start)), [T0 + 5 * MINUTE], 'a bucket when its start is in [from, to), whole');
        assert.deepEqual(await store().quoteBars({ symbol: 'Q-NONE', interval: '1d' }), []);
      });
    });

    it('refuses quotes and quote bars it cannot store, and bad reads, with clear errors', async () => {
      const symbol = 'Q-BAD';
      await rejectsWith(store().write({ quotes: [quoteOf(symbol), { ...quoteOf(symbol), seq: 1.5 }] }), STORE_ERROR_CODES.INVALID_RECORD, /quotes\[1\] cannot be stored: seq must be an integer/);
      await rejectsWith(store().write({ quotes: [{ ...quoteOf(symbol), bid: 0 }] }), STORE_ERROR_CODES.INVALID_RECORD, /bid must be a positive number/);
      await rejectsWith(store().write({ quotes: [{ ...quoteOf(symbol), symbol: 'Q\0BAD' }] }), STORE_ERROR_CODES.INVALID_RECORD, /symbol must not contain NUL/);
      await rejectsWith(store().write({ quoteBars: [{ ...quoteBarOf(symbol, T0), start: T0 + 0.5, end: T0 + 0.5 + MINUTE }] }), STORE_ERROR_CODES.INVALID_RECORD, /quoteBars\[0\] cannot be stored: start must be an integer/);
      await rejectsWith(store().write({ quoteBars: [{ ...quoteBarOf(symbol, T0), interval: '5m' as '1m' }] }), STORE_ERROR_CODES.INVALID_RECORD, /unknown bar interval "5m"/);
      assert.deepEqual([await count('quotes', symbol), await count('quote_bars', symbol)], [0, 0]);
      await rejectsWith(store().quoteBars({ symbol, interval: '2m' }), STORE_ERROR_CODES.INVALID_QUERY, /interval must be one of/);
      await rejectsWith(store().quotes({ symbol, limit: 0 }), STORE_ERROR_CODES.INVALID_QUERY, /limit must be an integer from 1 to 10000/);
      await rejectsWith(store().quotes({ symbol, cursor: 'bm90IGEgY3Vyc29y' }), STORE_ERROR_CODES.INVALID_QUERY, /cursor is not one the store issued/);
    });
  });
}
