import { basename } from 'node:path';
import { z } from 'zod';
import { ConfigError, ERROR_CODES, TickflowError } from '../../errors.ts';
import { deadLetter } from '../../model/dead-letter.ts';
import type { MarketRecord } from '../../model/market-record.ts';
import { systemClock, type Clock } from '../../clock.ts';
import type { Source, SourceSink, SourceStatus } from '../source.ts';
import { openJsonlInput } from './jsonl-input.ts';
import { openLeanInput } from './lean/lean-input.ts';
import { Pacer, systemTimer, type ReplaySpeed, type ReplayTimer } from './pacer.ts';
import type { ReplayInput } from './replay-input.ts';

export const REPLAY_DEFAULTS = { speed: 'max' as ReplaySpeed, batchSize: 500 } as const;

/**
 * Partitions per topic of the bus a replay runs on. A replay is one ordered stream in one process,
 * which partitions would not speed up; with one per topic, a reader of a topic (the archive) sees it
 * in the one order the recording gives it, not in an interleaving of partitions that depends on
 * timing: the same file gives the same archive, byte for byte.
 */
export const REPLAY_PARTITIONS = 1;

const optionsSchema = z.strictObject({
  /** A JSON Lines file (archive of the raw topic, or bare trades) or a Lean tick zip. */
  path: z.string().min(1),
  /** Default: `lean` for a `.zip`, `jsonl` otherwise. */
  format: z.enum(['jsonl', 'lean']).optional(),
  /** `'max'`, or a multiple of real time paced by event time (1 = as recorded, 10 = ten times faster). */
  speed: z.union([z.literal('max'), z.number().positive().finite()]).default(REPLAY_DEFAULTS.speed),
  /** Most records per `sink.records` call. */
  batchSize: z.number().int().min(1).max(100_000).default(REPLAY_DEFAULTS.batchSize),
  /** Default `replay:<file name>`. */
  name: z.string().min(1).optional(),
  /** Relabel: this `source` on every record, `seq` from the line (see JsonlInputOptions, leanLineParser). */
  source: z.string().min(1).optional(),
  /** Lean only: symbol instead of the one named by the path (`SPY`, `OANDA:EUR_USD`). */
  symbol: z.string().min(1).optional(),
  /** Lean only: zone of the file's times instead of America/New_York (equities) / UTC (forex). */
  timeZone: z.string().min(1).optional(),
  /**
   * Moved forward to the newest `tsEvent` of each batch once the sink accepted that batch, so a
   * consumer fed synchronously by the sink can close bars on it deterministically. (Behind an
   * asynchronous bus the consumer lags the source: derive its clock from what it consumed instead.)
   */
  clock: z.custom<Pick<Clock, 'now'> & { advanceTo(ms: number): void }>((value) => typeof (value as { advanceTo?: unknown })?.advanceTo === 'function', 'must have advanceTo').optional(),
  /** Pacing time (default: performance.now and setTimeout). */
  timer: z.custom<ReplayTimer>((value) => typeof (value as ReplayTimer)?.sleep === 'function' && typeof (value as ReplayTimer).now === 'function', 'must be a ReplayTimer').optional(),
  /** Wall clock for `lastMessageAt` (and the dead letters of a file without a single record). */
  wallClock: z.custom<Clock>((value) => typeof (value as Clock)?.now === 'function', 'must be a Clock').optional(),
});

export type ReplaySourceOptions = z.input<typeof optionsSchema>;

export interface ReplayProgress {
  /** Lines read, blank and rejected ones included. */
  readonly lines: number;
  readonly records: number;
  readonly rejects: number;
  /** Bytes read so far (uncompressed, for a zip) and the total, when known. */
  readonly bytesRead: number;
  readonly totalBytes: number | null;
  /** Event time of the newest record handed to the sink. */
  readonly lastEventTime: number | null;
  readonly finished: boolean;
}

/**
 * Replays a recorded file into a sink in batches, as fast as possible or paced by event time.
 * Bad lines are dead-lettered with their line number, at the recording's time, and counted, never fatal; an unreadable file
 * is (start rejects, `done` rejects, `status().fatalError` says why). `done` resolves at the end of
 * the file or after `close()`.
 */
export class ReplaySource implements Source {
  readonly name: string;
  readonly done: Promise<void>;
  readonly #options: z.output<typeof optionsSchema>;
  readonly #timer: ReplayTimer;
  readonly #wallClock: Clock;
  readonly #abort = new AbortController();
  #resolveDone!: () => void;
  #rejectDone!: (error: unknown) => void;
  #input: ReplayInput | null = null;
  #started = false;
  #running = false;
  #finished = false;
  #lines = 0;
  #records = 0;
  #rejects = 0;
  #lastMessageAt: number | null = null;
  #lastEventTime: number | null = null;
  #fatalError: string | null = null;

