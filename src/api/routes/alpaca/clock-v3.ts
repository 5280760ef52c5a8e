import type { FastifyPluginAsync } from 'fastify';
import { currentOrNextSession, nextClose, nextOpen, phase, session, timeZoneOf } from '../../../trading/calendar/calendar.ts';
import { civilDateOf, dayAt } from '../../../trading/calendar/civil-date.ts';
import type { Market } from '../../../trading/calendar/market.ts';
import { docs } from './common.ts';
import { unprocessable } from './errors.ts';
import type { TradingRouteOptions } from './options.ts';
import { parseTimeParameter } from './parse.ts';
import { zonedTime } from './times.ts';

/** The markets of `GET /v3/clock`'s `markets` parameter: Alpaca's US exchanges are tickflow's one US equity calendar. */
const MARKETS: Readonly<Record<string, { market: Market; name: string; mic: string | null }>> = {
  NYSE: { market: 'us-equity', name: 'New York Stock Exchange', mic: 'XNYS' },
  NASDAQ: { market: 'us-equity', name: 'Nasdaq', mic: 'XNAS' },
  CRYPTO: { market: 'crypto', name: 'Crypto (24/7, UTC days)', mic: null },
  FOREX: { market: 'forex', name: 'Forex (Sunday 17:00 to Friday 17:00 New York)', mic: null },
};

/** One market's clock in the shape of Alpaca's v3 `Clock`: phase `pre`, `core`, `post` or `closed`, and when it ends. */
function marketClock(acronym: string, at: number): Record<string, unknown> {
  const { market, name, mic } = MARKETS[acronym]!;
  const zone = timeZoneOf(market);
  const now = phase(market, at);
  const current = currentOrNextSession(market, at);
  const phaseUntil = now === 'pre' ? current.open : now === 'regular' ? current.close : now === 'post' ? current.postClose : current.preOpen;
  return {
    market: { acronym, name, mic, bic: null, timezone: zone },
    timestamp: zonedTime(zone, at),
    is_market_day: session(market, civilDateOf(dayAt(zone, at))) !== null,
    phase: now === 'regular' ? 'core' : now,
    phase_until: zonedTime(zone, phaseUntil),
    next_market_open: zonedTime(zone, nextOpen(market, at)),
    next_market_close: zonedTime(zone, nextClose(market, at)),
  };
}

/** `GET /v3/clock?markets=NYSE,CRYPTO&time=`: what the SDK's `trading.clock.clock()` asks. */
export const clockV3Routes: FastifyPluginAsync<TradingRouteOptions> = async (app, { now = Date.now }) => {
  app.get<{ Querystring: { markets?: string; time?: string } }>(
    '/v3/clock',
    { schema: docs('Clocks of several markets (markets=NYSE,NASDAQ,CRYPTO,FOREX; default NYSE), at time (default now)') },
    async (request) => {
      const markets = (request.query.markets ?? 'NYSE').split(',').map((name) => name.trim().toUpperCase()).filter((name) => name !== '');
      const unknown = markets.find((name) => !(name in MARKETS));
      if (unknown !== undefined || markets.length === 0) throw unprocessable(`markets must be a list of ${Object.keys(MARKETS).join(', ')} (got ${JSON.stringify(request.query.markets)})`);
      const at = parseTimeParameter('time', request.query.time) ?? now();
      return { clocks: markets.map((name) => marketClock(name, at)) };
    },
  );
};
