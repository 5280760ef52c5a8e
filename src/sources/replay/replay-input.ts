import type { MarketRecord } from '../../model/market-record.ts';

/** One opened replay file: its lines and how to turn a line into a record. */
export interface ReplayInput {
  /** Dead-letter origin and default `source` of the records: `replay` or `lean`. */
  readonly origin: string;
  /** Bytes the lines come from (uncompressed size inside a zip); `null` when unknown. */
  readonly totalBytes: number | null;
  /** The file's lines; iterate once. */
  lines(): AsyncIterable<string>;
  bytesRead(): number;
  /** The record on line `lineNumber` (1-based), or why the line is unusable. */
  parse(line: string, lineNumber: number): MarketRecord | string;
  /** Releases the file; idempotent. */
  close(): Promise<void>;
}
