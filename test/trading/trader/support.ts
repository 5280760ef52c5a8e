import type { TradingSignal } from '../../../src/model/signal.ts';

/** A signal as the signals processor publishes it; `offset` names its input record. */
export function signal(fields: Partial<TradingSignal> & Pick<TradingSignal, 'symbol' | 'side'> & { offset?: number }): TradingSignal {
  const { offset = 0, ...rest } = fields;
  return {
    type: 'signal',
    strategy: 'ma-crossover',
    strength: 0.5,
    price: 100,
    tsEvent: 1_767_625_200_000 + offset,
    tsRecv: 1_767_625_200_000 + offset,
    reason: 'test',
    lineage: [{ topic: 'aggregated-metrics', partition: 0, offset, recordType: 'bar', tsEvent: 1_767_625_200_000 + offset }],
    ...rest,
  };
}
