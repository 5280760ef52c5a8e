import { loadConfig } from '../src/config/config.ts';
import type { MarketRecord } from '../src/model/market-record.ts';
import { createLogger } from '../src/logger.ts';
import { REPLAY_PARTITIONS, ReplaySource } from '../src/sources/replay/replay-source.ts';

export async function runScenario(scenario: 'read' | 'bus' | 'signals' | 'pipeline', path: string) {
  // As `tickflow replay`: one partition per topic, so the output is deterministic.
  const config = { ...loadConfig(), partitions: REPLAY_PARTITIONS };
  // The read baseline loads none of the pipeline's code (HTTP, store, engines): it would cost the baseline time and memory it does not use.
  const compose = scenario === 'read' ? null : await import('../src/cli/compose/assemble.ts');
  const source = new ReplaySource({ path, speed: 'max' });
  const started = performance.now();
  let trades = 0;
  let signals = 0;
  if (scenario === 'read') {
    await source.start({
      records: async (batch: readonly MarketRecord[]) => void (trades += batch.length),
      deadLetter: async () => {},
    });
    await source.done;
  } else {
    const assembly = await compose!.assemble({
      config,
      logger: createLogger({ level: 'warn' }),
      bus: 'memory',
      source,
      processors: scenario === 'bus' ? ['aggregator'] : scenario === 'signals' ? ['aggregator', 'signals'] : ['aggregator', 'signals', 'archive'],
      http: null,
      barsOnEventTime: true,
      drainMs: 120_000,
    });
    await assembly.start();
    await source.done;
    await assembly.stop();
    const status = await assembly.pipeline.status();
    trades = status.trades;
    signals = status.consumers.find((consumer) => consumer.name === 'signals')?.stats.signals ?? 0;
  }
  const seconds = (performance.now() - started) / 1000;
  return { scenario, trades, signals, seconds, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}
