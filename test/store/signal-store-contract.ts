import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TradingSignal } from '../../src/model/signal.ts';
import type { Trade } from '../../src/model/trade.ts';
import { writeBatch } from '../../src/store/batch-writer.ts';
import type { SqlStore } from '../../src/store/sql-store.ts';
import { STORE_ERROR_CODES } from '../../src/store/store-error.ts';

const T0 = Date.UTC(2026, 10, 23, 16, 0);

/** A signal with defaults for what a test does not care about. */
export function signalOf(symbol: string, tsEvent: number, fields: Partial<TradingSignal> = {}): TradingSignal {
  return {
    type: 'signal',
    symbol,
    strategy: 'ma-crossover',
    side: 'buy',
    strength: 0.42,
    price: 189.31,
    tsEvent,
    tsRecv: tsEvent + 7,
    reason: 'EMA(5) crossed above EMA(20) at 189.31',
    lineage: [{ topic: 'aggregated-metrics', partition: 1, offset: 1_234, recordType: 'bar', tsEvent }],
    ...fields,
  };
}

let nextSeq = 1_795_000_000_000_000;
function tradeOf(symbol: string): Trade {
  return { type: 'trade', source: 'signal-contract', symbol, price: 1, size: 1, conditions: null, tsEvent: T0, tsRecv: T0, seq: nextSeq++ };
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { code?: string }) => {
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    return true;
  });
}

