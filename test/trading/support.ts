import type { Bar, BarPeriod } from '../../src/model/bar.ts';
import { accountConfig, type AccountConfig } from '../../src/model/account.ts';
import type { OrderRequest } from '../../src/model/order.ts';
import type { Trade } from '../../src/model/trade.ts';
import { localTimeOfDayMs, timeZoneOffsetMs, zonedTimeToUtc } from '../../src/time-zone.ts';
import type { Instrument, InstrumentLookup } from '../../src/trading/engine/instrument.ts';
import type { MarketCalendar, SessionPhase } from '../../src/trading/engine/market-calendar.ts';
import { TradingEngine, type TradingEngineOptions } from '../../src/trading/engine/trading-engine.ts';
import type { PrintClassifier } from '../../src/trading/fills/print-classifier.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A test double: a market open every moment (crypto). */
export const ALWAYS_OPEN: MarketCalendar = { phase: () => 'regular', nextOpen: () => null, nextClose: () => null };

/**
 * A test double of US equity sessions: Monday to Friday, pre-market 04:00, regular 09:30–16:00,
 * post-market to 20:00 New York time; no holidays (src/trading/calendar/ has the real calendar).
 */
export function weekdaySessions(timeZone = 'America/New_York'): MarketCalendar {
  const pre = 4 * HOUR_MS;
  const open = 9.5 * HOUR_MS;
  const close = 16 * HOUR_MS;
  const post = 20 * HOUR_MS;
  const localDay = (ts: number) => Math.floor((ts + timeZoneOffsetMs(timeZone, ts)) / DAY_MS);
  const weekday = (day: number) => {
    const dow = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 is Sunday.
    return dow !== 0 && dow !== 6;
  };
  const next = (ts: number, timeOfDay: number): number => {
    for (let day = localDay(ts) - 1; ; day++) {
      const at = zonedTimeToUtc(timeZone, day * DAY_MS + timeOfDay);
      if (weekday(day) && at > ts) return at;
    }
  };
  return {
    phase(_market, ts): SessionPhase {
      if (!weekday(localDay(ts))) return 'closed';
      const time = localTimeOfDayMs(timeZone, ts);
      if (time < pre || time >= post) return 'closed';
      if (time < open) return 'pre';
      return time < close ? 'regular' : 'post';
    },
    nextOpen: (_market, ts) => next(ts, open),
    nextClose: (_market, ts, extended) => next(ts - 1, extended ? post : close),
  };
}

/** US equities on `weekdaySessions`, crypto always open. */
export function testCalendar(): MarketCalendar {
  const equities = weekdaySessions();
  return {
    phase: (market, ts) => (market === 'crypto' ? 'regular' : equities.phase(market, ts)),
    nextOpen: (market, ts) => (market === 'crypto' ? null : equities.nextOpen(market, ts)),
    nextClose: (market, ts, extended) => (market === 'crypto' ? null : equities.nextClose(market, ts, extended)),
  };
}

export const STOCK = (symbol: string, overrides: Partial<Instrument> = {}): Instrument => ({
  symbol, assetClass: 'us_equity', market: 'us', tradable: true, fractionable: false, shortable: true, ...overrides,
});
export const COIN = (symbol: string): Instrument => ({ symbol, assetClass: 'crypto', market: 'crypto', tradable: true, fractionable: true, shortable: false });

export function instruments(...known: Instrument[]): InstrumentLookup {
  const bySymbol = new Map(known.map((instrument) => [instrument.symbol, instrument]));
  return (symbol) => bySymbol.get(symbol) ?? null;
}

export const DEFAULT_INSTRUMENTS = instruments(STOCK('AAPL'), STOCK('SPY'), STOCK('HALT', { tradable: false }), STOCK('NOSHORT', { shortable: false }), COIN('BINANCE:BTCUSDT'));

export function newEngine(options: Partial<TradingEngineOptions> & { prints?: PrintClassifier } = {}): TradingEngine {
  return new TradingEngine({ instrument: DEFAULT_INSTRUMENTS, calendar: testCalendar(), ...options });
}

/** Monday 2013-10-07 at a New York wall time (EDT, UTC−4): `nyTime('10:00')`. */
export function nyTime(hhmm: string, date = '2013-10-07'): number {
  return Date.parse(`${date}T${hhmm}${hhmm.length === 5 ? ':00' : ''}-04:00`);
}

export function account(fields: Partial<AccountConfig> = {}): AccountConfig {
  return accountConfig({ id: 'acct', startingCash: '100000', ...fields });
}

export function orderRequest(fields: Partial<OrderRequest> & Pick<OrderRequest, 'symbol' | 'side'>): OrderRequest {
  return {
    type: 'order-request', qty: fields.notional ? null : '10', notional: null, order_type: 'market', time_in_force: 'day',
    limit_price: null, stop_price: null, trail_price: null, trail_percent: null, extended_hours: false, client_order_id: null, ...fields,
  };
}

let sequence = 0;
export function print(symbol: string, price: number, size: number, tsEvent: number, conditions: readonly string[] | null = null): Trade {
  return { type: 'trade', source: 'test', symbol, price, size, conditions, tsEvent, tsRecv: tsEvent, seq: ++sequence };
}

/** A bar of `symbol` from `start`: `[open, high, low, close]`, `volume`; `end` from the interval (pass it for '1d'). */
export function bar(symbol: string, start: number, [open, high, low, close]: readonly [number, number, number, number], volume: number, interval: BarPeriod = '1m', end?: number): Bar {
  const stop = end ?? start + { '1s': 1_000, '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 }[interval];
  return { type: 'bar', symbol, interval, start, end: stop, open, high, low, close, volume, vwap: null, count: 1, tsEvent: stop, tsRecv: stop };
}
