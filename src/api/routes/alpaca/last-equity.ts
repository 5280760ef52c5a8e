import { previousClose } from '../../../trading/calendar/calendar.ts';
import type { TradingGateway } from '../../../trading/gateway.ts';

const HOUR = 3_600_000;
/** Past a long weekend, a holiday and a restart or two; an account with no sample this far back started later. */
const FAR_BACK = 10 * 24 * HOUR;

/**
 * Alpaca's `last_equity`: the account's equity at the previous close of the US equity market (16:00
 * New York, 13:00 on early closes), whatever the asset classes it trades, so `equity − last_equity`
 * is the day's P&L. The equity clock samples every close (src/trading/service/equity-clock.ts); when
 * the service was down then, the last sample before it counts. An account with no sample before the
 * close started after it: its starting cash.
 */
export async function lastEquity(gateway: Pick<TradingGateway, 'equityHistory'>, accountId: string, startingCash: string, at: number): Promise<string> {
  const close = previousClose('us-equity', at);
  // The sample at the close itself is the usual answer: the narrow window first, the wide one only when it is empty.
  for (const window of [HOUR, FAR_BACK]) {
    const points = await gateway.equityHistory(accountId, close - window, close + 1);
    const last = points.at(-1);
    if (last) return last.equity;
  }
  return startingCash;
}
