import { basename } from 'node:path';
import { ERROR_CODES, TickflowError } from '../../errors.ts';
import { describeLeanFile, type LeanFileInfo } from '../../sources/replay/lean/lean-file.ts';
import { openLeanZip } from '../../sources/replay/lean/lean-zip.ts';
import { zonedTimeToUtc } from '../../time-zone.ts';
import { includesDay, leanDay, type DayRange } from './day-range.ts';

/** How to read one input file, decided from its name before it is read. */
export type InputPlan =
  | { readonly kind: 'lean'; readonly path: string; readonly info: LeanFileInfo; readonly notBefore: number }
  | { readonly kind: 'archive'; readonly path: string; readonly notBefore: number };

export interface Selection {
  readonly symbols: ReadonlySet<string> | null;
  readonly range: DayRange;
  readonly quotes: boolean;
}

const ARCHIVE_DAY = /^(\d{4})-(\d{2})-(\d{2})\.jsonl$/;
const DAY_MS = 86_400_000;

/**
 * The plan for `path`, or null when the file holds nothing asked for: a Lean file of another day or
 * symbol, quote data without `quotes`, an archive of a UTC day that cannot hold a day asked for (the
 * archive names its files by the UTC day of event time; a market day runs into the UTC days either
 * side). `notBefore` bounds the file's event times from below, so the merge opens it only when needed.
 * A name that tells nothing (a `.zip` not in Lean's naming) is settled by the name of the CSV inside.
 */
export async function planInput(path: string, selection: Selection): Promise<InputPlan | null> {
  const name = basename(path);
  if (name.toLowerCase().endsWith('.jsonl')) {
    const day = ARCHIVE_DAY.exec(name);
    if (!day) return { kind: 'archive', path, notBefore: -Infinity };
    const utcMidnight = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    const { from, to } = selection.range;
    const utcDay = utcMidnight / DAY_MS;
    return utcDay < from - 1 || utcDay > to + 1 ? null : { kind: 'archive', path, notBefore: utcMidnight };
  }
  if (!name.toLowerCase().endsWith('.zip')) throw notReadable(path);
  const info = await leanInfo(path);
  if (info.dataType === 'quote' && !selection.quotes) return null;
  if (selection.symbols && !selection.symbols.has(info.symbol)) return null;
  if (info.date === null) return { kind: 'lean', path, info, notBefore: -Infinity };
  if (!includesDay(selection.range, leanDay(info.date))) return null;
  const notBefore = zonedTimeToUtc(info.timeZone, leanDay(info.date) * DAY_MS);
  return { kind: 'lean', path, info, notBefore };
}

async function leanInfo(path: string): Promise<LeanFileInfo> {
  try {
    return describeLeanFile(path, '');
  } catch {
    const entry = await openLeanZip(path).catch((error: unknown) => {
      throw notReadable(path, error);
    });
    entry.stream.destroy();
    entry.close();
    try {
      return describeLeanFile(path, entry.entryName);
    } catch (error) {
      throw notReadable(path, error);
    }
  }
}

function notReadable(path: string, cause?: unknown): TickflowError {
  const why = cause instanceof Error ? `: ${cause.message}` : '';
  return new TickflowError(ERROR_CODES.REPLAY_INPUT, `${path} is neither a Lean data zip a backtest reads nor a JSON Lines archive${why}`, { cause });
}
