import { validateBar } from '../../model/bar.ts';
import { validateQuoteBar } from '../../model/quote-bar.ts';
import { archivedValue, marketRecordOf } from '../../sources/replay/jsonl-input.ts';
import { dayAt } from '../../trading/calendar/civil-date.ts';
import { timeZoneOf } from '../../trading/calendar/calendar.ts';
import { marketOf } from '../../trading/calendar/market.ts';
import { includesDay, type DayRange } from './day-range.ts';
import type { MarketEvent } from './market-event.ts';

export interface ArchiveFilter {
  readonly symbols: ReadonlySet<string> | null;
  readonly range: DayRange;
  readonly quotes: boolean;
}

/** Records of other types (gaps, metrics, signals…), left out without being rejected. */
export interface SkipCounter {
  skipped: number;
}

/**
 * The market event on a line of our JSON Lines archives (an archive envelope or a bare record):
 * trades and quotes as the replay reads them (`marketRecordOf`), bars and quote bars as checked by
 * the model. Null for a record of another type (counted in `skips`) or one the filter leaves out: its
 * symbol, its day in its market's zone (a bar's by its start; UTC for symbols of no known market), or a
 * quote or quote bar when quotes are not wanted.
 */
export function archiveEventParser(filter: ArchiveFilter, skips: SkipCounter): (line: string, lineNumber: number) => MarketEvent | string | null {
  const zones = new Map<string, string>();
  const zoneOf = (symbol: string): string => {
    let zone = zones.get(symbol);
    if (zone === undefined) {
      const market = marketOf(symbol);
      zones.set(symbol, (zone = market ? timeZoneOf(market) : 'UTC'));
    }
    return zone;
  };
  return (line, lineNumber) => {
    const value = archivedValue(line);
    if (typeof value === 'string') return value;
    const event = eventOf(value, lineNumber);
    if (event === null) {
      skips.skipped++;
      return null;
    }
    if (typeof event === 'string') return event;
    if (!filter.quotes && (event.type === 'quote' || event.type === 'quote-bar')) return null;
    if (filter.symbols && !filter.symbols.has(event.symbol)) return null;
    const day = dayAt(zoneOf(event.symbol), event.type === 'bar' || event.type === 'quote-bar' ? event.start : event.tsEvent);
    return includesDay(filter.range, day) ? event : null;
  };
}

function eventOf(value: Record<string, unknown>, lineNumber: number): MarketEvent | string | null {
  switch (value.type) {
    case 'trade':
    case 'quote': {
      const record = marketRecordOf(value, lineNumber);
      return typeof record === 'string' || record.type !== 'gap' ? record : null;
    }
    case 'bar':
      return validateBar(value);
    case 'quote-bar':
      return validateQuoteBar(value);
    default:
      return null;
  }
}
