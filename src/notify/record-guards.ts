import { validateAggregatedRecord } from '../model/aggregated-record.ts';
import { validateAlertFiring } from '../model/alert.ts';
import { validateMarketRecord } from '../model/market-record.ts';
import { validateTradingSignal } from '../model/signal.ts';
import type { NotifyRecord } from './protocol.ts';

/** Which of the notify processor's topics a record came from. */
export type NotifyTopicKind = 'raw' | 'metrics' | 'signals' | 'alerts';

/** What travels on each topic, checked by the model's validator of it. */
const VALIDATORS: { readonly [kind in NotifyTopicKind]: (value: unknown) => { readonly type: string } | string } = {
  raw: validateMarketRecord,
  metrics: validateAggregatedRecord,
  signals: validateTradingSignal,
  alerts: validateAlertFiring,
};

/** The record types the protocol delivers (protocol.ts); any other valid record (a gap, a quote, a quote bar: no channel for them yet) is not for clients. */
const FOR_CLIENTS: ReadonlySet<string> = new Set<NotifyRecord['type']>(['trade', 'bar', 'window-metrics', 'signal', 'alert']);

/**
 * Checks a value read from one of the notify topics before it goes to browsers. Returns the record,
 * `null` for a record that is valid but not for clients, or why it is not one.
 */
export function validateNotifyRecord(kind: NotifyTopicKind, value: unknown): NotifyRecord | null | string {
  const record = VALIDATORS[kind](value);
  if (typeof record === 'string') return record;
  return FOR_CLIENTS.has(record.type) ? (record as NotifyRecord) : null;
}
