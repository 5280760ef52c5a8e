import type { FastifyPluginAsync } from 'fastify';
import type { PipelineStatus } from '../../observability/pipeline-status.ts';
import type { HistoryStore } from '../history-store.ts';

export interface SymbolRouteOptions {
  readonly store: HistoryStore;
  readonly status: () => Promise<PipelineStatus>;
  /** The symbols this deployment subscribes to. */
  readonly configured: readonly string[];
  /** A symbol with no trade for this long counts as stale. */
  readonly staleAfterMs: number;
}

/** What is streaming: every configured or stored symbol with its last trade, and the feed's health. */
export const symbolRoutes: FastifyPluginAsync<SymbolRouteOptions> = async (app, { store, status, configured, staleAfterMs }) => {
  app.get('/v1/symbols', { schema: { summary: 'Symbols: last price, last update, trade count, feed health', tags: ['prices'] } }, async () => {
    const [stored, pipeline] = await Promise.all([store.symbols(), status()]);
    const live = new Map(pipeline.symbols.map((symbol) => [symbol.symbol, symbol]));
    const now = Date.now();
    const names = [...new Set([...configured, ...stored.map((summary) => summary.symbol), ...live.keys()])].sort();
    return {
      feed: pipeline.source && {
        name: pipeline.source.name,
        connected: pipeline.source.connected,
        reconnects: pipeline.source.reconnects,
        lastMessageAt: pipeline.source.lastMessageAt,
        fatalError: pipeline.source.fatalError,
      },
      symbols: names.map((symbol) => {
        const fromStore = stored.find((summary) => summary.symbol === symbol);
        const fromStream = live.get(symbol);
        const lastUpdate = Math.max(fromStream?.tsRecv ?? 0, fromStore?.lastTsRecv ?? 0) || null;
        return {
          symbol,
          subscribed: configured.includes(symbol),
          price: fromStream?.price ?? fromStore?.lastPrice ?? null,
          lastUpdate,
          storedTrades: fromStore?.tradeCount ?? 0,
          stale: lastUpdate === null || now - lastUpdate > staleAfterMs,
        };
      }),
    };
  });
};
