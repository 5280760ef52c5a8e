import type { DeadLetter } from '../model/dead-letter.ts';
import type { MarketRecord } from '../model/market-record.ts';

/** Where a source delivers what it reads. */
export interface SourceSink {
  /**
   * Resolves once the bus accepted the records. A source awaits it before reading more (a WebSocket
   * source pauses its socket), so a full bus slows the source instead of growing memory.
   */
  records(batch: readonly MarketRecord[]): Promise<void>;
  deadLetter(letter: DeadLetter): Promise<void>;
}

export interface SourceStatus {
  readonly name: string;
  readonly connected: boolean;
  readonly reconnects: number;
  /** Frames or lines that could not be used (each one also dead-lettered). */
  readonly rejects: number;
  readonly records: number;
  /** Unix ms of the last frame or line read, `null` before the first. */
  readonly lastMessageAt: number | null;
  /** Why the source stopped for good (bad key, unreadable file), `null` while it is fine. */
  readonly fatalError: string | null;
}

export interface Source {
  readonly name: string;
  /** Starts reading into `sink`. Resolves once started; failures later show in `status()` and `done`. */
  start(sink: SourceSink): Promise<void>;
  status(): SourceStatus;
  /**
   * Settles when the source will emit nothing more: a replay at its end (resolves), a feed after a
   * fatal error (rejects) or after `close()` (resolves).
   */
  readonly done: Promise<void>;
  /** Stops reading; idempotent. Records already handed to the sink are not taken back. */
  close(): Promise<void>;
}
