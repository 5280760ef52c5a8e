import { basename, dirname } from 'node:path';
import type { BarInterval } from '../../../model/bar.ts';
import { ERROR_CODES, TickflowError } from '../../../errors.ts';
import { assertTimeZone } from '../../../time-zone.ts';
import { primaryExchangeOf } from './auction-prints.ts';

/** What a Lean data file holds, read from its names (Lean puts no header in its CSV files). */
export interface LeanFileInfo {
  /** tickflow symbol: `SPY`, or Finnhub's forex form `OANDA:EUR_USD`. */
  readonly symbol: string;
  /**
   * Trading day, `YYYYMMDD`; `null` for Lean's hour and daily files (`daily/spy.zip`), which hold
   * every day of the symbol in one file and date each line instead.
   */
  readonly date: string | null;
  readonly resolution: LeanResolution;
  readonly dataType: 'trade' | 'quote';
  readonly assetClass: 'equity' | 'forex';
  /** Zone of the file's `ms since midnight` times: equities America/New_York, forex UTC. */
  readonly timeZone: string;
  /** Equities: exchange code of the listing exchange, whose auctions give the official open and close; `null` when unknown. */
  readonly primaryExchange: string | null;
}

export type LeanResolution = 'tick' | 'second' | 'minute' | 'hour' | 'daily';

const INTRADAY_INTERVALS: Partial<Record<LeanResolution, BarInterval>> = { second: '1s', minute: '1m' };

/** The bar interval of a Lean second or minute file; null for other resolutions. */
export function intradayInterval(info: Pick<LeanFileInfo, 'resolution'>): BarInterval | null {
  return INTRADAY_INTERVALS[info.resolution] ?? null;
}

export interface LeanFileOverrides {
  readonly symbol?: string;
  readonly timeZone?: string;
  /** Lean's code of the listing exchange (`P` NYSE Arca, `N` NYSE, `Q` Nasdaq). */
  readonly primaryExchange?: string;
}

const RESOLUTIONS = new Set<string>(['tick', 'second', 'minute', 'hour', 'daily']);
const DATA_TYPES = new Set<string>(['trade', 'quote']);
/** Lean keeps hour and daily data in one file per symbol: `<resolution>/<symbol>.zip` (US equity trade bars). */
const UNDATED_RESOLUTIONS = new Set<string>(['hour', 'daily']);
/** Lean's forex market for this data (its README: forex data from OANDA), as Finnhub names it. */
const FOREX_VENUE = 'OANDA';

/**
 * Reads symbol, date, resolution and type from the CSV entry's name (`20131007_spy_Trade_Tick.csv`,
 * `20140502_eurusd_tick_quote.csv`, `20131007_spy_minute_trade.csv`) or, failing that, the zip's
 * (`tick_spy_20131007_trade.zip`, or Lean's own layouts `…/<resolution>/<symbol>/<date>_<type>.zip` and,
 * for hour and daily trade bars, `…/<resolution>/<symbol>.zip`).
 * A currency pair (six letters) with quote data is forex; everything else is a US equity.
 */
export function describeLeanFile(zipPath: string, entryName: string, overrides: LeanFileOverrides = {}): LeanFileInfo {
  const parsed = fromEntryName(basename(entryName)) ?? fromZipName(zipPath);
  if (!parsed) {
    throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `cannot tell symbol, date and data type of Lean file ${zipPath} (entry ${entryName})`);
  }
  const forex = parsed.dataType === 'quote' && /^[a-z]{6}$/i.test(parsed.symbol);
  const timeZone = overrides.timeZone ?? (forex ? 'UTC' : 'America/New_York');
  try {
    assertTimeZone(timeZone);
  } catch {
    throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `unknown time zone ${JSON.stringify(timeZone)}`);
  }
  const pair = parsed.symbol.toUpperCase();
  const symbol = overrides.symbol ?? (forex ? `${FOREX_VENUE}:${pair.slice(0, 3)}_${pair.slice(3)}` : pair);
  return {
    symbol,
    date: parsed.date,
    resolution: parsed.resolution,
    dataType: parsed.dataType,
    assetClass: forex ? 'forex' : 'equity',
    timeZone,
    primaryExchange: forex ? null : (overrides.primaryExchange ?? primaryExchangeOf(symbol)),
  };
}

/** Local midnight of a dated file's day written as if it were UTC: add ms since midnight, then convert from `timeZone`. */
export function localMidnightOf(info: LeanFileInfo): number {
  const { date } = info;
  if (date === null) throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `Lean ${info.resolution} file of ${info.symbol} has no date in its name: its lines carry their dates`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)));
}

interface ParsedName {
  readonly symbol: string;
  readonly date: string | null;
  readonly resolution: LeanResolution;
  readonly dataType: 'trade' | 'quote';
}

function fromEntryName(name: string): ParsedName | null {
  const match = /^(\d{8})_([a-z0-9.-]+)_([a-z]+)_([a-z]+)\.csv$/i.exec(name);
  if (!match) return null;
  const words = [match[3]!.toLowerCase(), match[4]!.toLowerCase()];
  const resolution = words.find((word) => RESOLUTIONS.has(word));
  const dataType = words.find((word) => DATA_TYPES.has(word));
  if (!resolution || !dataType) return null;
  return { date: match[1]!, symbol: match[2]!, resolution: resolution as LeanResolution, dataType: dataType as 'trade' | 'quote' };
}

function fromZipName(zipPath: string): ParsedName | null {
  const name = basename(zipPath);
  const flat = /^([a-z]+)_([a-z0-9.-]+)_(\d{8})_(trade|quote)\.zip$/i.exec(name);
  if (flat && RESOLUTIONS.has(flat[1]!.toLowerCase())) {
    return { resolution: flat[1]!.toLowerCase() as LeanResolution, symbol: flat[2]!, date: flat[3]!, dataType: flat[4]!.toLowerCase() as 'trade' | 'quote' };
  }
  const folder = basename(dirname(zipPath)).toLowerCase();
  const undated = /^([a-z0-9.-]+)\.zip$/i.exec(name);
  if (undated && UNDATED_RESOLUTIONS.has(folder)) {
    return { resolution: folder as LeanResolution, symbol: undated[1]!, date: null, dataType: 'trade' };
  }
  const native = /^(\d{8})_(trade|quote)\.zip$/i.exec(name);
  const symbolDir = dirname(zipPath);
  const resolution = basename(dirname(symbolDir)).toLowerCase();
  if (native && RESOLUTIONS.has(resolution)) {
    return { date: native[1]!, dataType: native[2]!.toLowerCase() as 'trade' | 'quote', symbol: basename(symbolDir), resolution: resolution as LeanResolution };
  }
  return null;
}
