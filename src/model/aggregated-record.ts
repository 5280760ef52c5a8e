import { validateBar, type Bar } from './bar.ts';
import { validateOneOf } from './checks.ts';
import { validateWindowMetrics, type WindowMetrics } from './metrics.ts';
import { validateQuoteBar, type QuoteBar } from './quote-bar.ts';

/**
 * What travels on the aggregated-metrics topic.
 * @discriminator type
 */
export type AggregatedRecord = Bar | WindowMetrics | QuoteBar;

/** Checks a value read from the metrics topic: a bar, window metrics or a quote bar, by its `type`. */
export function validateAggregatedRecord(value: unknown): AggregatedRecord | string {
  return validateOneOf<AggregatedRecord>(value, { bar: validateBar, 'window-metrics': validateWindowMetrics, 'quote-bar': validateQuoteBar });
}
