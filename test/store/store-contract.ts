import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Bar } from '../../src/model/bar.ts';
import type { WindowMetrics } from '../../src/model/metrics.ts';
import type { Trade } from '../../src/model/trade.ts';
import { writeBatch } from '../../src/store/batch-writer.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import type { SqlStore } from '../../src/store/sql-store.ts';
import { STORE_ERROR_CODES } from '../../src/store/store-error.ts';
import { alertStoreContract } from './alert-store-contract.ts';
import { quoteStoreContract } from './quote-store-contract.ts';
import { signalStoreContract } from './signal-store-contract.ts';

export interface StoreFixture {
  readonly store: SqlStore;
  close(): Promise<void>;
}

const T0 = Date.UTC(2026, 10, 23, 14, 0);
const MINUTE = 60_000;
let nextSeq = 1_790_000_000_000_000;

/** A trade with defaults for what a test does not care about; seq is unique across the suite. */
export function trade(fields: Partial<Trade> & Pick<Trade, 'symbol'>): Trade {
  const seq = nextSeq++;
  return { type: 'trade', source: 'test', price: 100, size: 1, conditions: null, tsEvent: T0, tsRecv: T0 + 3, seq, ...fields };
}

function bar(symbol: string, start: number, fields: Partial<Bar>, interval: Bar['interval'] = '1m'): Bar {
  const width = interval === '1m' ? MINUTE : 1_000;
  const [open, close] = [fields.open ?? 1, fields.close ?? 1];
  return { type: 'bar', symbol, interval, start, end: start + width, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: 0, vwap: null, count: 1, tsEvent: start + width, tsRecv: start + width + 5, ...fields };
}

function metrics(symbol: string, tsEvent: number, last: number): WindowMetrics {
  return { type: 'window-metrics', symbol, window: 20, count: 20, vwap: last * 0.8, avg: last * 0.7, min: last / 2, max: last * 1.25, first: last * 0.6, last, changePct: 0.25, volume: 1_000, tsStart: tsEvent - 500, tsEvent, tsRecv: tsEvent + 2 };
}

function shuffled<T>(values: readonly T[], seed = 7): T[] {
  const out = [...values];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const byPosition = (a: Trade, b: Trade): number => a.tsEvent - b.tsEvent || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) || a.seq - b.seq;

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { code?: string }) => {
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    return true;
  });
}

/**
 * On a connection that never staged a batch: a staged write that fails after creating its staging
 * table (rolled back with it) does not leave the next staged write looking for that table.
 */
export async function stagingRecoversFromFailure(store: SqlStore): Promise<void> {
  // Past the record checks (writeBatch is under them): an interval the table's CHECK refuses.
  const refused = { ...bar('STAGE', T0, {}), interval: '2m' as '1m' };
  await assert.rejects(writeBatch(store.driver, { trades: [], bars: [refused], metrics: [], signals: [], quotes: [], quoteBars: [] }, 'staging'), { code: '23514' });
  const result = await writeBatch(store.driver, { trades: [trade({ symbol: 'STAGE' })], bars: [bar('STAGE', T0, {})], metrics: [], signals: [], quotes: [], quoteBars: [] }, 'staging');
  assert.deepEqual({ trades: result.trades, bars: result.bars }, { trades: 1, bars: 1 });
}

