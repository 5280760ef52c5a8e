import type { Config } from '../../config/config.ts';
import type { ProcessPlan } from './process-plan.ts';
import type { PartName } from './part-topics.ts';
import { PROCESSOR_NAMES, withTraders, type ProcessorName } from './processor-factory.ts';

/** What `tickflow run` runs as a process of its own. */
export const RUNNABLE = ['ingest', ...PROCESSOR_NAMES, 'api'] as const;
export type Runnable = (typeof RUNNABLE)[number];

export function isRunnable(name: string): name is Runnable {
  return (RUNNABLE as readonly string[]).includes(name);
}

/** The plan of `tickflow run <part>`, short of its config and logger. */
export function runPlanFor(part: Runnable, config: Pick<Config, 'traders'>): Pick<ProcessPlan, 'source' | 'processors' | 'http'> {
  // The API process serves the dashboard, whose live data comes over this process's own WebSockets.
  const processors: ProcessorName[] = part === 'ingest' ? [] : part === 'api' ? ['notify'] : withTraders([part], config);
  return { source: part === 'ingest' ? 'feed' : null, processors, http: part === 'api' ? 'full' : 'operations' };
}

/** Every part a plan runs on the bus: its source's sink, its processors, the trading service beside `trading`, the API's prices. */
export function partsOfPlan(plan: Pick<ProcessPlan, 'source' | 'processors' | 'http'>): PartName[] {
  return [
    ...(plan.source ? (['ingest'] as const) : []),
    ...plan.processors,
    ...(plan.processors.includes('trading') ? (['trading-service'] as const) : []),
    ...(plan.http === 'full' ? (['prices'] as const) : []),
  ];
}