/** The signal part of the store contract; runs inside `storeContract` against PGlite and PostgreSQL. */
export function signalStoreContract(store: () => SqlStore): void {
  describe('signals', () => {
    async function count(symbol: string): Promise<number> {
      const { rows } = await store().driver.query<{ n: unknown }>('SELECT count(*) AS n FROM signals WHERE symbol = $1', [symbol]);
      return Number(rows[0]!.n);
    }

    it('stores signals and reads them back exactly, oldest first by (tsEvent, strategy, side)', async () => {
      const symbol = 'SIG-RT';
      const written = [
        signalOf(symbol, T0 + 2, { strategy: 'rsi', side: 'sell', strength: 1, price: 0.000123456789, reason: '' }),
        signalOf(symbol, T0 + 1, { strength: 0, lineage: [] }),
        signalOf(symbol, T0 + 2, { strategy: 'rsi', side: 'buy', strength: 0.1 + 0.2, reason: 'tab\there, "quoted", ü€😀, back\\slash' }),
        signalOf(symbol, T0 + 2, {
          strategy: 'vwap-deviation',
          lineage: [
            { topic: 'raw-market-data', partition: 0, offset: Number.MAX_SAFE_INTEGER, recordType: 'trade', tsEvent: T0 + 2 },
            { topic: 'aggregated-metrics', partition: 3, offset: 0, recordType: 'window-metrics', tsEvent: T0 + 1.5 },
          ],
        }),
      ];
      assert.deepEqual(await store().write({ signals: written }), { trades: 0, bars: 0, metrics: 0, signals: 4, quotes: 0, quoteBars: 0 });
      const expected = [written[1], written[2], written[0], written[3]];
      assert.deepEqual(await store().signals({ symbol }), expected);
      assert.deepEqual(await store().signals({ symbol, order: 'desc' }), [...expected].reverse());
      assert.deepEqual(await store().signals({ symbol: 'SIG-NONE' }), []);
    });

    it('stores a signal once: delivered again (also with another tsRecv), twice in a batch, in both write modes', async () => {
      const symbol = 'SIG-IDEM';
      const batch = Array.from({ length: 20 }, (_, i) => signalOf(symbol, T0 + i * 1_000, { side: i % 2 ? 'sell' : 'buy' }));
      assert.equal((await store().write({ signals: batch })).signals, 20);
      assert.equal((await store().write({ signals: batch })).signals, 0, 'the same batch again stores nothing');
      const restamped = batch.map((s) => ({ ...s, tsRecv: s.tsRecv + 60_000 }));
      assert.equal((await store().write({ signals: restamped })).signals, 0, 'a redelivery re-stamped by the clock is the same signal');
      assert.deepEqual((await store().signals({ symbol, limit: 1 }))[0], batch[0], 'the first stored is kept');
      const more = [signalOf(symbol, T0 + 100_000), signalOf(symbol, T0 + 100_000, { side: 'sell' }), signalOf(symbol, T0 + 100_000, { strategy: 'rsi' })];
      assert.equal((await store().write({ signals: [...batch.slice(10), ...more, more[0]!] })).signals, 3, 'old, new, and one twice in the batch');
      for (const mode of ['optimistic', 'staging'] as const) {
        const fresh = signalOf(symbol, T0 + 200_000, { strategy: `mode-${mode}` });
        const outcome = await writeBatch(store().driver, { trades: [tradeOf(symbol)], bars: [], metrics: [], signals: [batch[3]!, fresh, fresh], quotes: [], quoteBars: [] }, mode);
        assert.deepEqual({ trades: outcome.trades, signals: outcome.signals }, { trades: 1, signals: 1 }, mode);
      }
      assert.equal(await count(symbol), 25);
    });

    it('writes signals in the batch transaction: a failure stores none of the trades either', async () => {
      const symbol = 'SIG-ATOMIC';
      // Past the record checks (writeBatch is under them): a strength the table's CHECK refuses.
      const refused = signalOf(symbol, T0, { strength: 2 });
      for (const mode of ['optimistic', 'staging'] as const) {
        await assert.rejects(writeBatch(store().driver, { trades: [tradeOf(symbol)], bars: [], metrics: [], signals: [refused], quotes: [], quoteBars: [] }, mode), { code: '23514' });
      }
      const { rows } = await store().driver.query<{ n: unknown }>('SELECT count(*) AS n FROM trades WHERE symbol = $1', [symbol]);
      assert.equal(Number(rows[0]!.n), 0);
      assert.equal(await count(symbol), 0);
    });

    it('reads a range [from, to), one strategy, the newest N', async () => {
      const symbol = 'SIG-RANGE';
      const all = Array.from({ length: 30 }, (_, i) => signalOf(symbol, T0 + i * 1_000, { strategy: i % 3 === 0 ? 'rsi' : 'ma-crossover' }));
      await store().write({ signals: all });
      const times = (signals: readonly TradingSignal[]) => signals.map((s) => (s.tsEvent - T0) / 1_000);
      assert.deepEqual(times(await store().signals({ symbol, from: T0 + 5_000, to: T0 + 9_000 })), [5, 6, 7, 8]);
      assert.deepEqual(times(await store().signals({ symbol, from: T0 + 5_000, to: T0 + 5_000 })), []);
      assert.deepEqual(times(await store().signals({ symbol, strategy: 'rsi', from: T0 + 10_000 })), [12, 15, 18, 21, 24, 27]);
      assert.deepEqual(times(await store().signals({ symbol, limit: 3 })), [0, 1, 2], 'limit keeps the oldest, oldest first');
      assert.deepEqual(times(await store().signals({ symbol, limit: 3, order: 'desc' })), [29, 28, 27], 'order desc: the newest, newest first');
      assert.equal((await store().signals({ symbol })).length, 30);
    });

    it('stores only the known fields of the lineage', async () => {
      const symbol = 'SIG-LINEAGE';
      const input = { topic: 'aggregated-metrics', partition: 0, offset: 9, recordType: 'bar', tsEvent: T0, extra: 'dropped' };
      await store().write({ signals: [signalOf(symbol, T0, { lineage: [input] })] });
      const [read] = await store().signals({ symbol });
      assert.deepEqual(read?.lineage, [{ topic: 'aggregated-metrics', partition: 0, offset: 9, recordType: 'bar', tsEvent: T0 }]);
    });

    it('refuses a batch holding a signal it cannot store, and stores none of it', async () => {
      const symbol = 'SIG-BAD';
      const good = signalOf(symbol, T0);
      const cases: Array<[TradingSignal, RegExp]> = [
        [{ ...good, strength: 1.5 }, /signals\[1\] cannot be stored: strength must be a number in \[0, 1\]/],
        [{ ...good, side: 'hold' as 'buy' }, /side must be "buy" or "sell"/],
        [{ ...good, tsEvent: T0 + 0.5 }, /tsEvent must be an integer/],
        [{ ...good, strategy: 'm\0a' }, /strategy must not contain NUL/],
        [{ ...good, reason: 'a\0b' }, /reason must not contain NUL/],
        [{ ...good, lineage: [{ ...good.lineage[0]!, topic: 'bad\ud800topic' }] }, /lineage\[0\]\.topic must be well-formed Unicode/],
        [{ ...good, lineage: [{ ...good.lineage[0]!, offset: -1 }] }, /lineage\[0\]: offset must be an integer ≥ 0/],
        [{ ...good, type: 'alert' as 'signal' }, /type must be "signal" \(got "alert"\)/],
      ];
      for (const [bad, message] of cases) {
        await rejectsWith(store().write({ trades: [tradeOf(symbol)], signals: [good, bad] }), STORE_ERROR_CODES.INVALID_RECORD, message);
      }
      assert.equal(await count(symbol), 0);
    });

    it('rejects bad query arguments with clear errors', async () => {
      const cases: Array<[Promise<unknown>, RegExp]> = [
        [store().signals({ symbol: '' }), /symbol must be a non-empty string/],
        [store().signals({ symbol: 'X', strategy: '' }), /strategy must be a non-empty string/],
        [store().signals({ symbol: 'X', limit: 0 }), /limit must be an integer from 1 to 10000 \(got 0\)/],
        [store().signals({ symbol: 'X', from: 10, to: 5 }), /from \(10\) is after to \(5\)/],
        [store().signals({ symbol: 'X', order: 'up' as 'asc' }), /order must be asc or desc/],
      ];
      for (const [promise, message] of cases) await rejectsWith(promise, STORE_ERROR_CODES.INVALID_QUERY, message);
    });
  });
}
