import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { DeadLetter } from '../../../src/model/dead-letter.ts';
import type { Gap } from '../../../src/model/gap.ts';
import type { MarketRecord } from '../../../src/model/market-record.ts';
import type { Trade } from '../../../src/model/trade.ts';
import type { Logger } from '../../../src/logger.ts';
import type { SourceSink } from '../../../src/sources/source.ts';

/** A pino logger writing JSON lines into memory, for assertions on what was logged. */
export function capturingLogger(): { logger: Logger; text: () => string; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  const text = () => chunks.join('');
  return {
    logger: pino({ level: 'debug' }, stream),
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Keeps everything a source delivers; `hold()` makes `records()` wait until `release()`. */
export class RecordingSink implements SourceSink {
  readonly received: MarketRecord[] = [];
  readonly letters: DeadLetter[] = [];
  failWith: Error | null = null;
  #gate: PromiseWithResolvers<void> | null = null;

  async records(batch: readonly MarketRecord[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    if (this.#gate) await this.#gate.promise;
    this.received.push(...batch);
  }

  async deadLetter(letter: DeadLetter): Promise<void> {
    this.letters.push(letter);
  }

  hold(): void {
    this.#gate ??= Promise.withResolvers();
  }

  release(): void {
    this.#gate?.resolve();
    this.#gate = null;
  }

  trades(): Trade[] {
    return this.received.filter((record): record is Trade => record.type === 'trade');
  }

  gaps(): Gap[] {
    return this.received.filter((record): record is Gap => record.type === 'gap');
  }

  /** Index of the last gap with `reason`, or -1. */
  lastGapIndex(reason: Gap['reason']): number {
    return this.received.findLastIndex((record) => record.type === 'gap' && record.reason === reason);
  }

  tradesAfter(index: number): Trade[] {
    return this.received.slice(index + 1).filter((record): record is Trade => record.type === 'trade');
  }
}
