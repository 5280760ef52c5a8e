import { RECORDED_INTERVALS, type Bar } from '../../model/bar.ts';
import { civilDateOf, instantOf } from '../../trading/calendar/civil-date.ts';
import { session } from '../../trading/calendar/calendar.ts';
import type { LeanFileInfo } from '../../sources/replay/lean/lean-file.ts';
import { LEAN_EQUITY_PRICE_SCALE } from '../../sources/replay/lean/lean-records.ts';
import { numericFields, ohlcProblem } from './bar-prices.ts';
import { includesDay, leanDay, type DayRange } from './day-range.ts';

const STAMP = /^(\d{8}) (\d{2}):(\d{2})$/;
const REGULAR_OPEN_MS = 9.5 * 3_600_000;

/**
 * Lean's hour and daily US-equity trade bars, one file per symbol with a line per bar:
 * `yyyymmdd HH:mm,open,high,low,close,volume` (New York time, deci-cents). Lines of days outside
 * `range` give null. An hour bar starts at the stamp and ends an hour later; a daily bar covers the
 * regular session (09:30 to the close of the US-equity calendar, 13:00 on early-close days).
 * `tsEvent` = `tsRecv` = `end`; `vwap` null and `count` 0 (Lean records neither).
 */
export function leanDatedBarParser(info: LeanFileInfo, range: DayRange): (line: string) => Bar | string | null {
  const interval = info.resolution === 'daily' ? '1d' : '1h';
  const { symbol, timeZone } = info;
  return (line) => {
    const comma = line.indexOf(',');
    const stamp = STAMP.exec(comma < 0 ? line : line.slice(0, comma));
    if (!stamp) return 'expected a time `yyyymmdd HH:mm` first';
    const day = leanDay(stamp[1]!);
    if (!includesDay(range, day)) return null;
    const fields = numericFields(line.slice(comma + 1), 5);
    if (!fields) return 'expected 5 numbers after the time (open,high,low,close,volume)';
    const [open, high, low, close, volume] = fields as [number, number, number, number, number];
    const problem = ohlcProblem(open, high, low, close) ?? (volume >= 0 ? null : 'volume must be ≥ 0');
    if (problem) return problem;
    let start: number;
    let end: number;
    if (interval === '1d') {
      const regular = session('us-equity', civilDateOf(day));
      if (!regular) return `the US-equity market was closed on ${civilDateOf(day)}`;
      start = instantOf(timeZone, day, REGULAR_OPEN_MS);
      end = regular.close;
    } else {
      start = instantOf(timeZone, day, (Number(stamp[2]) * 60 + Number(stamp[3])) * 60_000);
      end = start + RECORDED_INTERVALS['1h'];
    }
    const scale = LEAN_EQUITY_PRICE_SCALE;
    return { type: 'bar', symbol, interval, start, end, open: open / scale, high: high / scale, low: low / scale, close: close / scale, volume, vwap: null, count: 0, tsEvent: end, tsRecv: end };
  };
}
