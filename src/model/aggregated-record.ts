import { validateBar, type Bar } from './bar.ts';
import { validateOneOf } from './checks.ts';
import { validateWindowMetrics, type WindowMetrics } from './metrics.ts';

/** What travels on the aggregated-metrics topic. */
export type AggregatedRecord = Bar | WindowMetrics;

/** Checks a value read from the metrics topic: a bar or window metrics, by its `type`. */
export function validateAggregatedRecord(value: unknown): AggregatedRecord | string {
  return validateOneOf<AggregatedRecord>(value, { bar: validateBar, 'window-metrics': validateWindowMetrics });
}
