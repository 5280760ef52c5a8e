import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { API_DEFAULTS } from '../../src/api/app.ts';
import { TOPIC_DEFAULTS } from '../../src/bus/bus.ts';
import { KAFKA_BUS_DEFAULTS } from '../../src/bus/kafka/options.ts';
import { MEMORY_BUS_DEFAULTS } from '../../src/bus/memory/memory-bus.ts';
import { CONFIG_HELP } from '../../src/cli/config-help.ts';
import { CONFIG_VARIABLES, ENV_DEFAULTS, loadConfig } from '../../src/config/config.ts';
import { LOGGER_DEFAULTS } from '../../src/logger.ts';
import { NOTIFICATION_HUB_DEFAULTS } from '../../src/notify/notification-hub.ts';
import { NOTIFY_ROUTE_DEFAULTS } from '../../src/notify/websocket-routes.ts';
import { LATEST_PRICE_DEFAULTS } from '../../src/prices/latest-price-service.ts';
import { AGGREGATOR_DEFAULTS } from '../../src/processors/aggregator/aggregator-settings.ts';
import { WINDOW_AGGREGATOR_DEFAULTS } from '../../src/processors/aggregator/window-aggregator.ts';
import { ALERTS_DEFAULTS } from '../../src/processors/alerts/alerts-processor.ts';
import { ARCHIVE_DEFAULTS } from '../../src/processors/archive/archive-processor.ts';
import { KINESIS_SINK_DEFAULTS } from '../../src/processors/kinesis/kinesis-options.ts';
import { MOVING_AVERAGE_DEFAULTS } from '../../src/processors/moving-averages/moving-average-processor.ts';
import { DEFAULT_STRATEGY_CONFIG } from '../../src/processors/signals/strategy-config.ts';
import { STORAGE_DEFAULTS } from '../../src/processors/storage/storage-processor.ts';
import { ALPHAVANTAGE_QUOTE_DEFAULTS } from '../../src/providers/alpha-vantage-quote-provider.ts';
import { FINNHUB_QUOTE_DEFAULTS } from '../../src/providers/finnhub-quote-provider.ts';
import { QUOTE_DEFAULTS } from '../../src/providers/quote-provider.ts';
import { QUOTE_PROVIDER_DEFAULTS } from '../../src/providers/quote-providers.ts';
import { FINNHUB_DEFAULT_WS_URL } from '../../src/sources/finnhub/messages.ts';
import { SIMULATOR_DEFAULTS } from '../../src/sources/simulator/server.ts';

const NO_FILE = '/nonexistent/.env';
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** Defaults the README or `tickflow --help` describe in words rather than as the value (`help: null`: not in the help). */
const IN_WORDS: Readonly<Record<string, { readonly readme?: string; readonly help?: RegExp | null }>> = {
  TICKFLOW_SYMBOLS: { help: /default a mix of stocks, forex and crypto/ },
  TICKFLOW_INSTANCE_ID: { readme: 'host name', help: /default the host name/ },
  TICKFLOW_RETENTION_MS: { readme: `${ENV_DEFAULTS.TICKFLOW_RETENTION_MS / 86_400_000} days`, help: new RegExp(`default ${ENV_DEFAULTS.TICKFLOW_RETENTION_MS / 86_400_000} days`) },
  TICKFLOW_BUS: { help: new RegExp(`${ENV_DEFAULTS.TICKFLOW_BUS} \\(embedded, default\\)`) },
  TICKFLOW_STRATEGIES: { readme: 'built in' },
  AWS_REGION: { help: null },
};

