import type { SourceStatus } from '../sources/source.ts';

export interface ConsumerStatus {
  readonly name: string;
  readonly groupId: string;
  readonly running: boolean;
  /** Records handed to the processor since start. */
  readonly processed: number;
  readonly lag: number;
  readonly failures: number;
  readonly lastError: string | null;
  readonly stats: Readonly<Record<string, number>>;
}

export interface PipelineStatus {
  readonly startedAt: number;
  readonly bus: 'memory' | 'kafka';
  /** The effective topic name of each kind (prefix and TICKFLOW_TOPIC_<KIND> applied). */
  readonly topics?: Readonly<Record<string, string>>;
  /** `null` in a process that runs processors only. */
  readonly source: SourceStatus | null;
  readonly trades: number;
  readonly quotes: number;
  readonly gaps: number;
  readonly deadLetters: number;
  readonly symbols: readonly { symbol: string; price: number; tsEvent: number; tsRecv: number }[];
  readonly consumers: readonly ConsumerStatus[];
}

/** Ready means: the source is connected (or a replay still has data) and every consumer runs. */
export function readiness(status: PipelineStatus): { ready: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const { source } = status;
  if (source?.fatalError) reasons.push(`source ${source.name} stopped: ${source.fatalError}`);
  else if (source && !source.connected) reasons.push(`source ${source.name} is not connected`);
  for (const consumer of status.consumers) if (!consumer.running) reasons.push(`consumer ${consumer.name} is not running`);
  return { ready: reasons.length === 0, reasons };
}
