import { stat } from 'node:fs/promises';
import { ERROR_CODES, TickflowError } from '../../errors.ts';
import { openJsonlInput } from '../../sources/replay/jsonl-input.ts';
import type { InputFile } from '../backtest-result.ts';
import { archiveEventParser, type SkipCounter } from './archive-events.ts';
import { sha256OfFile } from './checksum.ts';
import { dayRange } from './day-range.ts';
import { eventBatches } from './event-batches.ts';
import { findInputFiles } from './find-input-files.ts';
import { planInput, type InputPlan, type Selection } from './input-plan.ts';
import { openLeanEventLines } from './lean-event-lines.ts';
import type { EventLines, MarketEvent } from './market-event.ts';
import { mergeBatches } from './merge-batches.ts';
import { Rejections } from './rejections.ts';

export type { MarketEvent } from './market-event.ts';

export interface BacktestDataOptions {
  /** Exact tickflow symbols (`SPY`, `OANDA:EUR_USD`); default every symbol. */
  readonly symbols?: readonly string[];
  /** `YYYY-MM-DD`, inclusive, in each market's own zone (America/New_York for US equities, UTC for forex). */
  readonly from?: string;
  readonly to?: string;
  /** Include quotes and quote bars; default false: trade data only. */
  readonly quotes?: boolean;
}

/** The recorded data of one backtest, read once. */
export interface BacktestData {
  /** The files read, in the order their ties are broken, with their size on disk and SHA-256. */
  readonly files: readonly InputFile[];
  /** The files' sizes on disk, summed: the scale of `bytesRead`. */
  readonly totalBytes: number;
  /** How far the reading is, in the files' bytes on disk (a file part read counts in proportion). */
  bytesRead(): number;
  /** Malformed lines, counted, with the first few as `file:line: why`. */
  rejected(): { readonly count: number; readonly examples: readonly string[] };
  /** Archive records that are no market event (gaps, metrics, signals…), left out. */
  skipped(): number;
  /** Every event in `tsEvent` order, ties to the earlier file then the earlier line; iterate once. */
  batches(): AsyncIterable<readonly MarketEvent[]>;
  /** Closes the files still open; idempotent. */
  close(): Promise<void>;
}

interface FileProgress {
  readonly bytes: number;
  lines: EventLines | null;
  done: boolean;
}

/**
 * Opens the data of a backtest: the files found under `paths` that hold days and symbols asked for
 * (the others are left unopened), checksummed up front, streamed and merged on iteration.
 */
export async function openBacktestData(paths: readonly string[], options: BacktestDataOptions = {}): Promise<BacktestData> {
  const selection: Selection = {
    symbols: options.symbols ? new Set(options.symbols) : null,
    range: dayRange(options.from, options.to),
    quotes: options.quotes ?? false,
  };
  const plans: InputPlan[] = [];
  for (const path of await findInputFiles(paths)) {
    const plan = await planInput(path, selection);
    if (plan) plans.push(plan);
  }
  if (plans.length === 0) throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `no file in ${paths.join(', ')} holds data of the days, symbols and types asked for`);
  const files: InputFile[] = [];
  for (const { path } of plans) files.push({ path, bytes: (await stat(path)).size, sha256: await sha256OfFile(path) });

  const progress: FileProgress[] = files.map((file) => ({ bytes: file.bytes, lines: null, done: false }));
  const rejections = new Rejections();
  const skips: SkipCounter = { skipped: 0 };
  let started = false;
  let closed = false;

  const open = async (index: number): Promise<EventLines> => {
    const plan = plans[index]!;
    const lines = plan.kind === 'lean' ? await openLeanEventLines(plan.path, plan.info, selection.range) : await openArchive(plan.path, selection, skips);
    progress[index]!.lines = lines;
    return lines;
  };
  async function* fileBatches(index: number): AsyncGenerator<readonly MarketEvent[]> {
    try {
      if (closed) return;
      yield* eventBatches(await open(index), plans[index]!.path, rejections);
    } finally {
      progress[index]!.done = true;
      progress[index]!.lines = null;
    }
  }

  return {
    files,
    totalBytes: files.reduce((sum, file) => sum + file.bytes, 0),
    bytesRead: () => progress.reduce((sum, file) => sum + (file.done ? file.bytes : file.lines ? (file.bytes * file.lines.bytesRead()) / Math.max(1, file.lines.totalBytes) : 0), 0),
    rejected: () => ({ count: rejections.count, examples: [...rejections.examples] }),
    skipped: () => skips.skipped,
    batches: () => {
      if (started) throw new TickflowError(ERROR_CODES.USAGE, 'backtest data can be iterated only once');
      started = true;
      return mergeBatches(plans.map((plan, index) => ({ notBefore: plan.notBefore, open: () => fileBatches(index) })));
    },
    close: async () => {
      closed = true;
      await Promise.all(progress.map((file) => file.lines?.close()));
    },
  };
}

async function openArchive(path: string, selection: Selection, skips: SkipCounter): Promise<EventLines> {
  const input = await openJsonlInput(path);
  return {
    lines: () => input.lines(),
    parse: archiveEventParser(selection, skips),
    bytesRead: () => input.bytesRead(),
    totalBytes: input.totalBytes ?? 0,
    close: () => input.close(),
  };
}
