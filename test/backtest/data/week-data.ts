import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openBacktestData, type BacktestDataOptions, type MarketEvent } from '../../../src/backtest/data/backtest-data.ts';

export const WEEK = fileURLToPath(new URL('../../../../shared/data/lean-usa-week-20131007/', import.meta.url));
export const SYMBOLS = ['AIG', 'BAC', 'IBM', 'SPY'] as const;
export const DAYS = ['20131007', '20131008', '20131009', '20131010', '20131011'] as const;

const unzipped = new Map<string, string[]>();

/** The CSV lines of a zip's one entry, read with `unzip -p`: independent of the code under test. */
export function csvLines(zip: string): string[] {
  let lines = unzipped.get(zip);
  if (!lines) {
    lines = execFileSync('unzip', ['-p', zip], { encoding: 'utf8', maxBuffer: 64 << 20 }).split(/\r?\n/).filter((line) => line !== '');
    unzipped.set(zip, lines);
  }
  return lines;
}

export async function readAll(paths: readonly string[], options: BacktestDataOptions = {}): Promise<MarketEvent[]> {
  const data = await openBacktestData(paths, options);
  const events: MarketEvent[] = [];
  for await (const batch of data.batches()) for (const event of batch) events.push(event);
  await data.close();
  return events;
}

/** `YYYYMMDD` of an instant in New York. */
export function newYorkDate(ts: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(ts).replaceAll('-', '');
}

export function newYorkTime(ts: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ts);
}
