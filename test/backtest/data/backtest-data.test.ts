import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openBacktestData } from '../../../src/backtest/data/backtest-data.ts';
import { csvLines, DAYS, newYorkDate, readAll, SYMBOLS, WEEK } from './week-data.ts';

const WEEK_DAYS = { from: '2013-10-07', to: '2013-10-11' } as const;

describe('openBacktestData over the week of four symbols', () => {
  it('merges every minute and daily bar of the five days in non-decreasing event time', async () => {
    const events = await readAll([WEEK], WEEK_DAYS);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.tsEvent >= events[i - 1]!.tsEvent, `event ${i} goes back in time`);
    const counted = new Map<string, number>();
    for (const event of events) {
      assert.equal(event.type, 'bar');
      if (event.type !== 'bar') continue;
      const key = `${event.interval} ${event.symbol.toLowerCase()} ${newYorkDate(event.start)}`;
      counted.set(key, (counted.get(key) ?? 0) + 1);
    }
    const expected = new Map<string, number>();
    for (const symbol of SYMBOLS) {
      for (const day of DAYS) {
        expected.set(`1m ${symbol.toLowerCase()} ${day}`, csvLines(join(WEEK, 'minute', symbol.toLowerCase(), `${day}_trade.zip`)).length);
        expected.set(`1d ${symbol.toLowerCase()} ${day}`, 1);
      }
    }
    assert.deepEqual(counted, expected);
  });

  it('adds the quote bars only when asked, in order with the trade bars', async () => {
    const events = await readAll([WEEK], { from: '2013-10-08', to: '2013-10-08', quotes: true });
    const quoteBars = events.filter((event) => event.type === 'quote-bar');
    const expected = SYMBOLS.reduce((sum, symbol) => sum + csvLines(join(WEEK, 'minute', symbol.toLowerCase(), '20131008_quote.zip')).length, 0);
    assert.equal(quoteBars.length, expected);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.tsEvent >= events[i - 1]!.tsEvent);
    const first = quoteBars.find((bar) => bar.symbol === 'SPY')!;
    const [line] = csvLines(join(WEEK, 'minute/spy/20131008_quote.zip'));
    const fields = line!.split(',').map(Number);
    assert.deepEqual(first.bid, { open: fields[1]! / 10_000, high: fields[2]! / 10_000, low: fields[3]! / 10_000, close: fields[4]! / 10_000 });
    assert.equal(first.end - first.start, 60_000);
  });

  it('keeps only the days from/to and leaves the other days files unread', async () => {
    const data = await openBacktestData([WEEK], { from: '2013-10-09', to: '2013-10-10' });
    const read = data.files.map((file) => file.path.slice(WEEK.length));
    assert.deepEqual(read.filter((path) => path.startsWith('minute')).sort(), SYMBOLS.flatMap((symbol) => ['20131009', '20131010'].map((day) => `minute/${symbol.toLowerCase()}/${day}_trade.zip`)).sort());
    assert.equal(read.filter((path) => path.startsWith('daily')).length, 4);
    const days = new Set<string>();
    for await (const batch of data.batches()) for (const event of batch) days.add(newYorkDate(event.type === 'bar' ? event.start : event.tsEvent));
    assert.deepEqual([...days].sort(), ['20131009', '20131010']);
    assert.equal(data.bytesRead(), data.totalBytes);
    await data.close();
  });

  it('keeps only the symbols asked for', async () => {
    const events = await readAll([WEEK], { ...WEEK_DAYS, symbols: ['IBM', 'BAC'] });
    assert.deepEqual(new Set(events.map((event) => event.symbol)), new Set(['IBM', 'BAC']));
    const minuteBars = events.filter((event) => event.type === 'bar' && event.interval === '1m').length;
    assert.equal(minuteBars, ['ibm', 'bac'].flatMap((symbol) => DAYS.map((day) => csvLines(join(WEEK, 'minute', symbol, `${day}_trade.zip`)).length)).reduce((a, b) => a + b));
  });

  it('gives the same sequence twice', async () => {
    const options = { from: '2013-10-04', to: '2013-10-08', quotes: true };
    assert.deepEqual(await readAll([WEEK], options), await readAll([WEEK], options));
  });

  it('lists each file read with its size and SHA-256', async () => {
    const data = await openBacktestData([join(WEEK, 'daily')], WEEK_DAYS);
    assert.deepEqual(data.files.map((file) => file.path), ['aig', 'bac', 'ibm', 'spy'].map((symbol) => join(WEEK, 'daily', `${symbol}.zip`)));
    for (const file of data.files) assert.match(file.sha256, /^[0-9a-f]{64}$/);
    assert.equal(data.totalBytes, data.files.reduce((sum, file) => sum + file.bytes, 0));
    await data.close();
  });
});
