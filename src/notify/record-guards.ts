import { validateAggregatedRecord } from '../model/aggregated-record.ts';
import { validateAlertFiring } from '../model/alert.ts';
import type { Gap } from '../model/gap.ts';
import { validateMarketRecord } from '../model/market-record.ts';
import { validateTradingSignal } from '../model/signal.ts';
import type { NotifyRecord } from './protocol.ts';

/** Which of the notify processor's topics a record came from. */
export type NotifyTopicKind = 'raw' | 'metrics' | 'signals' | 'alerts';

const VALIDATORS: { readonly [kind in NotifyTopicKind]: (value: unknown) => NotifyRecord | Gap | string } = {
  raw: validateMarketRecord,
  metrics: validateAggregatedRecord,
  signals: validateTradingSignal,
  alerts: validateAlertFiring,
};

/**
 * Checks a value read from one of the notify topics before it goes to browsers, with the model's
 * validator of what travels on that topic. Returns the record, `null` for a record that is valid
 * but not for clients (a gap), or why it is not one.
 */
export function validateNotifyRecord(kind: NotifyTopicKind, value: unknown): NotifyRecord | null | string {
  const record = VALIDATORS[kind](value);
  if (typeof record === 'string') return record;
  return record.type === 'gap' ? null : record;
}