/** The behaviour every store must have; run against PGlite and PostgreSQL. */
export function storeContract(name: string, createFixture: () => Promise<StoreFixture>): void {
  describe(`store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: SqlStore;

    before(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });
    after(() => fixture?.close());

    alertStoreContract(() => store);
    signalStoreContract(() => store);
    quoteStoreContract(() => store);

    async function count(table: string, symbol: string): Promise<number> {
      const { rows } = await store.driver.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table} WHERE symbol = $1`, [symbol]);
      return Number(rows[0]!.n);
    }

    it('stores trades and reads them back exactly', async () => {
      const written = [
        trade({ symbol: 'RT', price: 187.23, size: 100, conditions: ['1', '12'] }),
        trade({ symbol: 'RT', price: 0.000123456789, size: 0.00012345, conditions: null, tsEvent: T0 + 1 }),
        trade({ symbol: 'RT', price: 1.08743, size: 0, conditions: [], tsEvent: T0 + 2 }),
        trade({ symbol: 'RT', source: 'odd\tsource\\', conditions: ['a"b', 'c\\d', 'e,f', '{g}', 'tab\there', 'line\nbreak', 'NULL', '', 'ü€😀'], tsEvent: T0 + 3 }),
      ];
      assert.deepEqual(await store.write({ trades: written }), { trades: 4, bars: 0, metrics: 0, signals: 0, quotes: 0, quoteBars: 0 });
      const page = await store.trades({ symbol: 'RT' });
      assert.deepEqual(page.trades, [...written].sort(byPosition));
      assert.equal(page.nextCursor, null);
    });

    it('writes a batch twice without a second row (idempotent), counting only new trades', async () => {
      const batch = Array.from({ length: 50 }, (_, i) => trade({ symbol: 'IDEM', price: 10 + i, tsEvent: T0 + i }));
      assert.equal((await store.write({ trades: batch })).trades, 50);
      assert.equal((await store.write({ trades: batch })).trades, 0, 'the same batch again stores nothing');
      assert.equal(await count('trades', 'IDEM'), 50);
      const more = Array.from({ length: 10 }, (_, i) => trade({ symbol: 'IDEM', price: 99, tsEvent: T0 + 100 + i }));
      assert.equal((await store.write({ trades: [...batch.slice(25), ...more, more[0]!] })).trades, 10, 'old, new, and one twice in the batch');
      assert.equal(await count('trades', 'IDEM'), 60);
      const summary = (await store.symbols()).find((s) => s.symbol === 'IDEM');
      assert.equal(summary?.tradeCount, 60);
      assert.equal(summary?.lastPrice, 99);
    });

    it('writes bars and window metrics idempotently too', async () => {
      const bars = [bar('IDEMB', T0, { close: 2 }), bar('IDEMB', T0 + MINUTE, { close: 3 }), bar('IDEMB', T0, { close: 4 }, '1s')];
      const published = [metrics('IDEMB', T0 + 10, 5), metrics('IDEMB', T0 + 20, 6)];
      assert.deepEqual(await store.write({ bars, metrics: published }), { trades: 0, bars: 3, metrics: 2, signals: 0, quotes: 0, quoteBars: 0 });
      assert.deepEqual(await store.write({ bars, metrics: published }), { trades: 0, bars: 0, metrics: 0, signals: 0, quotes: 0, quoteBars: 0 });
      assert.equal(await count('bars', 'IDEMB'), 3);
      assert.equal(await count('window_metrics', 'IDEMB'), 2);
    });

    it('moves the latest price forward in event time only', async () => {
      const first = trade({ symbol: 'LATEST', price: 100, tsEvent: T0 + 10_000 });
      await store.write({ trades: [first] });
      await store.write({ trades: [trade({ symbol: 'LATEST', price: 50, tsEvent: T0 + 5_000 })] });
      let latest = await store.latestPrice('LATEST');
      assert.equal(latest?.price, 100, 'an older trade arriving later does not regress it');
      assert.equal(latest?.tsEvent, T0 + 10_000);
      assert.equal(latest?.seq, first.seq);
      // In one batch, out of order: the latest in event time wins, not the last in the batch.
      await store.write({ trades: [trade({ symbol: 'LATEST', price: 120, tsEvent: T0 + 20_000 }), trade({ symbol: 'LATEST', price: 110, tsEvent: T0 + 15_000 })] });
      latest = await store.latestPrice('LATEST');
      assert.equal(latest?.price, 120);
      // Same millisecond: the later ingest sequence wins.
      await store.write({ trades: [trade({ symbol: 'LATEST', price: 121, size: 7, tsEvent: T0 + 20_000, tsRecv: T0 + 20_009 })] });
      latest = await store.latestPrice('LATEST');
      assert.deepEqual({ price: latest?.price, size: latest?.size, tsRecv: latest?.tsRecv }, { price: 121, size: 7, tsRecv: T0 + 20_009 });
      const summary = (await store.symbols()).find((s) => s.symbol === 'LATEST');
      assert.deepEqual(summary, { symbol: 'LATEST', lastPrice: 121, lastTsEvent: T0 + 20_000, lastTsRecv: T0 + 20_009, tradeCount: 5 });
      assert.equal(await store.latestPrice('NEVER-TRADED'), null);
    });

    it('pages through every trade exactly once, many in one millisecond, in both directions', async () => {
      const sameMs = T0 + 50_000;
      const all = [
        ...Array.from({ length: 1_200 }, (_, i) => trade({ symbol: 'PAGE', source: i % 3 === 0 ? 'b' : 'a', price: 1 + i, tsEvent: sameMs })),
        ...Array.from({ length: 1_300 }, (_, i) => trade({ symbol: 'PAGE', source: 'a', price: 1 + i, tsEvent: T0 + (i % 400) * 250 })),
      ];
      const order = shuffled(all);
      for (let i = 0; i < order.length; i += 1_000) await store.write({ trades: order.slice(i, i + 1_000) });
      const expected = [...all].sort(byPosition);

      for (const direction of ['asc', 'desc'] as const) {
        const seen: Trade[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: Awaited<ReturnType<SqlStore['trades']>> = await store.trades({ symbol: 'PAGE', limit: 97, cursor, order: direction });
          assert.ok(page.trades.length <= 97);
          seen.push(...page.trades);
          cursor = page.nextCursor;
          pages++;
        } while (cursor);
        assert.equal(pages, Math.ceil(all.length / 97));
        assert.deepEqual(seen, direction === 'asc' ? expected : [...expected].reverse(), `${direction}: every trade once, in order`);
      }

      const from = sameMs;
      const to = T0 + 75_000;
      const inRange = expected.filter((t) => t.tsEvent >= from && t.tsEvent < to);
      const seen: Trade[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<SqlStore['trades']>> = await store.trades({ symbol: 'PAGE', from, to, limit: 500, cursor });
        seen.push(...page.trades);
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, inRange, 'a range [from, to) pages the same way');
    });

    it('refuses a cursor it did not issue, or one issued for the other order', async () => {
      await store.write({ trades: [trade({ symbol: 'CURSOR' }), trade({ symbol: 'CURSOR' })] });
      const { nextCursor } = await store.trades({ symbol: 'CURSOR', limit: 1 });
      assert.ok(nextCursor);
      await rejectsWith(store.trades({ symbol: 'CURSOR', cursor: nextCursor, order: 'desc' }), STORE_ERROR_CODES.INVALID_QUERY, /issued for order asc/);
      await rejectsWith(store.trades({ symbol: 'CURSOR', cursor: 'bm90IGEgY3Vyc29y' }), STORE_ERROR_CODES.INVALID_QUERY, /cursor is not one the store issued/);
      await rejectsWith(store.trades({ symbol: 'CURSOR', cursor: '%%%' }), STORE_ERROR_CODES.INVALID_QUERY, /cursor/);
    });

    describe('bars', () => {
      // Seven 1m bars from T0 (14:00 UTC): 5m buckets 14:00 (minutes 0–4) and 14:05 (5–6).
      const minutes: Array<Partial<Bar>> = [
        { open: 10, high: 12, low: 9, close: 11, volume: 100, vwap: 10.5, count: 5 },
        { open: 11, high: 13, low: 10, close: 12, volume: 50, vwap: 12, count: 2 },
        { open: 12, high: 12, low: 8, close: 9, volume: 0, vwap: null, count: 1 },
        { open: 9, high: 10, low: 9, close: 10, volume: 150, vwap: 9.5, count: 3 },
        { open: 10, high: 15, low: 10, close: 14, volume: 200, vwap: 13, count: 4 },
        { open: 14, high: 14, low: 13, close: 13, volume: 10, vwap: 13.5, count: 1 },
        { open: 13, high: 16, low: 13, close: 16, volume: 30, vwap: 15, count: 2 },
      ];
      const symbol = 'BARS';

      before(async () => {
        const oneMinute = minutes.map((fields, i) => bar(symbol, T0 + i * MINUTE, fields));
        // Out of order and across batches: aggregation goes by start, not by arrival.
        await store.write({ bars: [oneMinute[6]!, oneMinute[2]!, oneMinute[0]!] });
        await store.write({ bars: [oneMinute[5]!, oneMinute[1]!, oneMinute[4]!, oneMinute[3]!] });
        // Second bars and the next day's minute: in neither 5m/1h bucket above.
        await store.write({ bars: [bar(symbol, T0, { open: 99, high: 99, low: 99, close: 99, volume: 1, vwap: 99 }, '1s'), bar(symbol, T0 + 86_400_000, { open: 20, high: 21, low: 19, close: 20, volume: 10, vwap: 20, count: 1 })] });
      });

      it('reads 1m and 1s bars as stored', async () => {
        const stored = await store.bars({ symbol, interval: '1m', from: T0, to: T0 + 3 * MINUTE });
        assert.deepEqual(stored[0], { symbol, interval: '1m', start: T0, end: T0 + MINUTE, open: 10, high: 12, low: 9, close: 11, volume: 100, vwap: 10.5, count: 5 });
        assert.deepEqual(stored.map((b) => b.start), [T0, T0 + MINUTE, T0 + 2 * MINUTE]);
        assert.equal(stored[2]!.vwap, null);
        const seconds = await store.bars({ symbol, interval: '1s' });
        assert.deepEqual(seconds.map((b) => [b.start, b.end, b.close]), [[T0, T0 + 1_000, 99]]);
      });

      it('aggregates 1m bars into 5m bars (hand-computed)', async () => {
        const fiveMinute = await store.bars({ symbol, interval: '5m', from: T0, to: T0 + 3_600_000 });
        assert.deepEqual(fiveMinute, [
          // VWAP (10.5·100 + 12·50 + 9.5·150 + 13·200) / 500: the volume-0 bar has no VWAP and no weight.
          { symbol, interval: '5m', start: T0, end: T0 + 5 * MINUTE, open: 10, high: 15, low: 8, close: 14, volume: 500, vwap: 5_675 / 500, count: 15 },
          { symbol, interval: '5m', start: T0 + 5 * MINUTE, end: T0 + 10 * MINUTE, open: 14, high: 16, low: 13, close: 16, volume: 40, vwap: 585 / 40, count: 3 },
        ]);
      });

      it('aggregates 1m bars into 1h and 1d bars', async () => {
        const hour = await store.bars({ symbol, interval: '1h', from: T0, to: T0 + 86_400_000 });
        assert.deepEqual(hour, [{ symbol, interval: '1h', start: T0, end: T0 + 3_600_000, open: 10, high: 16, low: 8, close: 16, volume: 540, vwap: 6_260 / 540, count: 18 }]);
        const dayStart = Date.UTC(2026, 10, 23);
        const days = await store.bars({ symbol, interval: '1d' });
        assert.deepEqual(days.map((b) => [b.start, b.open, b.close, b.volume, b.count]), [[dayStart, 10, 16, 540, 18], [dayStart + 86_400_000, 20, 20, 10, 1]]);
      });

      it('returns a bucket when its start is in [from, to), always whole', async () => {
        const fromMidBucket = await store.bars({ symbol, interval: '5m', from: T0 + MINUTE, to: T0 + 5 * MINUTE + 1 });
        assert.deepEqual(fromMidBucket.map((b) => [b.start, b.volume]), [[T0 + 5 * MINUTE, 40]]);
        assert.deepEqual(await store.bars({ symbol, interval: '5m', from: T0, to: T0 + 1 }).then((b) => b.map((x) => x.volume)), [500]);
        assert.deepEqual(await store.bars({ symbol, interval: '5m', from: T0, to: T0 }), []);
        assert.deepEqual((await store.bars({ symbol, interval: '5m', limit: 1 })).length, 1);
      });

      it('rejects an unknown interval with a clear error', async () => {
        await rejectsWith(store.bars({ symbol, interval: '2m' }), STORE_ERROR_CODES.INVALID_QUERY, /interval must be one of 1s, 1m, 5m, 1h, 1d \(got "2m"\)/);
      });
    });

    it('returns the latest window metrics, by event time then arrival', async () => {
      const symbol = 'METRICS';
      assert.equal(await store.latestMetrics(symbol), null);
      const early = metrics(symbol, T0 + 100, 1);
      const later = metrics(symbol, T0 + 200, 2);
      const sameMs = metrics(symbol, T0 + 200, 3);
      await store.write({ metrics: [later, early] });
      await store.write({ metrics: [sameMs] });
      assert.deepEqual(await store.latestMetrics(symbol), sameMs);
      // Redelivered: no new rows, and the latest stays the latest.
      assert.deepEqual(await store.write({ metrics: [early, later] }), { trades: 0, bars: 0, metrics: 0, signals: 0, quotes: 0, quoteBars: 0 });
      assert.deepEqual(await store.latestMetrics(symbol), sameMs);
      assert.equal(await count('window_metrics', symbol), 3);
    });

    it('keeps raw responses under a UUID and finds them by it', async () => {
      const first = await store.insertRawResponse({ provider: 'finnhub', symbol: 'AAPL', status: 200, body: '{"c":187.2,"t":1}', fetchedAt: T0 });
      const second = await store.insertRawResponse({ provider: 'alpha_vantage', symbol: null, status: 429, body: '<html>Too Many Requests</html>', fetchedAt: T0 + 1 });
      for (const id of [first, second]) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.notEqual(first, second);
      assert.deepEqual(await store.rawResponse(second), { id: second, provider: 'alpha_vantage', symbol: null, status: 429, body: '<html>Too Many Requests</html>', fetchedAt: T0 + 1 });
      assert.deepEqual(await store.rawResponse(first.toUpperCase()), { id: first, provider: 'finnhub', symbol: 'AAPL', status: 200, body: '{"c":187.2,"t":1}', fetchedAt: T0 });
      const { rows } = await store.driver.query<{ id: unknown }>('SELECT id FROM raw_responses WHERE response_id = $1', [first]);
      assert.equal((await store.rawResponse(String(rows[0]!.id)))?.id, first, 'found by the numeric id older price events name');
      for (const unknown of ['00000000-0000-4000-8000-000000000000', '999999999', 'x', '1 OR 1=1']) assert.equal(await store.rawResponse(unknown), null);
    });

    it('upserts moving averages and reads them by kind, window and time', async () => {
      const symbol = 'MA';
      assert.equal(
        await store.upsertMovingAverages([
          { symbol, kind: 'SMA', window: 20, ts: T0, value: 10 },
          { symbol, kind: 'SMA', window: 20, ts: T0 + 1_000, value: 11 },
          { symbol, kind: 'EMA', window: 20, ts: T0, value: 10.5 },
          { symbol, kind: 'SMA', window: 50, ts: T0, value: 9 },
        ]),
        4,
      );
      await store.upsertMovingAverages([
        { symbol, kind: 'SMA', window: 20, ts: T0, value: 12 },
        { symbol, kind: 'SMA', window: 20, ts: T0, value: 12.5 },
      ]);
      assert.deepEqual(await store.movingAverages({ symbol, kind: 'SMA', window: 20 }), [
        { symbol, kind: 'SMA', window: 20, ts: T0, value: 12.5 },
        { symbol, kind: 'SMA', window: 20, ts: T0 + 1_000, value: 11 },
      ]);
      assert.equal((await store.movingAverages({ symbol })).length, 4);
      assert.deepEqual((await store.movingAverages({ symbol, from: T0 + 1, to: T0 + 2_000 })).map((m) => m.value), [11]);
      await rejectsWith(store.movingAverages({ symbol, kind: 'WMA' as 'SMA' }), STORE_ERROR_CODES.INVALID_QUERY, /kind must be one of SMA, EMA/);
      await rejectsWith(store.upsertMovingAverages([{ symbol, kind: 'SMA', window: 0, ts: T0, value: 1 }]), STORE_ERROR_CODES.INVALID_RECORD, /window/);
    });

    it('rejects bad query arguments with clear errors', async () => {
      const cases: Array<[Promise<unknown>, RegExp]> = [
        [store.trades({ symbol: 'X', limit: 0 }), /limit must be an integer from 1 to 10000 \(got 0\)/],
        [store.trades({ symbol: 'X', limit: 10_001 }), /limit/],
        [store.trades({ symbol: 'X', from: 10, to: 5 }), /from \(10\) is after to \(5\)/],
        [store.trades({ symbol: 'X', from: 1.5 }), /from must be an integer/],
        [store.trades({ symbol: 'X', order: 'sideways' as 'asc' }), /order must be asc or desc/],
        [store.trades({ symbol: '' }), /symbol must be a non-empty string/],
        [store.latestPrice('A\0B'), /symbol/],
        [store.bars({ symbol: 'X', interval: '1M' }), /interval must be one of/],
        [store.bars({ symbol: 'X', interval: '' }), /interval must be one of/],
      ];
      for (const [promise, message] of cases) await rejectsWith(promise, STORE_ERROR_CODES.INVALID_QUERY, message);
    });

    it('refuses a batch holding a record it cannot store, and stores none of it', async () => {
      const good = trade({ symbol: 'BAD' });
      await rejectsWith(store.write({ trades: [good, { ...trade({ symbol: 'BAD' }), seq: 1.5 }] }), STORE_ERROR_CODES.INVALID_RECORD, /trades\[1\] cannot be stored: seq must be an integer/);
      await rejectsWith(store.write({ trades: [{ ...good, symbol: 'B\0AD' }] }), STORE_ERROR_CODES.INVALID_RECORD, /symbol must not contain NUL/);
      await rejectsWith(store.write({ bars: [{ ...bar('BAD', T0, {}), interval: '2m' as '1m' }] }), STORE_ERROR_CODES.INVALID_RECORD, /unknown bar interval "2m"/);
      await rejectsWith(store.write({ metrics: [{ ...metrics('BAD', T0, 1), avg: Number.NaN }] }), STORE_ERROR_CODES.INVALID_RECORD, /avg must be a positive number/);
      assert.equal(await count('trades', 'BAD'), 0);
    });

    it('applies migrations once: running them again changes nothing', async () => {
      const migrations = loadMigrations();
      assert.ok(migrations.length >= 1);
      const before = await count('trades', 'IDEM');
      assert.deepEqual(await migrate(store.driver), { applied: [] });
      assert.deepEqual(await migrate(store.driver), { applied: [] });
      const { rows } = await store.driver.query<{ version: number }>('SELECT version FROM tickflow_migrations ORDER BY version');
      assert.deepEqual(rows.map((row) => Number(row.version)), migrations.map((m) => m.version));
      assert.equal(await count('trades', 'IDEM'), before);
      // A new migration is applied once, then recorded.
      const extra = { version: 999, name: 'contract_extra', sql: 'CREATE TABLE contract_extra (x integer)', checksum: 'extra' };
      assert.deepEqual(await migrate(store.driver, [...migrations, extra]), { applied: [999] });
      assert.deepEqual(await migrate(store.driver, [...migrations, extra]), { applied: [] });
      // An applied migration that changed since is an error, not silently skipped.
      await rejectsWith(migrate(store.driver, [{ ...migrations[0]!, checksum: 'changed' }]), STORE_ERROR_CODES.MIGRATION, /changed after it was applied/);
    });
  });
}
