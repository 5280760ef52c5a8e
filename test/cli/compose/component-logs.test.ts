import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { createApiServices } from '../../../src/cli/compose/api-services.ts';
import { wireBus } from '../../../src/cli/compose/bus-wiring.ts';
import { createFeed } from '../../../src/cli/compose/feed-factory.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { createLogger } from '../../../src/logger.ts';
import type { Store } from '../../../src/store/store.ts';
import { topicNames } from '../../../src/topics.ts';

const dir = mkdtempSync(join(tmpdir(), 'tickflow-component-logs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('the composed simulator, quote providers and price service log one "component" key per line', async () => {
  const file = join(dir, 'log.json');
  const logger = createLogger({ destination: file, pretty: false, level: 'debug' });
  const config = loadConfig({ TICKFLOW_DATA_DIR: dir, TICKFLOW_SYMBOLS: 'AAPL' }, join(dir, 'no.env'));
  const feed = await createFeed(config, logger);
  const wiring = wireBus(config, 'memory');
  const store = { latestPrice: async () => null, insertRawResponse: async () => 1 } as unknown as Store;
  const api = createApiServices({ config, bus: wiring.bus, topics: topicNames(config.topicPrefix, config.topicOverrides), store, pipeline: null, simulator: feed.simulator, logger });
  await api.prices.latest('AAPL');
  await api.close();
  await feed.simulator?.close();
  await wiring.bus.close();
  logger.flush();

  const lines = readFileSync(file, 'utf8').trim().split('\n');
  for (const line of lines) assert.ok((line.match(/"component":/g) ?? []).length <= 1, line);
  const components = new Set(lines.map((line) => (JSON.parse(line) as { component?: string }).component));
  for (const component of ['finnhub-simulator', 'quote-provider', 'latest-prices']) assert.ok(components.has(component), `a line from ${component} in ${[...components].join(', ')}`);
});
