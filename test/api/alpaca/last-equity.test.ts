import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastEquity } from '../../../src/api/routes/alpaca/last-equity.ts';
import { previousClose } from '../../../src/trading/calendar/calendar.ts';
import type { EquityPoint } from '../../../src/trading/gateway.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

/** The gateway's equity history over a list: `[from, to)`, oldest first, as the store answers. */
function history(points: ReadonlyArray<readonly [string, string]>) {
  const stored: EquityPoint[] = points.map(([time, equity]) => ({ timestamp: at(time), equity, profitLoss: '0', profitLossPct: '0' }));
  const asked: Array<[number, number]> = [];
  return {
    asked,
    equityHistory: async (_accountId: string, from: number, to: number) => {
      asked.push([from, to]);
      return stored.filter((point) => point.timestamp >= from && point.timestamp < to);
    },
  };
}

describe('previousClose (the US equity calendar)', () => {
  it('is the last 16:00 New York close at or before the time, across weekends, holidays and early closes', () => {
    // Tuesday 2024-01-02 15:00 New York (before the close): Friday 2023-12-29's close (Monday was New Year's Day).
    assert.equal(iso(previousClose('us-equity', at('2024-01-02T20:00:00Z'))), '2023-12-29T21:00:00.000Z');
    // At the close itself, and after it: that day's close.
    assert.equal(iso(previousClose('us-equity', at('2024-01-02T21:00:00Z'))), '2024-01-02T21:00:00.000Z');
    assert.equal(iso(previousClose('us-equity', at('2024-01-03T03:00:00Z'))), '2024-01-02T21:00:00.000Z');
    // Sunday: Friday's close. Summer time: 20:00 UTC.
    assert.equal(iso(previousClose('us-equity', at('2024-07-14T12:00:00Z'))), '2024-07-12T20:00:00.000Z');
    // The day after Thanksgiving closes at 13:00.
    assert.equal(iso(previousClose('us-equity', at('2023-11-25T12:00:00Z'))), '2023-11-24T18:00:00.000Z');
  });
});

describe('last_equity', () => {
  it('is the equity sampled at the previous close, not a later or earlier one', async () => {
    const gateway = history([
      ['2024-01-02T20:59:00Z', '100500'],
      ['2024-01-02T21:00:00Z', '101000'],
      ['2024-01-02T21:01:00Z', '99000'],
      ['2024-01-03T15:00:00Z', '98000'],
    ]);
    assert.equal(await lastEquity(gateway, 'a', '100000', at('2024-01-03T16:00:00Z')), '101000');
    assert.equal(gateway.asked.length, 1, 'the narrow window answers when the close was sampled');
  });

  it('is the last sample before the close when the service was down at it', async () => {
    const gateway = history([
      ['2023-12-27T18:00:00Z', '100700'],
      ['2023-12-28T14:00:00Z', '100900'],
      ['2024-01-02T15:00:00Z', '90000'],
    ]);
    // Previous close of 2024-01-02 15:00 New York: 2023-12-29 16:00; the last sample before it is on the 28th.
    assert.equal(await lastEquity(gateway, 'a', '100000', at('2024-01-02T20:00:00Z')), '100900');
  });

  it('is the starting cash for an account with no sample before the close (made since)', async () => {
    const gateway = history([['2024-01-03T15:00:00Z', '98000']]);
    assert.equal(await lastEquity(gateway, 'a', '100000', at('2024-01-03T16:00:00Z')), '100000');
  });
});
