import type { PipelineStatus } from '../observability/pipeline-status.ts';
import type { Logger } from '../logger.ts';
import { counted } from './counted.ts';

/** Turns successive status snapshots into one line: rates come from the difference between two. */
export class StatusLine {
  #previous: { at: number; trades: number } | null = null;

  render(status: PipelineStatus, now = Date.now()): string {
    // The first line's rate runs from the pipeline's start, when nothing had been counted.
    const previous = this.#previous ?? { at: status.startedAt, trades: 0 };
    // A process without a source (a processor on Kafka) counts what its consumers read instead.
    const unit = status.source ? 'trade' : 'record';
    const count = status.source ? status.trades : status.consumers.reduce((sum, consumer) => sum + consumer.processed, 0);
    this.#previous = { at: now, trades: count };
    const seconds = (now - previous.at) / 1000;
    const rate = seconds > 0 ? (count - previous.trades) / seconds : 0;
    const source = !status.source ? null : status.source.fatalError ? 'STOPPED' : status.source.connected ? 'connected' : 'connecting';
    const lags = status.consumers.map((consumer) => `${consumer.name} ${consumer.lag}`).join(' ');
    return [
      `${Math.round(rate)} ${unit}s/s`,
      counted(count, unit),
      ...(status.source ? [counted(status.symbols.length, 'symbol')] : []),
      ...(status.source ? [`${status.source.name} ${source}`] : []),
      `lag ${lags}`,
      ...(status.source ? [`reconnects ${status.source.reconnects}`] : []),
      `rejects ${rejects(status)}`,
    ].join(' · ');
  }
}

/** Records dead-lettered anywhere in the pipeline. */
export function rejects(status: PipelineStatus): number {
  return status.deadLetters + status.consumers.reduce((sum, consumer) => sum + (consumer.stats.rejected ?? 0), 0);
}

/** A live line on a terminal; a log line every `everyMs` otherwise. Returns a stop function. */
export function startStatusLine(pipeline: { status(): Promise<PipelineStatus> }, interactive: boolean, everyMs: number, logger: Logger): () => void {
  const statusLine = new StatusLine();
  const timer = setInterval(
    () => {
      void pipeline.status().then((status) => {
        const line = statusLine.render(status);
        if (interactive) process.stdout.write(`\r\x1b[K${line}`);
        else logger.info({ status: line }, 'status');
      });
    },
    interactive ? 1_000 : everyMs,
  );
  return () => {
    clearInterval(timer);
    if (interactive) process.stdout.write('\n');
  };
}
