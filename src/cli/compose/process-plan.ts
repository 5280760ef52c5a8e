import type { Clock } from '../../clock.ts';
import type { Config } from '../../config/config.ts';
import type { Logger } from '../../logger.ts';
import type { EligibilityRule } from '../../model/trade-eligibility.ts';
import type { TickflowMetrics } from '../../observability/metrics.ts';
import type { LiveStrategy } from '../../processors/strategy-runner/strategy-processor.ts';
import type { Source } from '../../sources/source.ts';
import type { BusKind } from './bus-wiring.ts';
import type { ProcessorName } from './processor-factory.ts';

/** What one tickflow process runs: the commands differ only in the plan they hand to `assemble`. */
export interface ProcessPlan {
  readonly config: Config;
  readonly logger: Logger;
  readonly bus: BusKind;
  /** `feed`: live Finnhub with a key, else a simulator; a source of the command's own (a replay); or none. */
  readonly source: 'feed' | Source | null;
  /** Processors in upstream-to-downstream order. */
  readonly processors: readonly ProcessorName[];
  /**
   * `full`: the REST API, the dashboard and (with the notify processor) the WebSocket endpoints, over
   * the store; `operations`: health, readiness, status and metrics only; `null`: no HTTP server.
   */
  readonly http: 'full' | 'operations' | null;
  /** Time as the processors see it; the system clock unless a replay drives its own. */
  readonly clock?: Clock;
  /** Close bars on event time (replays) instead of the clock. */
  readonly barsOnEventTime?: boolean;
  readonly barEligibility?: EligibilityRule;
  /** Where the archive writes; default `<data dir>/archive`. */
  readonly archiveDir?: string;
  /** The process's metrics; by default a registry of its own where there is an HTTP server to serve it (a replay measures nothing). */
  readonly metrics?: TickflowMetrics;
  /** A user's strategy module for the `strategy` processor (`up --strategy`). */
  readonly strategy?: LiveStrategy;
  /** How long shutdown waits for the processors to catch up with this process's source; default 5 s. */
  readonly drainMs?: number;
}
