import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import type { WriteMode } from './batch-writer.ts';
import { openPgliteStore } from './pglite-store.ts';
import { openPostgresStore } from './postgres-store.ts';
import type { Store } from './store.ts';

export interface StoreSettings {
  /** `DATABASE_URL`: PostgreSQL when set, the embedded PGlite store otherwise. */
  readonly databaseUrl?: string | undefined;
  /** `TICKFLOW_DATA_DIR`: PGlite keeps its files in `<dataDir>/store`. */
  readonly dataDir: string;
  /** PostgreSQL only: tables in this schema instead of the default one. */
  readonly schema?: string;
  readonly writeMode?: WriteMode;
  /** Stamps alert rules' creation and update times; default the system clock. */
  readonly clock?: Clock;
}

/**
 * Opens the configured store and brings its schema up to date (migrations run before this
 * resolves). The caller owns it and closes it after everything that writes to it has stopped.
 */
export function createStore(settings: StoreSettings): Promise<Store> {
  const common = { ...(settings.writeMode ? { writeMode: settings.writeMode } : {}), ...(settings.clock ? { clock: settings.clock } : {}) };
  if (settings.databaseUrl) {
    return openPostgresStore({ url: settings.databaseUrl, ...(settings.schema ? { schema: settings.schema } : {}), ...common });
  }
  return openPgliteStore({ dir: join(settings.dataDir, 'store'), ...common });
}
