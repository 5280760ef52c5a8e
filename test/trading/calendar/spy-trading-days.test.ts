import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sessions } from '../../../src/trading/calendar/calendar.ts';
import { openLeanZip } from '../../../src/sources/replay/lean/lean-zip.ts';
import { readLines } from '../../../src/sources/replay/line-reader.ts';

const SPY_DAILY = join(import.meta.dirname, '../../../../shared/data/lean-usa-week-20131007/daily/spy.zip');

/** The `yyyymmdd` of every daily bar, as `YYYY-MM-DD`. */
async function barDates(path: string): Promise<string[]> {
  const entry = await openLeanZip(path);
  try {
    const dates: string[] = [];
    for await (const line of readLines(entry.stream)) {
      if (line.trim() === '') continue;
      const match = /^(\d{4})(\d{2})(\d{2}) 00:00,/.exec(line);
      assert.ok(match, `not a Lean daily bar: ${line}`);
      dates.push(`${match[1]}-${match[2]}-${match[3]}`);
    }
    return dates;
  } finally {
    entry.stream.destroy();
    entry.close();
  }
}

describe('the US equity calendar against SPY daily bars', () => {
  it('has a trading day for every bar and a bar for every trading day, 1998-01-02 to 2021-03-31', async () => {
    const bars = await barDates(SPY_DAILY);
    assert.equal(bars.length, 5_849);
    assert.deepEqual([bars[0], bars.at(-1)], ['1998-01-02', '2021-03-31']);
    const tradingDays = sessions('us-equity', '1998-01-02', '2021-03-31').map((found) => found.date);
    assert.deepEqual(tradingDays, bars);
  });
});
