import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dayRange } from '../../../src/backtest/data/day-range.ts';
import { leanDatedBarParser } from '../../../src/backtest/data/lean-dated-bars.ts';
import { describeLeanFile } from '../../../src/sources/replay/lean/lean-file.ts';
import { csvLines, newYorkTime, readAll, SYMBOLS, WEEK } from './week-data.ts';

describe('Lean daily bars', () => {
  it('are read from daily/<symbol>.zip with their OHLCV, over the regular session to 16:00 New York', async () => {
    const bars = await readAll([join(WEEK, 'daily')], { from: '2013-10-07', to: '2013-10-11' });
    for (const symbol of SYMBOLS) {
      const lines = csvLines(join(WEEK, 'daily', `${symbol.toLowerCase()}.zip`)).filter((line) => line >= '20131007' && line < '20131012');
      const ofSymbol = bars.filter((bar) => bar.symbol === symbol);
      assert.equal(ofSymbol.length, 5);
      ofSymbol.forEach((bar, i) => {
        const [, open, high, low, close, volume] = lines[i]!.split(',').map(Number);
        assert.ok(bar.type === 'bar');
        assert.deepEqual(
          { interval: bar.interval, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, vwap: bar.vwap, count: bar.count },
          { interval: '1d', open: open! / 10_000, high: high! / 10_000, low: low! / 10_000, close: close! / 10_000, volume, vwap: null, count: 0 },
        );
        assert.equal(newYorkTime(bar.start), '09:30');
        assert.equal(newYorkTime(bar.end), '16:00');
        assert.equal(bar.end - bar.start, 6.5 * 3_600_000);
        assert.equal(bar.tsEvent, bar.end);
        assert.equal(bar.tsRecv, bar.end);
      });
    }
  });

  it('end at the early close (13:00) on such a day, and leave out the days not asked for', () => {
    const info = describeLeanFile('/data/equity/usa/daily/spy.zip', 'spy.csv');
    assert.deepEqual([info.symbol, info.resolution, info.date, info.dataType], ['SPY', 'daily', null, 'trade']);
    const parse = leanDatedBarParser(info, dayRange('2013-11-29', '2013-11-29'));
    const bar = parse('20131129 00:00,1815000,1818800,1809300,1809700,52000000');
    assert.ok(typeof bar === 'object' && bar !== null);
    assert.equal(newYorkTime(bar.end), '13:00');
    assert.equal(parse('20131127 00:00,1815000,1818800,1809300,1809700,52000000'), null);
    assert.match(String(parse('20131129 00:00,1815000,1,1809300,1809700,52000000')), /low and high/);
  });

  it('read hour/<symbol>.zip lines as hour bars starting at their time', () => {
    const info = describeLeanFile('/data/equity/usa/hour/spy.zip', 'spy.csv');
    const bar = leanDatedBarParser(info, dayRange(undefined, undefined))('20131007 10:00,1674300,1684500,1672500,1674200,1000');
    assert.ok(typeof bar === 'object' && bar !== null);
    assert.deepEqual([bar.interval, newYorkTime(bar.start), newYorkTime(bar.end)], ['1h', '10:00', '11:00']);
  });
});
