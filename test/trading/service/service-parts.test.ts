import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tradingCalendar } from '../../../src/trading/service/calendar-adapter.ts';
import { hashSecret, newKeyId, newSecret, secretMatches } from '../../../src/trading/service/credentials.ts';
import { EquityClock } from '../../../src/trading/service/equity-clock.ts';
import { configuredInstruments } from '../../../src/trading/service/instruments.ts';

const MINUTE = 60_000;
/** Friday 2026-01-02 16:00 New York (EST) and the next Monday's. */
const FRIDAY_CLOSE = Date.parse('2026-01-02T21:00:00Z');
const MONDAY_CLOSE = Date.parse('2026-01-05T21:00:00Z');

describe('trading service parts', () => {
  it('knows only the configured symbols, with their market traits', () => {
    const { list, lookup } = configuredInstruments(['OANDA:EUR_USD', 'AAPL', 'BINANCE:BTCUSDT', '^GSPC']);
    assert.deepEqual(list.map((instrument) => instrument.symbol), ['AAPL', 'BINANCE:BTCUSDT', 'OANDA:EUR_USD']);
    assert.deepEqual(lookup('AAPL'), { symbol: 'AAPL', market: 'us-equity', tradable: true, assetClass: 'us_equity', fractionable: false, shortable: true });
    assert.deepEqual([lookup('BINANCE:BTCUSDT')?.fractionable, lookup('BINANCE:BTCUSDT')?.shortable], [true, false]);
    assert.deepEqual([lookup('OANDA:EUR_USD')?.assetClass, lookup('OANDA:EUR_USD')?.fractionable], ['forex', true]);
    assert.equal(lookup('MSFT'), null, 'not configured');
    assert.equal(lookup('^GSPC'), null, 'no market');
  });

  it('answers the engine’s calendar questions from the market calendars; crypto never closes', () => {
    assert.equal(tradingCalendar.phase('us-equity', FRIDAY_CLOSE - MINUTE), 'regular');
    assert.equal(tradingCalendar.phase('us-equity', FRIDAY_CLOSE), 'post');
    assert.equal(tradingCalendar.nextClose('us-equity', FRIDAY_CLOSE, false), MONDAY_CLOSE);
    assert.equal(tradingCalendar.nextClose('us-equity', FRIDAY_CLOSE, true), FRIDAY_CLOSE + 4 * 3_600_000);
    assert.equal(tradingCalendar.nextOpen('us-equity', FRIDAY_CLOSE), Date.parse('2026-01-05T14:30:00Z'));
    assert.equal(tradingCalendar.phase('crypto', FRIDAY_CLOSE), 'regular');
    assert.equal(tradingCalendar.nextClose('crypto', FRIDAY_CLOSE, false), null);
    assert.equal(tradingCalendar.nextOpen('crypto', FRIDAY_CLOSE), null);
    assert.equal(tradingCalendar.phase('moon', FRIDAY_CLOSE), 'closed');
  });

  it('makes Alpaca-shaped keys and checks secrets against salted hashes only', () => {
    assert.match(newKeyId(), /^PK[A-Z2-7]{18}$/);
    const secret = newSecret();
    assert.match(secret, /^[A-Za-z0-9]{40}$/);
    assert.notEqual(newSecret(), secret);
    const stored = hashSecret(secret);
    assert.ok(!stored.includes(secret));
    assert.notEqual(hashSecret(secret), stored, 'salted');
    assert.ok(secretMatches(secret, stored));
    assert.ok(!secretMatches(`${secret}x`, stored));
    assert.ok(!secretMatches(secret, 'sha256$zz'));
  });

  it('samples equity at minute boundaries and US closes, once each, without every minute of a gap', () => {
    const clock = new EquityClock(0);
    const start = FRIDAY_CLOSE - 90 * 1_000;
    assert.deepEqual(clock.due(start), [FRIDAY_CLOSE - 2 * MINUTE]);
    assert.deepEqual(clock.due(start + 10_000), []);
    assert.deepEqual(clock.due(FRIDAY_CLOSE - 1), [FRIDAY_CLOSE - MINUTE]);
    assert.deepEqual(clock.due(FRIDAY_CLOSE + 5_000), [FRIDAY_CLOSE]);
    // Over the weekend to Monday after the close: Monday's close and the last minute.
    assert.deepEqual(clock.due(MONDAY_CLOSE + 90_000), [MONDAY_CLOSE, MONDAY_CLOSE + MINUTE]);
    // Restored at some time, it goes on as the uninterrupted one.
    const restored = new EquityClock(FRIDAY_CLOSE + 5_000);
    assert.deepEqual(restored.due(MONDAY_CLOSE + 90_000), [MONDAY_CLOSE, MONDAY_CLOSE + MINUTE]);
  });
});
