import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import type { BusProducer } from '../../bus/bus.ts';
import { systemClock } from '../../clock.ts';
import type { Config } from '../../config/config.ts';
import { ERROR_CODES, TickflowError } from '../../errors.ts';
import { silentLogger } from '../../logger.ts';
import { createStore } from '../../store/create-store.ts';
import { topicNames } from '../../topics.ts';
import { TradingService } from '../../trading/service/trading-service.ts';

/** The account administration routes over the embedded store opened here, for requests in this process (`inject`). */
export interface OfflineAccounts {
  readonly app: FastifyInstance;
  /** A token of this process's own: these routes never listen on a socket. */
  readonly token: string;
  /** The store's directory. */
  readonly where: string;
  close(): Promise<void>;
}

/**
 * No bus here: what the trading service publishes (the `create_account` command) stays in the
 * store's outbox, which the next `tickflow up` publishes when its trading service opens the store.
 */
const outboxOnly: BusProducer = {
  send: async () => {
    throw new TickflowError(ERROR_CODES.BUS_CLOSED, 'no bus while tickflow is not running: the records wait in the store');
  },
  close: async () => {},
};

/**
 * Opens the embedded store directly (no tickflow process holds it: its lock refuses otherwise, with
 * STORE_LOCKED) with a trading service over it, and the same `/v1/accounts` routes the server has.
 */
export async function openOfflineAccounts(config: Config): Promise<OfflineAccounts> {
  const where = join(config.dataDir, 'store');
  // Without a databaseUrl: the embedded store (PostgreSQL is never opened behind a running service's back).
  const store = await createStore({ dataDir: config.dataDir });
  try {
    const topics = topicNames(config.topicPrefix, config.topicOverrides);
    const trading = await TradingService.open({ store: store.trading, producer: outboxOnly, topics: { orders: topics.orders, executions: topics.executions }, symbols: config.symbols, clock: systemClock, logger: silentLogger() });
    const token = randomBytes(32).toString('base64url');
    const app = await buildApp({ status: async () => { throw new TickflowError(ERROR_CODES.USAGE, 'no pipeline runs in this process'); }, accounts: { gateway: trading }, auth: { adminToken: token } });
    return {
      app,
      token,
      where,
      close: async () => {
        await app.close();
        await trading.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
