import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * lightweight-charts' standalone build (the dashboard serves it, the backtest report inlines it),
 * read through its package.json: the package's `exports` do not list the file.
 */
export function chartLibrary(): { body: Buffer; version: string } {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('lightweight-charts/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { body: readFileSync(join(dirname(manifest), 'dist', 'lightweight-charts.standalone.production.js')), version };
}