describe('the defaults', () => {
  it('of the configuration are the components’ own: loadConfig({}) yields them', () => {
    const config = loadConfig({}, NO_FILE);
    assert.deepEqual(
      {
        port: config.port,
        host: config.host,
        finnhubWsUrl: config.finnhubWsUrl,
        logLevel: config.logLevel,
        partitions: config.partitions,
        retentionMs: config.retentionMs,
        windowSize: config.windowSize,
        publishEvery: config.publishEvery,
        barLatenessMs: config.barLatenessMs,
        archiveBatch: config.archiveBatch,
        archiveFlushMs: config.archiveFlushMs,
        storeBatch: config.storeBatch,
        storeFlushMs: config.storeFlushMs,
        simulatorRate: config.simulatorRate,
        kafkaClientId: config.kafkaClientId,
        kafkaCompression: config.kafkaCompression,
        kafkaSessionTimeoutMs: config.kafkaSessionTimeoutMs,
        quoteProviders: config.quoteProviders,
        finnhubRestUrl: config.finnhubRestUrl,
        alphaVantageUrl: config.alphaVantageUrl,
        quoteTimeoutMs: config.quoteTimeoutMs,
        priceFreshMs: config.priceFreshMs,
        priceCacheMs: config.priceCacheMs,
        movingAverageWindows: config.movingAverageWindows,
        apiRateLimitPerMinute: config.apiRateLimitPerMinute,
        strategies: config.strategies,
        alertsReloadMs: config.alertsReloadMs,
        wsHeartbeatMs: config.wsHeartbeatMs,
        wsBuffer: config.wsBuffer,
        kinesisRegion: loadConfig({ KINESIS_STREAM: 'ticks' }, NO_FILE).kinesis?.region,
      },
      {
        port: API_DEFAULTS.port,
        host: API_DEFAULTS.host,
        finnhubWsUrl: FINNHUB_DEFAULT_WS_URL,
        logLevel: LOGGER_DEFAULTS.level,
        partitions: MEMORY_BUS_DEFAULTS.defaultPartitions,
        retentionMs: TOPIC_DEFAULTS.retentionMs,
        windowSize: WINDOW_AGGREGATOR_DEFAULTS.window,
        publishEvery: WINDOW_AGGREGATOR_DEFAULTS.publishEvery,
        barLatenessMs: AGGREGATOR_DEFAULTS.barLatenessMs,
        archiveBatch: ARCHIVE_DEFAULTS.batchSize,
        archiveFlushMs: ARCHIVE_DEFAULTS.flushMs,
        storeBatch: STORAGE_DEFAULTS.batchSize,
        storeFlushMs: STORAGE_DEFAULTS.flushMs,
        simulatorRate: SIMULATOR_DEFAULTS.tradesPerSecond,
        kafkaClientId: KAFKA_BUS_DEFAULTS.clientId,
        kafkaCompression: KAFKA_BUS_DEFAULTS.compression,
        kafkaSessionTimeoutMs: KAFKA_BUS_DEFAULTS.sessionTimeoutMs,
        quoteProviders: QUOTE_PROVIDER_DEFAULTS.order,
        finnhubRestUrl: FINNHUB_QUOTE_DEFAULTS.baseUrl,
        alphaVantageUrl: ALPHAVANTAGE_QUOTE_DEFAULTS.baseUrl,
        quoteTimeoutMs: QUOTE_DEFAULTS.timeoutMs,
        priceFreshMs: LATEST_PRICE_DEFAULTS.freshMs,
        priceCacheMs: LATEST_PRICE_DEFAULTS.cacheMs,
        movingAverageWindows: MOVING_AVERAGE_DEFAULTS.windows,
        apiRateLimitPerMinute: API_DEFAULTS.rateLimitPerMinute,
        strategies: DEFAULT_STRATEGY_CONFIG,
        alertsReloadMs: ALERTS_DEFAULTS.reloadMs,
        wsHeartbeatMs: NOTIFY_ROUTE_DEFAULTS.heartbeatMs,
        wsBuffer: NOTIFICATION_HUB_DEFAULTS.buffer,
        kinesisRegion: KINESIS_SINK_DEFAULTS.region,
      },
    );
  });

  it('are each set by a variable the configuration reads', () => {
    const known = new Set<string>(CONFIG_VARIABLES);
    assert.deepEqual(Object.keys(ENV_DEFAULTS).filter((name) => !known.has(name)), []);
  });

  it('are the ones the README’s configuration table states, for every variable', () => {
    const rows = new Map([...README.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]+) \|/gm)].map((match) => [match[1]!, match[2]!.trim()]));
    assert.deepEqual(CONFIG_VARIABLES.filter((name) => !rows.has(name)), [], 'variables missing from the README');
    const wrong = CONFIG_VARIABLES.flatMap((name) => {
      const expected = IN_WORDS[name]?.readme ?? readmeDefault(name);
      return rows.get(name) === expected ? [] : [`${name}: the README says ${rows.get(name)}, the code ${expected}`];
    });
    assert.deepEqual(wrong, []);
  });

  it('are the ones `tickflow --help` states', () => {
    const wrong = Object.entries(ENV_DEFAULTS).flatMap(([name, value]) => {
      const words = IN_WORDS[name];
      if (words?.help === null) return [];
      const line = CONFIG_HELP.split('\n').find((text) => text.trimStart().startsWith(`${name} `));
      if (!line) return [`${name}: not in the help`];
      const pattern = words?.help ?? new RegExp(`default ${value === '' ? 'none' : escape(String(value))}\\b`);
      return pattern.test(line) ? [] : [`${name}: the help says ${JSON.stringify(line.trim())}, the code ${JSON.stringify(value)}`];
    });
    assert.deepEqual(wrong, []);
  });
});

/** A default as the README's table writes it: the value in backticks, or — for none. */
function readmeDefault(name: string): string {
  const value = (ENV_DEFAULTS as Readonly<Record<string, string | number>>)[name];
  return value === undefined || value === '' ? '—' : `\`${value}\``;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
