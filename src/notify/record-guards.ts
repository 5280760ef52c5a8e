import { BAR_INTERVALS } from '../model/bar.ts';
import { validateQuoteBar } from '../model/quote-bar.ts';
import { validateMarketRecord } from '../model/validate.ts';
import type { NotifyRecord } from './protocol.ts';

/** Which of the notify processor's topics a record came from. */
export type NotifyTopicKind = 'raw' | 'metrics' | 'signals' | 'alerts';

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * Checks a value read from one of the notify topics before it goes to browsers: the fields a
 * client relies on (type, symbol, both clocks, the values it displays). Returns the record, `null`
 * for a record that is valid but not for clients (a gap; quotes and quote bars, which the stream has
 * no channel for yet), or why it is not one.
 */
export function validateNotifyRecord(kind: NotifyTopicKind, value: unknown): NotifyRecord | null | string {
  if (kind === 'raw') {
    const market = validateMarketRecord(value);
    if (typeof market === 'string') return market;
    return market.type === 'trade' ? market : null;
  }
  if (typeof value !== 'object' || value === null) return 'not an object';
  const record = value as Record<string, unknown>;
  if (kind === 'metrics' && record.type === 'quote-bar') {
    const quoteBar = validateQuoteBar(value);
    return typeof quoteBar === 'string' ? quoteBar : null;
  }
  if (!isNonEmptyString(record.symbol)) return 'symbol missing';
  if (!isFiniteNumber(record.tsEvent) || !isFiniteNumber(record.tsRecv)) return 'tsEvent/tsRecv must be numbers';
  const expected = { metrics: ['bar', 'window-metrics'], signals: ['signal'], alerts: ['alert'] }[kind];
  if (!expected.includes(record.type as string)) return `unexpected record type ${JSON.stringify(record.type)} on the ${kind} topic`;
  switch (record.type) {
    case 'bar':
      if (!Object.hasOwn(BAR_INTERVALS, record.interval as string)) return 'unknown bar interval';
      if (![record.open, record.high, record.low, record.close, record.volume, record.start, record.end].every(isFiniteNumber)) return 'bar prices, volume, start and end must be numbers';
      break;
    case 'window-metrics':
      if (![record.window, record.last, record.avg, record.min, record.max].every(isFiniteNumber)) return 'window, last, avg, min and max must be numbers';
      break;
    case 'signal':
      if (!isNonEmptyString(record.strategy)) return 'strategy missing';
      if (record.side !== 'buy' && record.side !== 'sell') return 'side must be buy or sell';
      if (!isFiniteNumber(record.price) || !isFiniteNumber(record.strength)) return 'price and strength must be numbers';
      break;
    case 'alert':
      if (!isNonEmptyString(record.id) || !isNonEmptyString(record.ruleId)) return 'id and ruleId missing';
      if (typeof record.message !== 'string') return 'message missing';
      break;
  }
  return value as NotifyRecord;
}