  constructor(options: ReplaySourceOptions) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) throw new ConfigError(`invalid replay options: ${z.prettifyError(parsed.error)}`);
    this.#options = parsed.data;
    this.name = parsed.data.name ?? `replay:${basename(parsed.data.path)}`;
    this.#timer = parsed.data.timer ?? systemTimer;
    this.#wallClock = parsed.data.wallClock ?? systemClock;
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    // Callers that only use status() must not see an unhandled rejection; awaiting `done` still throws.
    this.done.catch(() => undefined);
  }

  async start(sink: SourceSink): Promise<void> {
    if (this.#started) throw new TickflowError(ERROR_CODES.USAGE, `${this.name} was already started`);
    this.#started = true;
    // Closed before it started: nothing to read, `done` already resolved.
    if (this.#abort.signal.aborted) return;
    try {
      this.#input = await this.#open();
    } catch (error) {
      this.#fail(error);
      throw error;
    }
    this.#running = true;
    this.#run(this.#input, sink).then(
      () => this.#finish(),
      (error: unknown) => this.#fail(error),
    );
  }

  status(): SourceStatus {
    return {
      name: this.name,
      connected: this.#running,
      reconnects: 0,
      rejects: this.#rejects,
      records: this.#records,
      lastMessageAt: this.#lastMessageAt,
      fatalError: this.#fatalError,
    };
  }

  progress(): ReplayProgress {
    return {
      lines: this.#lines,
      records: this.#records,
      rejects: this.#rejects,
      bytesRead: this.#input?.bytesRead() ?? 0,
      totalBytes: this.#input?.totalBytes ?? null,
      lastEventTime: this.#lastEventTime,
      finished: this.#finished,
    };
  }

  async close(): Promise<void> {
    this.#abort.abort();
    if (!this.#started) this.#finish();
    await this.done.catch(() => undefined);
  }

  async #open(): Promise<ReplayInput> {
    const { path, format, source, symbol, timeZone } = this.#options;
    const lean = format === 'lean' || (format === undefined && path.toLowerCase().endsWith('.zip'));
    try {
      return lean ? await openLeanInput(path, { source, symbol, timeZone }) : await openJsonlInput(path, { source });
    } catch (error) {
      if (error instanceof TickflowError) throw error;
      throw new TickflowError(ERROR_CODES.REPLAY_INPUT, `cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  async #run(input: ReplayInput, sink: SourceSink): Promise<void> {
    const pacer = new Pacer(this.#options.speed, this.#timer);
    const signal = this.#abort.signal;
    let batch: MarketRecord[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const records = batch;
      batch = [];
      await sink.records(records);
      let newest = this.#lastEventTime ?? Number.NEGATIVE_INFINITY;
      for (const record of records) if (record.tsEvent > newest) newest = record.tsEvent;
      this.#lastEventTime = newest;
      this.#records += records.length;
      this.#options.clock?.advanceTo(newest);
    };
    // Time in a replay is the recording's: a bad line is dead-lettered at the receive time of the last
    // record before it (of the first one after it when none came before), so the same file gives the
    // same dead letters. Only a file without a single record falls back to the wall clock.
    let recordingTime: number | null = null;
    let unstamped: Array<{ readonly reason: string; readonly line: string }> = [];
    const reject = async (reason: string, line: string): Promise<void> => {
      if (recordingTime === null) unstamped.push({ reason, line });
      else await sink.deadLetter(deadLetter(input.origin, reason, line, recordingTime));
    };
    const stampRejects = async (at: number): Promise<void> => {
      const waiting = unstamped;
      unstamped = [];
      for (const { reason, line } of waiting) await sink.deadLetter(deadLetter(input.origin, reason, line, at));
    };
    try {
      for await (const line of input.lines()) {
        if (signal.aborted) break;
        const lineNumber = ++this.#lines;
        this.#lastMessageAt = this.#wallClock.now();
        if (line.trim() === '') continue;
        const record = input.parse(line, lineNumber);
        if (typeof record === 'string') {
          this.#rejects++;
          await reject(`${this.#options.path} line ${lineNumber}: ${record}`, line);
          continue;
        }
        recordingTime = record.tsRecv;
        if (unstamped.length > 0) await stampRejects(recordingTime);
        const delay = pacer.delayFor(record.tsEvent);
        if (delay > 0) {
          await flush();
          await this.#timer.sleep(delay, signal);
          if (signal.aborted) break;
        }
        batch.push(record);
        if (batch.length >= this.#options.batchSize) await flush();
      }
      // After close() the sink may be shutting down: what was read but not yet handed over is dropped.
      if (!signal.aborted) {
        await flush();
        await stampRejects(this.#wallClock.now());
      }
    } finally {
      await input.close();
    }
  }

  #finish(): void {
    this.#running = false;
    this.#finished = true;
    this.#resolveDone();
  }

  #fail(error: unknown): void {
    this.#running = false;
    this.#fatalError = error instanceof Error ? error.message : String(error);
    this.#rejectDone(error);
  }
}
