import type { Store } from '../store/store.ts';

export { QUERY_INTERVALS as API_BAR_INTERVAL_MS } from '../store/store.ts';
export const API_BAR_INTERVALS = ['1s', '1m', '5m', '1h', '1d'] as const;
export type ApiBarInterval = (typeof API_BAR_INTERVALS)[number];

/** What the HTTP API reads from the store. */
export type HistoryStore = Pick<Store, 'trades' | 'bars' | 'quotes' | 'quoteBars' | 'latestMetrics' | 'symbols' | 'movingAverages'>;
